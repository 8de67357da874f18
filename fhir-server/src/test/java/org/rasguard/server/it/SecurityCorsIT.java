package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * CORS on the server that requires tokens ({@link SecurityServer}, {@code RASGUARD_CORS_ORIGINS} =
 * {@link SecurityServer#CORS_ORIGIN}), over plain HTTP: preflights for {@code /fhir} and
 * {@code /cds-services} pass without a token and carry no data; refusals (401, 403, 415) carry the
 * CORS headers, so a browser page sees them as such; an origin not listed gets no CORS header.
 */
@ExtendWith(SecurityServer.class)
class SecurityCorsIT {

    private static final String SERVICE = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
    private static final String ELSEWHERE = "https://elsewhere.example.test";

    private static Http.Response preflight(SecurityServer.Setup setup, String path, String origin, String method) {
        return Http.send(setup.request(path, null)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    private static void assertCors(Http.Response response) {
        assertThat(response.header("Access-Control-Allow-Origin"))
                .as("status " + response.status())
                .isEqualTo(SecurityServer.CORS_ORIGIN);
        assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void preflightsPassWithoutATokenAndCarryNoData(SecurityServer.Setup setup) {
        Http.Response fhir = preflight(setup, "/fhir/Patient", SecurityServer.CORS_ORIGIN, "PUT");
        assertThat(fhir.status()).isEqualTo(200);
        assertCors(fhir);
        assertThat(fhir.header("Access-Control-Allow-Methods")).contains("GET", "POST", "PUT", "DELETE");
        assertThat(fhir.header("Access-Control-Allow-Headers"))
                .contains("Authorization", "Content-Type", "Prefer", "If-Match", "If-None-Exist");
        assertThat(fhir.body()).isEmpty();

        Http.Response cds = preflight(setup, SERVICE, SecurityServer.CORS_ORIGIN, "POST");
        assertThat(cds.status()).isEqualTo(200);
        assertCors(cds);
        assertThat(cds.body()).isEmpty();
    }

    @Test
    void a401CarriesTheCorsHeadersSoThePageSeesIt(SecurityServer.Setup setup) {
        Http.Response fhir = Http.send(setup.request("/fhir/Patient", null)
                .header("Origin", SecurityServer.CORS_ORIGIN)
                .GET());
        assertThat(fhir.status()).isEqualTo(401);
        assertCors(fhir);
        assertThat(fhir.header("Access-Control-Expose-Headers"))
                .contains("WWW-Authenticate", "Location", "ETag", "Content-Location", "Last-Modified");

        Http.Response cds = Http.send(setup.request("/cds-services", null)
                .header("Origin", SecurityServer.CORS_ORIGIN)
                .GET());
        SecurityCdsJwtIT.assertBare401(cds);
        assertCors(cds);
    }

    @Test
    void a403AndA415CarryThemToo(SecurityServer.Setup setup) {
        Http.Response forbidden =
                Http.send(setup.request("/fhir/Patient", setup.fhirToken("system/Observation.write", null))
                        .header("Origin", SecurityServer.CORS_ORIGIN)
                        .GET());
        assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
        assertCors(forbidden);

        Http.Response unsupported = Http.send(setup.request(SERVICE, setup.cdsToken(SERVICE))
                .header("Origin", SecurityServer.CORS_ORIGIN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(unsupported.status()).isEqualTo(415);
        assertCors(unsupported);
    }

    @Test
    void anOriginNotListedGetsNoCorsHeader(SecurityServer.Setup setup) {
        Http.Response response = Http.send(
                setup.request("/fhir/Patient", null).header("Origin", ELSEWHERE).GET());
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight(setup, "/fhir/Patient", ELSEWHERE, "GET").header("Access-Control-Allow-Origin"))
                .isNull();
    }
}

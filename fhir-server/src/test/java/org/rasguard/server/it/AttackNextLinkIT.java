package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * Issue 16 row 11: a {@code next} link of the EHR's search answer that leaves its FHIR base once the
 * EHR (or a proxy) decodes it ({@code …/fhir/%2e%2e/elsewhere}) is not followed, so the EHR's bearer
 * token never goes outside its base. The EHR here is the test's, on the allowlist; it counts every
 * request that arrives outside {@code /ehr/fhir/} as it resolves the path.
 */
@ExtendWith(SecurityServer.class)
class AttackNextLinkIT {

    private static final String SERVICE = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
    private static final String TOKEN = "ehr-secret-token-" + UUID.randomUUID();

    @Test
    void encodedDotSegmentsInNextLinksDoNotTakeTheTokenOutsideTheBase(SecurityServer.Setup setup) {
        List<String> inside = new CopyOnWriteArrayList<>();
        List<String> outside = new CopyOnWriteArrayList<>();
        for (String escape : new String[] {
            "/%2e%2e/elsewhere", "/.%2E/elsewhere", "/%2e%2e%2felsewhere", "/Observation/%2e%2e/%2e%2e/elsewhere"
        }) {
            String next = setup.ehrBase() + escape + "?_page=2";
            setup.ehr.set(exchange -> {
                String raw = exchange.getRequestURI().getRawPath();
                String resolved = URI.create(raw.replaceAll("(?i)%2e", ".").replaceAll("(?i)%2f", "/"))
                        .normalize()
                        .getPath();
                String authorization =
                        String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
                (resolved.startsWith("/ehr/fhir/") ? inside : outside).add(raw + " " + authorization.contains(TOKEN));
                SecurityServer.respond(exchange, """
                        {"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"%s"}]}""".formatted(next));
            });
            Http.Response answer = cdsCall(setup);
            assertThat(answer.status()).as(answer.body()).isLessThan(500);
        }
        assertThat(inside)
                .as("the EHR was asked, with its token, under its base")
                .isNotEmpty()
                .allMatch(line -> line.endsWith(" true"));
        assertThat(outside).as("requests outside the EHR's base").isEmpty();
    }

    /** order-sign from EHR A with the patient in prefetch; conditions, observations and medications from the EHR. */
    private static Http.Response cdsCall(SecurityServer.Setup setup) {
        String ehrId = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode request = CdsCalls.request("order-sign", ehrId, CdsCalls.cetuximabOrder(ehrId));
        request.put("fhirServer", setup.ehrBase());
        ObjectNode authorization = request.putObject("fhirAuthorization");
        authorization.put("access_token", TOKEN);
        authorization.put("token_type", "Bearer");
        authorization.put("expires_in", 300);
        authorization.put(
                "scope",
                "patient/Patient.read patient/Observation.read patient/Condition.read patient/MedicationRequest.read");
        authorization.put("subject", "rasguard");
        Patient patient = new Patient();
        patient.setId(ehrId);
        request.putObject("prefetch").set("patient", CdsCalls.json(Http.encode(patient)));
        return Http.send(setup.request(SERVICE, setup.cdsToken(SERVICE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8)));
    }
}

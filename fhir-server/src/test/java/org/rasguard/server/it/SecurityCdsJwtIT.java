package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.auth.TestJwts;

/**
 * CDS Hooks client authentication against the packaged server, with real RS384 and ES384 keys: one
 * valid token passes, and each way a token can be wrong gets the same bare 401.
 */
@ExtendWith(SecurityServer.class)
class SecurityCdsJwtIT {

    private static final String DISCOVERY = "/cds-services";
    private static final String SERVICE = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
    /** The one body of every CDS 401, whatever check failed. */
    static final String UNAUTHORIZED = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
            + "\"code\":\"login\",\"details\":{\"coding\":[{\"system\":\"http://rasguard.org/fhir/CodeSystem/error-code\","
            + "\"code\":\"unauthorized\"}],\"text\":\"Authentication is required.\"},\"diagnostics\":\"Authentication is required.\"}]}";

    private static Http.Response discovery(SecurityServer.Setup setup, String token) {
        return Http.send(setup.request(DISCOVERY, token).GET());
    }

    /** 401, and the same body for every failure: no hint of which check failed. */
    static void assertBare401(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.body()).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void aValidRs384TokenPassesOnDiscovery(SecurityServer.Setup setup) {
        Http.Response response = discovery(setup, setup.cdsToken(DISCOVERY));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"services\":[");
    }

    @Test
    void aValidEs384TokenWithEpicsExtraClaimsPasses(SecurityServer.Setup setup) {
        JWTClaimsSet claims = setup.cdsClaims(DISCOVERY)
                .subject("epic-client-id")
                .notBeforeTime(Date.from(Instant.now()))
                .claim("epic.eci", "x")
                .build();
        assertThat(discovery(setup, TestJwts.sign(setup.ehrAEc, claims)).status())
                .isEqualTo(200);
    }

    @Test
    void theServiceAndFeedbackEndpointsEachWantTheirOwnUrlAsAudience(SecurityServer.Setup setup) {
        // Authenticated: the CDS service itself answers (400 for the empty body), not the filter.
        Http.Response call = Http.send(setup.request(SERVICE, setup.cdsToken(SERVICE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(call.status()).as(call.body()).isEqualTo(400);
        Http.Response feedback = Http.send(setup.request(SERVICE + "/feedback", setup.cdsToken(SERVICE + "/feedback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(feedback.status()).as(feedback.body()).isNotEqualTo(401).isLessThan(500);

        // The discovery URL's token is not good for the service, nor the service's for feedback.
        assertBare401(Http.send(setup.request(SERVICE, setup.cdsToken(DISCOVERY))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
        assertBare401(Http.send(setup.request(SERVICE + "/feedback", setup.cdsToken(SERVICE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
    }

    @Test
    void noTokenOrAnotherSchemeIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(setup, null));
        assertBare401(Http.send(setup.request(DISCOVERY, null)
                .header("Authorization", "Basic YTpi")
                .GET()));
        assertBare401(discovery(setup, "not-a-jwt"));
    }

    @Test
    void aBadSignatureIs401(SecurityServer.Setup setup) {
        String token = setup.cdsToken(DISCOVERY);
        String other = setup.cdsToken(DISCOVERY);
        assertBare401(discovery(setup, TestJwts.withForeignSignature(token, other)));
    }

    @Test
    void algNoneIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.unsigned(
                        setup.ehrARsa.getKeyID(), setup.cdsClaims(DISCOVERY).build())));
    }

    @Test
    void hs256SignedWithThePublicKeyIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.hmacWithPublicKey(
                        setup.ehrARsa, setup.cdsClaims(DISCOVERY).build())));
    }

    @Test
    void rs256IsNotAcceptedUnlessConfigured(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        setup.ehrARsa,
                        JWSAlgorithm.RS256,
                        setup.cdsClaims(DISCOVERY).build(),
                        header -> {})));
    }

    @Test
    void theWrongAudienceIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        setup.ehrARsa,
                        setup.cdsClaims(DISCOVERY)
                                .audience("https://another-cds.example.org/cds-services")
                                .build())));
    }

    @Test
    void anExpiredTokenIs401(SecurityServer.Setup setup) {
        Instant past = Instant.now().minusSeconds(600);
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        setup.ehrARsa,
                        setup.cdsClaims(DISCOVERY)
                                .issueTime(Date.from(past))
                                .expirationTime(Date.from(past.plusSeconds(300)))
                                .build())));
    }

    @Test
    void iatInTheFutureIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        setup.ehrARsa,
                        setup.cdsClaims(DISCOVERY)
                                .issueTime(Date.from(Instant.now().plusSeconds(600)))
                                .build())));
    }

    @Test
    void aReplayedJtiIs401(SecurityServer.Setup setup) {
        String token = setup.cdsToken(DISCOVERY);
        assertThat(discovery(setup, token).status()).isEqualTo(200);
        assertBare401(discovery(setup, token));
    }

    @Test
    void anUnknownIssuerIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        setup.ehrARsa,
                        setup.cdsClaims(DISCOVERY)
                                .issuer("https://evil.example.test")
                                .build())));
    }

    @Test
    void jkuIsFollowedOnlyOnTheIssuersAllowlist(SecurityServer.Setup setup) {
        assertThat(discovery(
                                setup,
                                TestJwts.signWithJku(
                                        setup.ehrAExtra,
                                        setup.cdsClaims(DISCOVERY).build(),
                                        setup.keySetUrl("/a-extra-jwks.json")))
                        .status())
                .isEqualTo(200);
        // EHR B's key-set URL is not on EHR A's list, even though it is served and holds a valid key.
        assertBare401(discovery(
                setup,
                TestJwts.signWithJku(
                        setup.ehrB1, setup.cdsClaims(DISCOVERY).build(), setup.keySetUrl("/b-jwks.json"))));
        assertBare401(discovery(
                setup,
                TestJwts.signWithJku(
                        setup.ehrAExtra, setup.cdsClaims(DISCOVERY).build(), "http://127.0.0.1:1/attacker-jwks.json")));
    }

    @Test
    void anUnknownKidIs401(SecurityServer.Setup setup) {
        assertBare401(discovery(
                setup,
                TestJwts.sign(
                        TestJwts.rsa("nobody-knows-me"),
                        setup.cdsClaims(DISCOVERY).build())));
    }

    @Test
    void aRemoteKeySetIsCachedAndARotatedKeyIsFetchedByKid(SecurityServer.Setup setup) {
        JWTClaimsSet.Builder b =
                TestJwts.cdsClaims(SecurityServer.EHR_B, setup.server.baseUrl() + DISCOVERY, Instant.now());
        assertThat(discovery(setup, TestJwts.sign(setup.ehrB1, b.build())).status())
                .isEqualTo(200);
        int fetches = setup.ehrBFetches.get();
        assertThat(discovery(
                                setup,
                                TestJwts.sign(
                                        setup.ehrB1,
                                        b.jwtID(java.util.UUID.randomUUID().toString())
                                                .build()))
                        .status())
                .isEqualTo(200);
        assertThat(setup.ehrBFetches.get()).as("cached").isEqualTo(fetches);

        setup.ehrBKeySet.set(TestJwts.publicSet(setup.ehrB1, setup.ehrB2)); // EHR B rotates to a new key
        assertThat(discovery(
                                setup,
                                TestJwts.sign(
                                        setup.ehrB2,
                                        b.jwtID(java.util.UUID.randomUUID().toString())
                                                .build()))
                        .status())
                .isEqualTo(200);
        assertThat(setup.ehrBFetches.get()).isEqualTo(fetches + 1);
    }

    @Test
    void corsPreflightNeedsNoToken(SecurityServer.Setup setup) {
        Http.Response response =
                Http.send(setup.request(SERVICE, null).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.status()).isEqualTo(204);
    }

    @Test
    void tokensNeverReachTheLog(SecurityServer.Setup setup) {
        String token = setup.cdsToken(DISCOVERY);
        discovery(setup, token);
        discovery(setup, token);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertThat(setup.server.output()).noneMatch(line -> line.contains(signature));
    }
}

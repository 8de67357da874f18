package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.server.auth.TestJwts;

/**
 * A CDS client token naming, in {@code jku}, a key-set URL listed for its issuer, when the operator
 * has configured a copy of that key set as a file (EHR C of {@link SecurityServer}): the token is
 * verified against the file, offline. The listed URL points at a closed port, so any fetch would
 * fail: a token that passes was never checked against a fetched set. A forged token is a bare 401 whose
 * log line names the issuer and the key set it failed against, never the token.
 */
@ExtendWith(SecurityServer.class)
class SecurityCdsJkuIT {

    private static final String DISCOVERY = "/cds-services";

    private static String token(SecurityServer.Setup setup, RSAKey key) {
        return TestJwts.signWithJku(
                key,
                TestJwts.cdsClaims(SecurityServer.EHR_C, setup.server.baseUrl() + DISCOVERY, Instant.now())
                        .build(),
                setup.ehrCJku);
    }

    private static Http.Response discovery(SecurityServer.Setup setup, String token, String correlation) {
        return Http.send(setup.request(DISCOVERY, token)
                .header("X-Request-ID", correlation)
                .GET());
    }

    @Test
    void aTokenWithAListedJkuVerifiesOfflineAgainstTheConfiguredFile(SecurityServer.Setup setup) {
        Http.Response response = discovery(setup, token(setup, setup.ehrCRsa), "jku-offline-" + UUID.randomUUID());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"services\":[");
    }

    @Test
    void aTokenSignedByAnotherKeyIs401AndTheLogNamesTheKeySetNotTheToken(SecurityServer.Setup setup) throws Exception {
        RSAKey impostor = TestJwts.rsa(setup.ehrCRsa.getKeyID()); // EHR C's kid, another key
        String forged = token(setup, impostor);
        String correlation = "jku-forged-" + UUID.randomUUID();
        SecurityCdsJwtIT.assertBare401(discovery(setup, forged, correlation));

        String line = requestLine(setup, correlation);
        assertThat(line)
                .contains("GET /cds-services 401 refused: unauthorized (SIGNATURE, " + SecurityServer.EHR_C
                        + " key set " + setup.ehrCFile.toUri() + ")");
        assertThat(line)
                .doesNotContain(forged.substring(forged.lastIndexOf('.') + 1))
                .doesNotContain(forged.substring(0, forged.indexOf('.')));
    }

    @Test
    void aKidTheFileLacksSendsUsToTheListedJkuAndItsFailureNamesThatUrl(SecurityServer.Setup setup) throws Exception {
        String token = token(setup, TestJwts.rsa("ehr-c-unknown"));
        String correlation = "jku-fetched-" + UUID.randomUUID();
        SecurityCdsJwtIT.assertBare401(discovery(setup, token, correlation));
        assertThat(requestLine(setup, correlation))
                .contains("unauthorized (SIGNATURE, " + SecurityServer.EHR_C + " key set " + setup.ehrCJku + ")");
    }

    /** The request's one log line, found by its correlation id. */
    private static String requestLine(SecurityServer.Setup setup, String correlation) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> lines = setup.server.output().stream()
                    .filter(l -> l.contains(correlation) && l.contains("rasguard.request"))
                    .toList();
            if (!lines.isEmpty()) {
                return lines.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no request line for " + correlation);
    }
}

package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.server.auth.TestJwts;

/**
 * The FHIR API with OAuth2 bearer tokens and SMART scopes: public metadata and health, 401 without a
 * valid token, 403 beyond the scopes, patient scopes kept inside that patient's compartment.
 */
@ExtendWith(SecurityServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityFhirScopesIT {

    private static final String OBSERVATION = """
            {"resourceType":"Observation","status":"final","code":{"text":"note"},"valueString":"x"}""";

    private String writer;
    private String patientA;
    private String patientB;
    private String observationA;
    private String observationB;

    @BeforeAll
    void storeTwoPatients(SecurityServer.Setup setup) {
        writer = setup.fhirToken("system/*.cruds", null);
        Bundle a = transaction(setup, writer);
        Bundle b = transaction(setup, writer);
        patientA = idPart(a, 0);
        observationA = a.getEntry().get(2).getResponse().getLocation().split("/_history")[0];
        patientB = idPart(b, 0);
        observationB = b.getEntry().get(2).getResponse().getLocation().split("/_history")[0];
    }

    private static Bundle transaction(SecurityServer.Setup setup, String token) {
        Http.Response response = post(
                setup,
                "/fhir",
                Fixtures.genomicReportTransaction(UUID.randomUUID().toString()),
                token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class);
    }

    private static String idPart(Bundle bundle, int entry) {
        return bundle.getEntry().get(entry).getResponse().getLocation().split("/")[1];
    }

    private static Http.Response get(SecurityServer.Setup setup, String path, String token) {
        return Http.send(setup.request(path, token).GET());
    }

    private static Http.Response post(SecurityServer.Setup setup, String path, String body, String token) {
        return Http.send(setup.request(path, token)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static void assertNoLeak(Http.Response response) {
        assertThat(response.body()).doesNotContain("\tat ", ".java:", "Exception:");
    }

    @Test
    void healthAndMetadataArePublic(SecurityServer.Setup setup) {
        assertThat(get(setup, "/health", null).status()).isEqualTo(200);
        assertThat(get(setup, "/fhir/metadata", null).status()).isEqualTo(200);
    }

    @Test
    void writeWithoutATokenIs401(SecurityServer.Setup setup) {
        Http.Response response = post(setup, "/fhir/Observation", OBSERVATION, null);
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertNoLeak(response);
        assertThat(get(setup, "/fhir/Observation", null).status()).isEqualTo(401);
        assertThat(post(setup, "/fhir", Fixtures.genomicReportTransaction("x"), null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aTokenFromAnotherKeyOrForAnotherAudienceOrExpiredIs401(SecurityServer.Setup setup) {
        Instant now = Instant.now();
        String forged = TestJwts.sign(
                TestJwts.rsa("auth-1"),
                TestJwts.accessClaims(SecurityServer.AUTH, setup.server.fhirBase(), "system/*.read", now)
                        .build());
        assertThat(get(setup, "/fhir/Observation", forged).status()).isEqualTo(401);
        String otherAudience = TestJwts.sign(
                setup.fhirKey,
                TestJwts.accessClaims(SecurityServer.AUTH, "https://other.example/fhir", "system/*.read", now)
                        .build());
        assertThat(get(setup, "/fhir/Observation", otherAudience).status()).isEqualTo(401);
        String expired = TestJwts.sign(
                setup.fhirKey,
                TestJwts.accessClaims(SecurityServer.AUTH, setup.server.fhirBase(), "system/*.read", now)
                        .issueTime(Date.from(now.minusSeconds(900)))
                        .expirationTime(Date.from(now.minusSeconds(300)))
                        .build());
        assertThat(get(setup, "/fhir/Observation", expired).status()).isEqualTo(401);
        // A CDS client's token is not a FHIR API token.
        assertThat(get(setup, "/fhir/Observation", setup.cdsToken("/fhir/Observation"))
                        .status())
                .isEqualTo(401);
        assertThat(get(
                                setup,
                                "/fhir/Observation",
                                TestJwts.hmacWithPublicKey(
                                        setup.fhirKey,
                                        TestJwts.accessClaims(
                                                        SecurityServer.AUTH,
                                                        setup.server.fhirBase(),
                                                        "system/*.read",
                                                        now)
                                                .build()))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aReadOnlyScopeCanReadButWriting403(SecurityServer.Setup setup) {
        String reader = setup.fhirToken("system/*.read", null);
        assertThat(get(setup, "/fhir/" + observationA, reader).status()).isEqualTo(200);
        Http.Response write = post(setup, "/fhir/Observation", OBSERVATION, reader);
        assertThat(write.status()).as(write.body()).isEqualTo(403);
        assertNoLeak(write);
        Http.Response transaction = post(
                setup,
                "/fhir",
                Fixtures.genomicReportTransaction(UUID.randomUUID().toString()),
                reader);
        assertThat(transaction.status()).as(transaction.body()).isEqualTo(403);
        String v2Reader = setup.fhirToken("system/Observation.rs", null);
        assertThat(get(setup, "/fhir/" + observationA, v2Reader).status()).isEqualTo(200);
        assertThat(post(setup, "/fhir/Observation", OBSERVATION, v2Reader).status())
                .isEqualTo(403);
    }

    @Test
    void writeScopesAllowWritingOnlyTheirTypes(SecurityServer.Setup setup) {
        String observationWriter = setup.fhirToken("system/Observation.write", null);
        assertThat(post(setup, "/fhir/Observation", OBSERVATION, observationWriter)
                        .status())
                .isEqualTo(201);
        assertThat(post(setup, "/fhir/Patient", "{\"resourceType\":\"Patient\"}", observationWriter)
                        .status())
                .isEqualTo(403);
        assertThat(get(setup, "/fhir/" + observationA, observationWriter).status())
                .isEqualTo(403);
        String v2Writer = setup.fhirToken("system/Observation.c", null);
        assertThat(post(setup, "/fhir/Observation", OBSERVATION, v2Writer).status())
                .isEqualTo(201);
    }

    @Test
    void aPatientScopedTokenCannotReadAnotherPatientsObservations(SecurityServer.Setup setup) {
        String patientToken = setup.fhirToken("patient/Observation.rs patient/Patient.rs", patientA);
        assertThat(get(setup, "/fhir/" + observationA, patientToken).status()).isEqualTo(200);
        Http.Response own = get(setup, "/fhir/Observation?patient=" + patientA, patientToken);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.resource(Bundle.class).getTotal()).isEqualTo(2);

        // Another patient's resource answers as a missing one (issue 16 row 15: AttackAuthorizationIT).
        Http.Response other = get(setup, "/fhir/" + observationB, patientToken);
        assertThat(other.status()).as(other.body()).isEqualTo(404);
        assertNoLeak(other);
        Http.Response search = get(setup, "/fhir/Observation?patient=" + patientB, patientToken);
        assertThat(search.status()).as(search.body()).isEqualTo(403);
        assertThat(search.body()).doesNotContain(observationB.split("/")[1]);
        Http.Response all = get(setup, "/fhir/Observation", patientToken);
        assertThat(all.status()).as(all.body()).isEqualTo(403);
        assertThat(get(setup, "/fhir/Patient/" + patientB, patientToken).status())
                .isEqualTo(404);
        assertThat(get(setup, "/fhir/Patient/" + patientB + "/$ras-status", patientToken)
                        .status())
                .isEqualTo(403);
        assertThat(get(setup, "/fhir/Patient/" + patientA + "/$ras-status", patientToken)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aPatientScopeWithoutAPatientInContextReachesNothing(SecurityServer.Setup setup) {
        String noPatient = setup.fhirToken("patient/Observation.rs", null);
        assertThat(get(setup, "/fhir/" + observationA, noPatient).status()).isEqualTo(403);
    }
}

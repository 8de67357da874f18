package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, rows 2, 3 and 15: what a token may not read never comes back, and never shows through a
 * status code.
 *
 * <ul>
 *   <li>Row 2: a write-only token ({@code system/Observation.c}, {@code .write}) gets no stored resource
 *       back, not through {@code Prefer: return=representation} on a matched {@code If-None-Exist}, not from
 *       a no-op PATCH, not inside a transaction answer; a chained {@code If-None-Exist} is no search oracle.
 *   <li>Row 3: a patient-scoped token's conditional delete, update and create search only its patient's
 *       compartment: the answers are the same whether other patients have 0, 1 or several matches.
 *   <li>Row 15: for a patient-scoped reader, another patient's resource and a missing id get the same answer.
 * </ul>
 */
@ExtendWith(SecurityServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackAuthorizationIT {

    private static final String CODE_SYSTEM = "urn:example:attack-authorization";
    private String writer;
    private String run;
    private String patientA;
    private String patientB;
    private String patientC;
    /** B's one Observation with code {@code <run>-one}; B and C each have one with code {@code <run>-two}. */
    private String observationB;

    @BeforeAll
    void storeThreePatients(SecurityServer.Setup setup) {
        writer = setup.fhirToken("system/*.cruds", null);
        run = UUID.randomUUID().toString().substring(0, 8);
        patientA = created(
                setup, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Attack-A-" + run + "\"}]}");
        patientB = created(
                setup, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Attack-B-" + run + "\"}]}");
        patientC = created(
                setup, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Attack-C-" + run + "\"}]}");
        observationB = created(setup, "Observation", observation(patientB, run + "-one", "secret-of-B"));
        created(setup, "Observation", observation(patientB, run + "-two", "secret-of-B"));
        created(setup, "Observation", observation(patientC, run + "-two", "secret-of-C"));
    }

    // ------------------------------------------------------------------ row 2: write-only tokens

    @Test
    void aWriteOnlyTokenGetsNoStoredResourceFromAMatchedIfNoneExist(SecurityServer.Setup setup) {
        for (String scope :
                new String[] {"system/Observation.c", "system/Observation.write", "system/Observation.cud"}) {
            String token = setup.fhirToken(scope, null);
            Http.Response matched = Http.send(setup.request("/fhir/Observation", token)
                    .header("Content-Type", "application/fhir+json")
                    .header("If-None-Exist", "_id=" + observationB)
                    .header("Prefer", "return=representation")
                    .POST(body(observation(patientA, run + "-new", "mine"))));
            assertThat(matched.status()).as(scope + ": " + matched.body()).isIn(200, 403);
            assertThat(matched.body())
                    .as(scope)
                    .doesNotContain("secret-of-B")
                    .doesNotContain("\"resourceType\":\"Observation\"");
        }
    }

    @Test
    void aChainedIfNoneExistIsNoSearchOracle(SecurityServer.Setup setup) {
        String token = setup.fhirToken("system/Observation.c", null);
        Http.Response existing = conditionalCreate(setup, token, "subject.name=Attack-B-" + run);
        Http.Response missing = conditionalCreate(setup, token, "subject.name=Nobody-" + run);
        assertThat(existing.status()).as(existing.body()).isEqualTo(missing.status());
        assertThat(existing.status()).as("refused, not answered").isEqualTo(403);
        assertThat(existing.body()).doesNotContain("secret-of-B").doesNotContain(observationB);
        Http.Response reverse =
                conditionalCreate(setup, token, "_has:Observation:subject:code=" + CODE_SYSTEM + "|" + run + "-one");
        assertThat(reverse.status()).as(reverse.body()).isEqualTo(403);
    }

    @Test
    void aNoOpPatchOfAWriteOnlyTokenReturnsNoResource(SecurityServer.Setup setup) {
        String token = setup.fhirToken("system/Observation.cud", null);
        Http.Response patched = Http.send(setup.request("/fhir/" + observationB, token)
                .header("Content-Type", "application/json-patch+json")
                .header("Prefer", "return=representation")
                .method("PATCH", body("[{\"op\":\"test\",\"path\":\"/status\",\"value\":\"final\"}]")));
        assertThat(patched.status()).as(patched.body()).isIn(200, 403);
        assertThat(patched.body()).doesNotContain("secret-of-B").doesNotContain("\"resourceType\":\"Observation\"");
    }

    @Test
    void aTransactionOfAWriteOnlyTokenReturnsNoResource(SecurityServer.Setup setup) {
        String token = setup.fhirToken("system/Observation.c", null);
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:%s","resource":%s,
                  "request":{"method":"POST","url":"Observation","ifNoneExist":"_id=%s"}}]}
                """.formatted(
                        UUID.randomUUID(),
                        observation(patientA, run + "-tx", "mine"),
                        observationB.split("/")[1]);
        Http.Response answer = Http.send(setup.request("/fhir", token)
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=representation")
                .POST(body(transaction)));
        assertThat(answer.status()).as(answer.body()).isIn(200, 403);
        assertThat(answer.body()).doesNotContain("secret-of-B").doesNotContain("\"resourceType\":\"Observation\"");

        String chained = transaction.replace(
                "\"ifNoneExist\":\"_id=" + observationB.split("/")[1] + "\"",
                "\"ifNoneExist\":\"subject.name=Attack-B-" + run + "\"");
        Http.Response oracle = Http.send(setup.request("/fhir", token)
                .header("Content-Type", "application/fhir+json")
                .POST(body(chained)));
        assertThat(oracle.status()).as(oracle.body()).isEqualTo(403);
    }

    @Test
    void aReaderStillGetsWhatItWrote(SecurityServer.Setup setup) {
        String token = setup.fhirToken("system/Observation.cr", null);
        Http.Response created = Http.send(setup.request("/fhir/Observation", token)
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=representation")
                .POST(body(observation(patientA, run + "-reader", "readable"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"resourceType\":\"Observation\"", "readable");
        Http.Response matched = conditionalCreate(
                setup, token, "subject.name=Attack-B-" + run + "&code=" + CODE_SYSTEM + "%7C" + run + "-one");
        assertThat(matched.status()).as("a reader may chain: " + matched.body()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ row 3: patient-scoped conditional operations

    @Test
    void aPatientScopedConditionalDeleteLearnsNothingAboutOtherPatients(SecurityServer.Setup setup) {
        String token = setup.fhirToken("patient/Observation.cruds", patientA);
        Http.Response none = conditionalDelete(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-nothing");
        Http.Response one = conditionalDelete(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-one");
        Http.Response several = conditionalDelete(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-two");
        Http.Response byId =
                conditionalDelete(setup, token, "_id=" + observationB.split("/")[1]);
        assertThat(one.status()).as("one match of B: " + one.body()).isEqualTo(none.status());
        assertThat(several.status()).as("matches of B and C: " + several.body()).isEqualTo(none.status());
        assertThat(byId.status()).as("B's id: " + byId.body()).isEqualTo(none.status());
        assertThat(Http.send(setup.request("/fhir/" + observationB, writer).GET())
                        .status())
                .as("B's result is still there")
                .isEqualTo(200);
    }

    @Test
    void aPatientScopedConditionalCreateOrUpdateMatchesOnlyInsideItsCompartment(SecurityServer.Setup setup) {
        String token = setup.fhirToken("patient/Observation.cruds", patientA);
        // B's id is no match for A's token: the answer is the one for an id never used (HAPI refuses to
        // create a resource that does not satisfy the condition: 400 for both).
        Http.Response createB =
                conditionalCreate(setup, token, "_id=" + observationB.split("/")[1]);
        Http.Response createNone = conditionalCreate(setup, token, "_id=" + UUID.randomUUID());
        assertThat(createB.status())
                .as(createB.body())
                .isEqualTo(createNone.status())
                .isNotEqualTo(200);
        assertThat(createB.body()).doesNotContain("secret-of-B");
        Http.Response createByCode = conditionalCreate(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-one");
        Http.Response createByNoCode =
                conditionalCreate(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-nothing");
        assertThat(createByCode.status()).as(createByCode.body()).isEqualTo(createByNoCode.status());

        Http.Response updateB =
                conditionalUpdate(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-one", run + "-a2");
        Http.Response updateNone =
                conditionalUpdate(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-nothing", run + "-a3");
        Http.Response updateSeveral =
                conditionalUpdate(setup, token, "code=" + CODE_SYSTEM + "%7C" + run + "-two", run + "-a4");
        assertThat(updateB.status()).as(updateB.body()).isEqualTo(updateNone.status());
        assertThat(updateSeveral.status()).as(updateSeveral.body()).isEqualTo(updateNone.status());
        assertThat(updateB.body()).doesNotContain("secret-of-B");
        assertThat(Http.send(setup.request("/fhir/" + observationB, writer).GET())
                        .body())
                .contains("secret-of-B");
    }

    // ------------------------------------------------------------------ row 15: 403 = 404

    @Test
    void anotherPatientsResourceAndAMissingIdGetTheSameAnswer(SecurityServer.Setup setup) {
        String token = setup.fhirToken("patient/Observation.rs patient/Patient.rs", patientA);
        String missingObservation = "Observation/" + UUID.randomUUID();
        Http.Response other =
                Http.send(setup.request("/fhir/" + observationB, token).GET());
        Http.Response missing =
                Http.send(setup.request("/fhir/" + missingObservation, token).GET());
        assertSameAnswer(other, observationB, missing, missingObservation);

        Http.Response otherPatient =
                Http.send(setup.request("/fhir/Patient/" + patientB, token).GET());
        String missingPatient = "Patient/" + UUID.randomUUID();
        Http.Response noPatient =
                Http.send(setup.request("/fhir/" + missingPatient, token).GET());
        assertSameAnswer(otherPatient, "Patient/" + patientB, noPatient, missingPatient);

        assertThat(Http.send(setup.request("/fhir/Patient/" + patientA, token).GET())
                        .status())
                .as("its own patient")
                .isEqualTo(200);
    }

    private static void assertSameAnswer(Http.Response one, String oneId, Http.Response other, String otherId) {
        assertThat(one.status()).as(one.body() + " vs " + other.body()).isEqualTo(other.status());
        assertThat(one.status()).isIn(403, 404);
        assertThat(shape(one.body(), oneId)).isEqualTo(shape(other.body(), otherId));
        assertThat(one.body()).doesNotContain("secret-of-B");
    }

    /** The body with the id asked for taken out, and the issue read as an OperationOutcome. */
    private static String shape(String body, String id) {
        OperationOutcome outcome = Http.FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
        return issue.getSeverity() + "|" + issue.getCode() + "|"
                + issue.getDiagnostics().replace(id, "{id}").replace(id.split("/")[1], "{id}");
    }

    // ------------------------------------------------------------------ helpers

    private static String observation(String patient, String code, String text) {
        return """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"%s","code":"%s"}]},
                 "subject":{"reference":"Patient/%s"},"valueString":"%s"}""".formatted(CODE_SYSTEM, code, patient, text);
    }

    private String created(SecurityServer.Setup setup, String type, String json) {
        Http.Response response = Http.send(setup.request("/fhir/" + type, writer)
                .header("Content-Type", "application/fhir+json")
                .POST(body(json)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String location = response.header("Location");
        String id = location.replaceAll("/_history/.*$", "");
        id = id.substring(id.indexOf(type + "/"));
        return type.equals("Patient") ? id.split("/")[1] : id;
    }

    private Http.Response conditionalCreate(SecurityServer.Setup setup, String token, String condition) {
        return Http.send(setup.request("/fhir/Observation", token)
                .header("Content-Type", "application/fhir+json")
                .header("If-None-Exist", condition)
                .header("Prefer", "return=representation")
                .POST(body(observation(patientA, run + "-cc", "mine"))));
    }

    private static Http.Response conditionalDelete(SecurityServer.Setup setup, String token, String query) {
        return Http.send(setup.request("/fhir/Observation?" + query, token).DELETE());
    }

    private Http.Response conditionalUpdate(SecurityServer.Setup setup, String token, String query, String code) {
        return Http.send(setup.request("/fhir/Observation?" + query, token)
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=representation")
                .PUT(body(observation(patientA, code, "mine"))));
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }
}

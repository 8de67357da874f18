package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input gets a clear 4xx OperationOutcome: never a 500, never a stack trace. */
@ExtendWith(SharedServer.class)
class BadInputIT {

    private String fhir;

    @BeforeEach
    void setUp(ServerProcess server) {
        fhir = server.fhirBase();
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertClientError(Http.post(fhir + "/Observation", "this is not json"));
    }

    @Test
    void jsonThatIsNotFhirIsRefused() {
        assertClientError(Http.post(fhir + "/Observation", "{\"hello\": \"world\"}"));
        assertClientError(Http.post(fhir, "[1, 2, 3]"));
    }

    @Test
    void anUnknownElementIsRefusedAndNamed() {
        Http.Response response = Http.post(
                fhir + "/Observation",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"colour\":\"blue\"}");
        assertClientError(response);
        assertThat(response.body()).contains("colour");
    }

    @Test
    void aResourceTypeThatDoesNotMatchTheUrlIsRefused() {
        assertClientError(Http.post(fhir + "/Observation", "{\"resourceType\":\"Patient\"}"));
    }

    @Test
    void aBodyOverTheSizeLimitIsRefused() {
        String huge =
                "{\"resourceType\":\"Observation\",\"note\":[{\"text\":\"" + "a".repeat(21 * 1024 * 1024) + "\"}]}";
        Http.Response declared = Http.post(fhir + "/Observation", huge);
        assertThat(declared.status()).isEqualTo(413);
        assertClientError(declared);

        Http.Response chunked = Http.send(HttpRequest.newBuilder(URI.create(fhir + "/Observation"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes()))));
        assertThat(chunked.status()).isEqualTo(413);
        assertClientError(chunked);
    }

    /** An outside attack: a NUL in a stored string broke every XML answer that held the resource. */
    @Test
    void aControlCharacterInAStringIsRefusedBeforeItIsStored() {
        Http.Response response = Http.post(
                fhir + "/Observation",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"KRAS\\u0000 G12D\"}}");
        assertThat(response.status()).isEqualTo(400);
        assertClientError(response);
        assertThat(response.body()).contains("invalid-character");
    }

    /** A JSON Patch arriving base64-encoded in a transaction's Binary entry is past the body guard: checked when stored. */
    @Test
    void aPatchThatWouldStoreAControlCharacterIsRefusedAndTheResourceKept() {
        Http.Response created =
                Http.post(fhir + "/Basic", "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"before\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.resource(org.hl7.fhir.r4.model.Basic.class)
                .getIdElement()
                .getIdPart();
        String patch = "[{\"op\":\"replace\",\"path\":\"/code/text\",\"value\":\"a\\u0001b\"}]";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Binary\",\"contentType\":\"application/json-patch+json\",\"data\":\""
                + java.util.Base64.getEncoder().encodeToString(patch.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\"},\"request\":{\"method\":\"PATCH\",\"url\":\"Basic/" + id + "\"}}]}";
        Http.Response refused = Http.post(fhir, bundle);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertClientError(refused);
        assertThat(refused.body()).contains("invalid-character");
        Http.Response asXml = Http.get(fhir + "/Basic/" + id + "?_format=xml");
        assertThat(asXml.status()).isEqualTo(200);
        assertThat(asXml.body()).contains("<text value=\"before\"/>").doesNotContain("OperationOutcome");
    }

    @Test
    void unknownPathsAndMalformedUrlsGetAnOperationOutcome() {
        assertClientError(Http.get(fhir.replace("/fhir", "/nothing-here")));
        assertClientError(Http.get(fhir + "/NotAResourceType/1"));
    }

    private static void assertClientError(Http.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain("\tat ", ".java:", "Exception:");
        OperationOutcome outcome = Http.FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue())
                .isNotEmpty()
                .allSatisfy(issue -> assertThat(issue.getSeverity())
                        .isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL));
    }
}

package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class BadInputExceptionMapperTest {

    private final BadInputExceptionMapper mapper = new BadInputExceptionMapper();

    @Test
    void aServerFailureIsAnsweredWithAGenericMessageAndTheCorrelationIdOnly() {
        MDC.put(Correlation.MDC_KEY, "corr-12345678");
        try {
            BaseServerResponseException answer = mapper.answer(
                    new InternalErrorException(
                            "HAPI-0389: Failed to call access method", new OutOfMemoryError("Java heap space")),
                    null);
            assertThat(answer.getStatusCode()).isEqualTo(500);
            String body = FhirContext.forR4Cached().newJsonParser().encodeResourceToString((OperationOutcome)
                    answer.getOperationOutcome());
            assertThat(body)
                    .contains("corr-12345678")
                    .contains("internal-error")
                    .doesNotContain("Java heap space", "HAPI-0389", "Exception", "OutOfMemory");
        } finally {
            MDC.remove(Correlation.MDC_KEY);
        }
    }

    @Test
    void clientFaultsKeepTheirOwnAnswer() {
        assertThat(mapper.answer(new ca.uhn.fhir.parser.DataFormatException("bad"), null))
                .isNull();
        assertThat(mapper.answer(new IllegalArgumentException("argument type mismatch"), null)
                        .getStatusCode())
                .isEqualTo(400);
        // A FHIRPath Patch with %resource in its path (an outside attack's 500), wrapped as HAPI wraps it.
        assertThat(mapper.answer(
                                new InternalErrorException(
                                        "HAPI-0000",
                                        new ca.uhn.fhir.fhirpath.FhirPathExecutionException("resolveConstant")),
                                null)
                        .getStatusCode())
                .isEqualTo(400);
    }
}

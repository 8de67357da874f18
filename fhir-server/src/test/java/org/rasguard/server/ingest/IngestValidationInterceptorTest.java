package org.rasguard.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which refused bodies hold a resource whose errors can be located ({@link IngestValidationInterceptor#isAResource}):
 * unknown elements, wrong JSON types and values a primitive cannot take all can.
 */
class IngestValidationInterceptorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"unknownElement\":1,\"code\":{\"text\":\"x\"}}",
                "\uFEFF  {\"resourceType\":\"Observation\",\"status\":[\"final\"]}",
                "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":\"many\"}}",
                "<Observation xmlns=\"http://hl7.org/fhir\"><text><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                        + "KRAS&nbsp;G12D</div></text><status value=\"final\"/><bogus/></Observation>"
            })
    void aResourceWithUnknownElementsOrWrongTypesIsOne(String body) {
        assertThat(IngestValidationInterceptor.isAResource(FHIR, body)).as(body).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"status\":\"final\"}",
                "{\"resourceType\":\"observation\"}",
                "{\"resourceType\":5}",
                "[1,2]",
                "  <Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>",
                "<Observation xmlns=\"http://hl7.org/fhir\"></Observation>trailing",
                "<NoSuchResource xmlns=\"http://hl7.org/fhir\"/>",
                "not a resource at all"
            })
    void whatNoParserReadsAsAResourceIsNot(String body) {
        assertThat(IngestValidationInterceptor.isAResource(FHIR, body)).as(body).isFalse();
    }
}

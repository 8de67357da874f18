package org.rasguard.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;

class SafeExceptionsTest {

    @Test
    void aSummaryNamesClassesAndPlacesButNoMessage() {
        Exception failure = new InternalErrorException(
                "HAPI-0389: Failed to call access method: Smith, John 1970-01-01",
                new NumberFormatException("For input string: \"Smith\""));
        String summary = SafeExceptions.summary(failure);
        assertThat(summary)
                .startsWith("InternalErrorException <- NumberFormatException at ")
                .contains("SafeExceptionsTest")
                .doesNotContain("Smith", "HAPI-0389", "1970");
    }

    @Test
    void clientFaultsAreRefusalsAndServerFaultsAreNot() {
        assertThat(SafeExceptions.isRefusal(new ForbiddenOperationException("no")))
                .isTrue();
        assertThat(SafeExceptions.isRefusal(new DataFormatException("bad date 'Smith'")))
                .isTrue();
        assertThat(SafeExceptions.isRefusal(new RuntimeException(new ForbiddenOperationException("no"))))
                .isTrue();
        assertThat(SafeExceptions.isRefusal(
                        new RuntimeException(new SAXParseException("Content is not allowed in prolog.", null))))
                .as("the validator's XML parse of a $validate body")
                .isTrue();
        assertThat(SafeExceptions.isRefusal(new InternalErrorException("x"))).isFalse();
        assertThat(SafeExceptions.isRefusal(new OutOfMemoryError("Java heap space")))
                .isFalse();
    }
}

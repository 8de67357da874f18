package org.rasguard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.junit.jupiter.api.Test;

/** Failures of requests that are not reads pass through unchanged. */
class UniformNotFoundTest {

    @Test
    void aFailureBeforeHapiKnowsTheOperationIsLeftAsItIs() {
        // No operation type: the request failed before HAPI resolved one (an unknown type, a bad path).
        SystemRequestDetails request = new SystemRequestDetails();

        assertThat(new UniformNotFound(null).sameAsMissing(request, new ResourceNotFoundException("gone")))
                .isNull();
    }
}

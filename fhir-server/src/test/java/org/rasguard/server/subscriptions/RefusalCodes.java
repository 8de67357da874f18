package org.rasguard.server.subscriptions;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The stable code of a refusal's OperationOutcome (its first issue's first detail coding). */
final class RefusalCodes {

    private RefusalCodes() {}

    static String code(BaseServerResponseException refused) {
        return ((OperationOutcome) refused.getOperationOutcome())
                .getIssueFirstRep()
                .getDetails()
                .getCodingFirstRep()
                .getCode();
    }
}

package org.rasguard.server.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Set;

/**
 * For a token that reads a type only inside its patient's compartment, reading an id of that type
 * answers one way whatever the id is: another patient's resource (which HAPI's authorization refuses
 * with 403), a deleted one (410) and an id never used (404) all get the same 404 and the same
 * OperationOutcome. Otherwise the status would tell which ids exist in other patients' records.
 */
@Interceptor
final class UniformNotFound {

    private static final Set<RestOperationTypeEnum> READS =
            Set.of(RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD, RestOperationTypeEnum.HISTORY_INSTANCE);

    private final SmartAuthorizationInterceptor authorization;

    UniformNotFound(SmartAuthorizationInterceptor authorization) {
        this.authorization = authorization;
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException sameAsMissing(RequestDetails request, Throwable failure) {
        // No operation type yet (the request failed before HAPI resolved it): not a read. Set.of rejects null.
        if (request.getRestOperationType() == null
                || !READS.contains(request.getRestOperationType())
                || !(failure instanceof ForbiddenOperationException
                        || failure instanceof ResourceNotFoundException
                        || failure instanceof ResourceGoneException)) {
            return null;
        }
        TokenAccess access = authorization.verifiedAccess(request);
        String type = request.getResourceName();
        if (access == null || type == null || !access.readsOnlyInCompartment(type)) {
            return null;
        }
        String id = request.getId() == null ? "" : request.getId().getIdPart();
        return new ResourceNotFoundException("Resource " + type + "/" + id + " is not known.");
    }
}

package org.rasguard.server.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A write answers with the stored resource ({@code Prefer: return=representation}, HAPI's default): the
 * one just written, the one a matched {@code If-None-Exist} found, the one a no-op PATCH left as it was.
 * HAPI's authorization checks what a read returns, not what a write returns, so a write-only token
 * would read through it. Here every resource in the answer of a create, update, patch or transaction
 * is checked against the token's read rules; one it may not read is replaced by an OperationOutcome
 * (as {@code Prefer: return=OperationOutcome} would give), or left out of its transaction entry. Status,
 * {@code Location} and {@code ETag} stay: they say what the write did.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#ops">FHIR R4: Prefer return</a>
 */
@Interceptor
final class UnreadableResponseFilter {

    private static final Set<RestOperationTypeEnum> WRITES = Set.of(
            RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE,
            RestOperationTypeEnum.PATCH,
            RestOperationTypeEnum.TRANSACTION);

    private final SmartAuthorizationInterceptor authorization;

    UnreadableResponseFilter(SmartAuthorizationInterceptor authorization) {
        this.authorization = authorization;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean hideWhatTheTokenCannotRead(RequestDetails request, ResponseDetails response) {
        if (request.getRestOperationType() == null || !WRITES.contains(request.getRestOperationType())) {
            return true;
        }
        IBaseResource resource = response.getResponseResource();
        if (resource == null || resource instanceof OperationOutcome) {
            return true;
        }
        if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION && resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()
                        && !(entry.getResource() instanceof OperationOutcome)
                        && !authorization.mayRead(request, entry.getResource())) {
                    entry.setResource(null);
                }
            }
            return true;
        }
        if (!authorization.mayRead(request, resource)) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics(
                            "Done. The token may not read this " + resource.fhirType() + ", so it is not returned.");
            response.setResponseResource(outcome);
        }
        return true;
    }
}

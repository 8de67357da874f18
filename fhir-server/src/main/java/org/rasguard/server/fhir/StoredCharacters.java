package org.rasguard.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.FhirCharacters;
import org.rasguard.server.http.JsonGuardFilter;
import org.rasguard.server.http.Refusals;

/**
 * No resource is stored holding a character FHIR strings cannot ({@link FhirCharacters}), whatever path
 * built it: {@link JsonGuardFilter} refuses such a JSON body before parsing, but a patch builds the stored
 * resource from the stored one and the patch's values, and a JSON Patch can arrive base64-encoded in a
 * transaction's Binary entry (an outside attack stored {@code \u0001} that way, and every XML answer holding
 * the resource broke). Checked on HAPI JPA's interceptor service before storage, over every primitive value
 * (extensions and contained resources included) of a client's write; a refusal is a 400 ({@value FhirCharacters#INVALID}) and a
 * refused transaction entry fails the transaction.
 */
@Interceptor
public final class StoredCharacters {

    private final FhirContext fhir;

    public StoredCharacters(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    void check(IBaseResource resource, RequestDetails request) {
        // The server's own writes (the audit trail's AuditEvents) carry only what passed the body guards.
        if (resource == null || request instanceof SystemRequestDetails || !holdsInvalidCharacter(resource)) {
            return;
        }
        if (request != null) {
            Refusals.record(request, FhirCharacters.INVALID);
        }
        String message = "The " + resource.fhirType() + " would hold " + FhirCharacters.DESCRIPTION + ".";
        throw new InvalidRequestException(
                message,
                ErrorResponses.outcome(
                        OperationOutcome.IssueType.INVALID, FhirCharacters.INVALID, null, message, null));
    }

    boolean holdsInvalidCharacter(IBaseResource resource) {
        return FhirCharacters.anyInvalidIn(fhir, resource);
    }
}

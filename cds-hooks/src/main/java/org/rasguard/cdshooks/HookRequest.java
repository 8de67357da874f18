package org.rasguard.cdshooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A validated order-select or order-sign call.
 *
 * @param hook the hook, equal to the service's
 * @param hookInstance the client's UUID for this call (feedback ties back to it)
 * @param fhirServer the client's FHIR base URL without a trailing slash, or null
 * @param accessToken {@code fhirAuthorization.access_token}, or null; never logged, never stored
 * @param patientId {@code context.patientId}, a valid FHIR id
 * @param userId {@code context.userId} ({@code Practitioner/123}), or null when absent or not a
 *     {@code Type/id} reference (kept for the audit trail only)
 * @param draftOrders {@code context.draftOrders}
 * @param selections {@code context.selections} ({@code Type/id}); empty for order-sign
 * @param prefetch the prefetch object's members as sent (a JSON {@code null} stays a NullNode)
 */
public record HookRequest(
        Hook hook,
        String hookInstance,
        String fhirServer,
        String accessToken,
        String patientId,
        String userId,
        Bundle draftOrders,
        List<String> selections,
        Map<String, JsonNode> prefetch) {

    public HookRequest {
        selections = List.copyOf(selections);
        prefetch = Map.copyOf(prefetch);
    }

    public Optional<String> fhirServerUrl() {
        return Optional.ofNullable(fhirServer);
    }

    /** Without the token, the patient id or any resource: safe for a log or an assertion message. */
    @Override
    public String toString() {
        return "HookRequest[" + hook.id() + ", hookInstance=" + hookInstance + ", fhirServer=" + (fhirServer != null)
                + ", token=" + (accessToken != null) + ", orders=" + draftOrders.getEntry().size()
                + ", prefetch=" + prefetch.keySet() + "]";
    }
}

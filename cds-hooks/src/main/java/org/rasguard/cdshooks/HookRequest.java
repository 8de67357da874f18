package org.rasguard.cdshooks;

import java.util.Collections;
import java.util.EnumMap;
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
 * @param prefetch every prefetch key of ours to what the client sent for it, parsed once (CDS Hooks 2.0 §Prefetch
 *     Template: not supplied, {@code null}, an OperationOutcome, resources)
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
        Map<PrefetchKey, PrefetchValue> prefetch) {

    public HookRequest {
        selections = List.copyOf(selections);
        Map<PrefetchKey, PrefetchValue> every = new EnumMap<>(PrefetchKey.class);
        for (PrefetchKey key : PrefetchKey.values()) {
            every.put(key, prefetch.getOrDefault(key, new PrefetchValue.NotSupplied()));
        }
        prefetch = Collections.unmodifiableMap(every);
    }

    public Optional<String> fhirServerUrl() {
        return Optional.ofNullable(fhirServer);
    }

    /** Without the token, the patient id or any resource: safe for a log or an assertion message. */
    @Override
    public String toString() {
        return "HookRequest[" + hook.id() + ", hookInstance=" + hookInstance + ", fhirServer=" + (fhirServer != null)
                + ", token=" + (accessToken != null) + ", orders="
                + draftOrders.getEntry().size()
                + ", prefetch=" + supplied() + "]";
    }

    /** The prefetch keys the client sent (a value, {@code null} or an OperationOutcome). */
    private List<String> supplied() {
        return prefetch.entrySet().stream()
                .filter(entry -> !(entry.getValue() instanceof PrefetchValue.NotSupplied))
                .map(entry -> entry.getKey().key())
                .toList();
    }
}

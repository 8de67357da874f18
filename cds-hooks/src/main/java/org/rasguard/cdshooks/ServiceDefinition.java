package org.rasguard.cdshooks;

import java.util.Map;
import java.util.Set;

/**
 * One CDS service as discovery lists it.
 *
 * @param id stable id, the last path segment of {@code /cds-services/{id}}
 * @param hook the hook it answers
 * @param title short human title
 * @param description what it does
 * @param usageRequirements what the client must provide for it to work fully
 * @param keys the prefetch keys the service asks for (and reads from the client's FHIR server when not sent)
 * @see <a href="https://cds-hooks.hl7.org/2.0/#response">CDS Hooks 2.0: Discovery response</a>
 */
public record ServiceDefinition(
        String id, Hook hook, String title, String description, String usageRequirements, Set<PrefetchKey> keys) {

    /** Prefetch key to FHIR query template, in a stable order. */
    public Map<String, String> prefetch() {
        return PrefetchKey.templates(keys);
    }
}

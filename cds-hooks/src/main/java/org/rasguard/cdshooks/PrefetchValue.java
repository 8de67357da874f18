package org.rasguard.cdshooks;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the client prefetched for one key, with the CDS Hooks 2.0 semantics (§Prefetch Template):
 * an omitted key was not supplied (fetch it); {@code null} means there is no data; an
 * OperationOutcome means the client tried and failed (fetch it, or treat it as missing); a Bundle
 * may be one page of several (follow {@code next}), and one that holds fewer matches than its
 * {@code total} with no {@code next} was cut short ({@link SearchCompleteness}).
 */
public sealed interface PrefetchValue {

    /** The key is not in the request. */
    record NotSupplied() implements PrefetchValue {}

    /** The key is {@code null}: the client looked and there is nothing. */
    record NoData() implements PrefetchValue {}

    /** The client sent an OperationOutcome, or something that is not usable FHIR. */
    record Failed(String reason) implements PrefetchValue {}

    /**
     * The resources sent; {@code next} is the URL of the following page, or null on the last page;
     * {@code total} the matches the search announced across all pages (null: none announced) and
     * {@code matches} how many of them this page holds.
     */
    record Resources(List<Resource> resources, String next, Integer total, int matches) implements PrefetchValue {
        public Resources {
            resources = List.copyOf(resources);
        }
    }

    static PrefetchValue read(Map<String, JsonNode> prefetch, PrefetchKey key, IParser parser) {
        JsonNode value = prefetch.get(key.key());
        if (value == null) {
            return new NotSupplied();
        }
        if (value.isNull()) {
            return new NoData();
        }
        if (!value.isObject() || !value.has("resourceType")) {
            return new Failed("not a FHIR resource");
        }
        Resource resource;
        try {
            resource = (Resource) parser.parseResource(value.toString());
        } catch (DataFormatException | ClassCastException e) {
            return new Failed("not readable FHIR R4");
        }
        if (resource instanceof OperationOutcome) {
            return new Failed("the client sent an OperationOutcome");
        }
        if (!(resource instanceof Bundle bundle)) {
            return new Resources(List.of(resource), null, null, 1);
        }
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasResource()) {
                continue;
            }
            if (entry.getResource() instanceof OperationOutcome outcome) {
                if (isError(outcome)) {
                    return new Failed("the search Bundle reports an error");
                }
                continue;
            }
            resources.add(entry.getResource());
        }
        Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
        return new Resources(
                resources,
                next != null && next.hasUrl() ? next.getUrl() : null,
                SearchCompleteness.announcedTotal(bundle),
                SearchCompleteness.matches(bundle));
    }

    private static boolean isError(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
    }
}

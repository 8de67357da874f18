package org.rasguard.server.metrics;

import java.util.Set;
import org.rasguard.cdshooks.CdsServices;

/**
 * A request path as a metrics route: ids replaced by placeholders, anything unexpected folded into
 * one value, so a client cannot create series at will and no id ever reaches a metric.
 * {@code /fhir/Observation/123/_history/2} → {@code /fhir/Observation/{id}/_history/{vid}};
 * {@code /cds-services/rasguard-anti-egfr-order-sign/feedback} → {@code /cds-services/{id}/feedback}.
 *
 * <p>Only the resource types this server works with are named; the other 130-odd R4 types are one
 * {@code /fhir/{other}} (issue 16, row 6: each route is a histogram of some 70 series, and 600 requests
 * over types and shapes had added 600 series).
 */
public final class Routes {

    /** What RAS Guard stores and reads: genomic results and their context, its knowledge, its audit trail. */
    static final Set<String> RESOURCE_TYPES = Set.of(
            "Patient",
            "Observation",
            "DiagnosticReport",
            "Specimen",
            "MolecularSequence",
            "Condition",
            "MedicationRequest",
            "Medication",
            "ServiceRequest",
            "Encounter",
            "Practitioner",
            "Organization",
            "Bundle",
            "AuditEvent",
            "Library",
            "PlanDefinition",
            "ValueSet",
            "CodeSystem",
            "ConceptMap",
            "StructureDefinition",
            "SearchParameter",
            "Binary");

    private static final Set<String> OPERATIONS = Set.of(
            "$cds-report",
            "$ras-status",
            "$validate",
            "$expand",
            "$validate-code",
            "$lookup",
            "$meta",
            "$everything",
            "$translate",
            "$subsumes");
    private static final Set<String> SERVER_PATHS = Set.of("metadata", "_history", "_search");
    /** The one value of everything unexpected. */
    public static final String OTHER = "{other}";

    private Routes() {}

    public static String of(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        if (path.equals("/health") || path.equals("/metrics")) {
            return path;
        }
        String[] parts = path.substring(1).split("/", -1);
        return switch (parts[0]) {
            case "fhir" -> fhir(parts);
            case "cds-services" -> cds(parts);
            default -> "/" + OTHER;
        };
    }

    private static String fhir(String[] parts) {
        StringBuilder route = new StringBuilder("/fhir");
        if (parts.length == 1 || (parts.length == 2 && parts[1].isEmpty())) {
            return route.toString();
        }
        String first = parts[1];
        if (parts.length == 2 && (SERVER_PATHS.contains(first) || OPERATIONS.contains(first))) {
            return route.append('/').append(first).toString();
        }
        if (!RESOURCE_TYPES.contains(first)) {
            return route.append('/').append(OTHER).toString();
        }
        route.append('/').append(first);
        for (int i = 2; i < parts.length; i++) {
            String part = parts[i];
            String name;
            if (OPERATIONS.contains(part) || SERVER_PATHS.contains(part)) {
                name = part;
            } else if (i == 2) {
                name = "{id}";
            } else if (i == 4 && parts[3].equals("_history")) {
                name = "{vid}";
            } else {
                name = OTHER;
            }
            route.append('/').append(name);
            if (name.equals(OTHER) || i >= 4) {
                break;
            }
        }
        return route.toString();
    }

    private static String cds(String[] parts) {
        if (parts.length == 1 || (parts.length == 2 && parts[1].isEmpty())) {
            return "/cds-services";
        }
        String id = CdsServices.byId(parts[1]).isPresent() ? "{id}" : OTHER;
        if (parts.length == 2) {
            return "/cds-services/" + id;
        }
        return parts.length == 3 && parts[2].equals("feedback")
                ? "/cds-services/" + id + "/feedback"
                : "/cds-services/" + OTHER;
    }
}

package org.rasguard.ras;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.rasguard.ras.EvidenceGraph.Node;
import org.rasguard.ras.EvidenceGraph.Usability;

/**
 * Amended and corrected results supersede what they correct, when the correction is a new
 * Observation rather than a new version of the old one:
 * <ul>
 *   <li>a result carrying the R4 {@code observation-replaces} extension makes its target obsolete
 *       (R4: "an alternative to updating the Observation with a new version with status =
 *       'amended' or 'corrected'. The target observation is now obsolete");</li>
 *   <li>of two results of the same test with the same business identifier (system and value), the
 *       later one (issued, else effective, else meta.lastUpdated) supersedes the earlier one.</li>
 * </ul>
 * Fail safe: only a final, amended or corrected result supersedes (a preliminary or retracted
 * one does not); results whose order cannot be told (a tie, a missing date) are all kept, so a
 * mutation in either counts; a replacement cycle replaces nothing. A group superseded this way
 * takes the members that belong to no live group with it.
 *
 * @see <a href="https://hl7.org/fhir/R4/extension-observation-replaces.html">R4 extension observation-replaces</a>
 */
final class ResultSupersession {

    static final String REPLACES_EXTENSION = "http://hl7.org/fhir/StructureDefinition/observation-replaces";

    private ResultSupersession() {}

    /** Marks superseded results DROPPED; {@code resolve} finds the Observations a reference points to. */
    static void apply(List<Node> nodes, BiFunction<Reference, String, List<Node>> resolve) {
        Map<Node, Set<Node>> replaces = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (!canSupersede(node)) {
                continue;
            }
            for (Extension extension : node.observation.getExtensionsByUrl(REPLACES_EXTENSION)) {
                if (extension.getValue() instanceof Reference target) {
                    for (Node old : resolve.apply(target, Findings.scope(node))) {
                        if (old != node) {
                            replaces.computeIfAbsent(node, n -> new LinkedHashSet<>())
                                    .add(old);
                        }
                    }
                }
            }
        }
        Set<Node> superseded = new LinkedHashSet<>();
        replaces.forEach((node, targets) ->
                targets.stream().filter(old -> !reaches(old, node, replaces)).forEach(superseded::add));
        superseded.addAll(supersededByIdentifier(nodes));
        superseded.forEach(node -> node.usability = Usability.DROPPED);
        dropOrphanedMembers(superseded);
    }

    private static boolean canSupersede(Node node) {
        return node.usability != Usability.DROPPED && EvidenceGraph.usabilityOf(node.observation) == Usability.FINAL;
    }

    /** True when {@code from} replaces {@code to}, directly or through other replacements (a cycle). */
    private static boolean reaches(Node from, Node to, Map<Node, Set<Node>> replaces) {
        Deque<Node> queue = new ArrayDeque<>(List.of(from));
        Set<Node> visited = new HashSet<>();
        while (!queue.isEmpty()) {
            Node next = queue.poll();
            if (next == to) {
                return true;
            }
            if (visited.add(next)) {
                queue.addAll(replaces.getOrDefault(next, Set.of()));
            }
        }
        return false;
    }

    private static Set<Node> supersededByIdentifier(List<Node> nodes) {
        Map<String, List<Node>> byIdentifier = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (!canSupersede(node)) {
                continue;
            }
            for (Identifier identifier : node.observation.getIdentifier()) {
                if (identifier.hasSystem()
                        && identifier.hasValue()
                        && !identifier.getValue().isBlank()) {
                    byIdentifier
                            .computeIfAbsent(
                                    identifier.getSystem() + "|" + identifier.getValue(), k -> new ArrayList<>())
                            .add(node);
                }
            }
        }
        Set<Node> out = new LinkedHashSet<>();
        for (List<Node> same : byIdentifier.values()) {
            for (Node older : same) {
                for (Node newer : same) {
                    if (older != newer
                            && sameTest(older.observation, newer.observation)
                            && later(newer.observation, older.observation)) {
                        out.add(older);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The same test: a code in common (or the same code text), and the same genes studied. A v2
     * converter may give every result of an order the order's number; a KRAS and an NRAS result
     * (or a panel and its members) sharing it do not supersede each other.
     */
    private static boolean sameTest(Observation a, Observation b) {
        boolean codeInCommon = a.getCode().getCoding().stream()
                .anyMatch(x -> b.getCode().getCoding().stream()
                        .anyMatch(y -> Objects.equals(x.getSystem(), y.getSystem())
                                && x.hasCode()
                                && Objects.equals(x.getCode(), y.getCode())));
        boolean sameText = !a.getCode().hasCoding()
                && !b.getCode().hasCoding()
                && a.getCode().hasText()
                && a.getCode()
                        .getText()
                        .trim()
                        .equalsIgnoreCase(String.valueOf(b.getCode().getText()).trim());
        return (codeInCommon || sameText) && genesStudied(a).equals(genesStudied(b));
    }

    private static Set<String> genesStudied(Observation observation) {
        Set<String> out = new TreeSet<>();
        for (Observation.ObservationComponentComponent gene :
                Fhir.components(observation, GenomicsCodes.GENE_STUDIED)) {
            if (gene.getValue() instanceof CodeableConcept concept) {
                for (Coding coding : concept.getCoding()) {
                    out.add((coding.hasCode() ? coding.getCode() : String.valueOf(coding.getDisplay()))
                            .toUpperCase(Locale.ROOT));
                }
                if (!concept.hasCoding() && concept.hasText()) {
                    out.add(concept.getText().trim().toUpperCase(Locale.ROOT));
                }
            } else {
                out.add(Fhir.valueText(gene.getValue()).trim().toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** Strictly later by issued, else effective, else meta.lastUpdated; each level only when both have it. */
    private static boolean later(Observation a, Observation b) {
        List<Instant[]> levels = List.of(
                new Instant[] {issued(a), issued(b)},
                new Instant[] {effective(a), effective(b)},
                new Instant[] {lastUpdated(a), lastUpdated(b)});
        for (Instant[] pair : levels) {
            if (pair[0] != null && pair[1] != null && !pair[0].equals(pair[1])) {
                return pair[0].isAfter(pair[1]);
            }
        }
        return false;
    }

    private static Instant issued(Observation observation) {
        return observation.hasIssued() ? observation.getIssued().toInstant() : null;
    }

    private static Instant effective(Observation observation) {
        if (observation.getEffective() instanceof BaseDateTimeType date && date.hasValue()) {
            return date.getValue().toInstant();
        }
        if (observation.getEffective() instanceof Period period && period.hasStart()) {
            return period.getStart().toInstant();
        }
        return null;
    }

    private static Instant lastUpdated(Observation observation) {
        return observation.getMeta().hasLastUpdated()
                ? observation.getMeta().getLastUpdated().toInstant()
                : null;
    }

    /** Members whose every group was superseded go with it (walked down, cycles guarded). */
    private static void dropOrphanedMembers(Set<Node> superseded) {
        Deque<Node> queue = new ArrayDeque<>(superseded);
        Set<Node> visited = new HashSet<>(superseded);
        while (!queue.isEmpty()) {
            Node group = queue.poll();
            for (Node member : group.members) {
                boolean orphaned = member.groups.stream().allMatch(g -> g.usability == Usability.DROPPED);
                if (orphaned && visited.add(member)) {
                    member.usability = Usability.DROPPED;
                    queue.add(member);
                }
            }
        }
    }
}

package org.rasguard.ras;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;

/**
 * One patient's genomic evidence as a graph: every Observation (top level, in Bundles, contained),
 * the DiagnosticReports that list them, the Specimens they were measured on, and the
 * {@code hasMember} / {@code derivedFrom} links between them. Genomics Reporting requires consumers
 * to "navigate through all hasMember relations, and navigate through derivedFrom" (GR 3.0.0
 * general.html); a converter may also put results in {@code DiagnosticReport.contained}.
 *
 * <p>It also applies the issue's status rules before any classification: the newest version of a
 * resource supersedes older ones; {@code entered-in-error} and {@code cancelled} evidence is
 * dropped, and so is every result of a report or group that is; a result in a preliminary report is
 * preliminary. A result listed by a live report is not dropped because an entered-in-error or
 * cancelled report also lists it (a reissued report keeps its results). Results superseded by a
 * later result ({@link ResultSupersession}) are dropped. Every walk keeps a visited set, so
 * reference cycles cannot loop.
 */
final class EvidenceGraph {

    private static final Pattern VERSION_NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern HISTORY_SUFFIX = Pattern.compile("/_history/[^/]+$");

    /** How far a result may be used, from worst to best; a result takes the worst of itself and its containers. */
    enum Usability {
        DROPPED,
        PENDING,
        PRELIMINARY,
        FINAL
    }

    /** One Observation with what the graph knows about it. */
    static final class Node {
        final Observation observation;
        final String reference;
        final String container;
        final Set<DiagnosticReport> reports = new LinkedHashSet<>();
        final Set<Node> members = new LinkedHashSet<>();
        final Set<Node> groups = new LinkedHashSet<>();
        final Set<Node> derivedLinks = new LinkedHashSet<>();
        Usability usability;
        /** True for a Variant assembled from the separate members of an HL7 v2-style panel ({@link SplitPanelReader}). */
        boolean assembledFromSplitPanel;

        Node(Observation observation, String reference, String container) {
            this.observation = observation;
            this.reference = reference;
            this.container = container;
            this.usability = usabilityOf(observation);
        }

        /** The panels that list this result, and the panels that list those, to any depth; cycles stop. */
        Set<Node> groupsAbove() {
            Set<Node> seen = new LinkedHashSet<>();
            Deque<Node> queue = new ArrayDeque<>(groups);
            while (!queue.isEmpty()) {
                Node group = queue.poll();
                if (group != this && seen.add(group)) {
                    queue.addAll(group.groups);
                }
            }
            return seen;
        }
    }

    private static final int MAX_BUNDLE_DEPTH = 4;

    private final Map<String, List<Resource>> versionsByKey = new LinkedHashMap<>();
    private final Map<String, String> keyByAlias = new HashMap<>();
    private final Map<String, List<Resource>> resolved = new HashMap<>();
    private final Map<Resource, Node> nodeByResource = new IdentityHashMap<>();
    private final Map<Resource, String> containerOf = new IdentityHashMap<>();
    private final Map<Resource, String> keyOf = new IdentityHashMap<>();
    private final List<DiagnosticReport> reports = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<DiagnosticReport, List<Node>> resultsByReport = new IdentityHashMap<>();
    private int anonymous;

    private EvidenceGraph() {}

    static EvidenceGraph of(Collection<? extends IBaseResource> evidence) {
        EvidenceGraph graph = new EvidenceGraph();
        for (IBaseResource resource : evidence) {
            graph.collect(resource, null, 0);
        }
        graph.keepNewestVersions();
        graph.link();
        graph.propagateUsability();
        ResultSupersession.apply(graph.nodes, graph::observations);
        graph.nodes.sort(Comparator.comparing(node -> node.reference));
        for (Node node : graph.nodes) {
            node.reports.forEach(report -> graph.resultsByReport
                    .computeIfAbsent(report, r -> new ArrayList<>())
                    .add(node));
        }
        return graph;
    }

    /** Every Observation, in a stable order. */
    List<Node> nodes() {
        return nodes;
    }

    /** Every DiagnosticReport (newest versions, contained ones included), in the order collected. */
    List<DiagnosticReport> reports() {
        return reports;
    }

    /** The Observations a report lists, directly, as members of listed groups, or contained. */
    List<Node> resultsOf(DiagnosticReport report) {
        return resultsByReport.getOrDefault(report, List.of());
    }

    /** The Specimen a reference points to, if it was among the evidence. */
    Specimen specimen(Reference reference, String container) {
        return resolve(reference, container).stream()
                .filter(Specimen.class::isInstance)
                .map(Specimen.class::cast)
                .findFirst()
                .orElse(null);
    }

    String referenceOf(Resource resource) {
        return keyOf.get(resource);
    }

    // ---------------------------------------------------------------- collecting

    private void collect(IBaseResource resource, String fullUrl, int depth) {
        if (resource instanceof Bundle bundle) {
            if (depth < MAX_BUNDLE_DEPTH) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    if (entry.hasResource()) {
                        collect(entry.getResource(), entry.getFullUrl(), depth + 1);
                    }
                }
            }
        } else if (resource instanceof Observation
                || resource instanceof DiagnosticReport
                || resource instanceof Specimen) {
            Resource r = (Resource) resource;
            String id = r.getIdElement().getValue();
            String key;
            if (id != null && id.startsWith("urn:")) {
                key = id;
            } else if (r.getIdElement().hasIdPart() && !isLocal(r.getIdElement().getIdPart())) {
                key = r.fhirType() + "/" + r.getIdElement().getIdPart();
            } else {
                key = fullUrl != null ? fullUrl : r.fhirType() + "/#" + (++anonymous);
            }
            versionsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            if (fullUrl != null) {
                keyByAlias.put(fullUrl, key);
            }
        }
    }

    /** A parser gives Bundle entries without id their urn:uuid fullUrl as id; "#x" ids are contained ones. */
    private static boolean isLocal(String id) {
        return id.startsWith("#");
    }

    /** Keeps, per resource, the newest version; versions that cannot be ordered are all kept. */
    private void keepNewestVersions() {
        for (Map.Entry<String, List<Resource>> entry : versionsByKey.entrySet()) {
            List<Resource> versions = entry.getValue();
            Resource newest =
                    versions.stream().max(EvidenceGraph::compareVersions).orElseThrow();
            List<Resource> kept = versions.stream()
                    .filter(v -> compareVersions(v, newest) == 0)
                    .toList();
            resolved.put(entry.getKey(), kept);
            for (Resource resource : kept) {
                keyOf.put(resource, entry.getKey());
                register(resource, entry.getKey());
            }
        }
    }

    private void register(Resource resource, String key) {
        if (resource instanceof DiagnosticReport report) {
            reports.add(report);
        }
        if (resource instanceof Observation observation) {
            nodes.add(node(observation, key, containerOf.get(resource)));
        }
        if (resource instanceof DomainResource domain) {
            for (Resource contained : domain.getContained()) {
                String id = contained.getIdElement().getIdPart();
                if (id == null) {
                    continue;
                }
                String local = id.startsWith("#") ? id.substring(1) : id;
                String containedKey = key + "#" + local;
                resolved.put(containedKey, List.of(contained));
                keyOf.put(contained, containedKey);
                containerOf.put(contained, key);
                if (contained instanceof Observation
                        || contained instanceof DiagnosticReport
                        || contained instanceof Specimen) {
                    register(contained, containedKey);
                }
            }
        }
    }

    private Node node(Observation observation, String key, String container) {
        Node node = new Node(observation, key, container);
        nodeByResource.put(observation, node);
        return node;
    }

    /**
     * Orders versions by meta.versionId (numeric when possible), then meta.lastUpdated, then issued. Two with
     * the same version id are the same version (a server gives each version its own id): when they differ
     * anyway, neither supersedes the other, whatever their lastUpdated says, and both are read (fail safe: an
     * outside attack sent a G12D and a negative under one id and version, the negative updated later, and the
     * G12D used to be dropped).
     */
    private static int compareVersions(Resource a, Resource b) {
        String versionA = a.getMeta().getVersionId();
        String versionB = b.getMeta().getVersionId();
        if (versionA != null && versionA.equals(versionB)) {
            return 0;
        }
        int byVersion = compareVersionIds(versionA, versionB);
        if (byVersion != 0) {
            return byVersion;
        }
        int byUpdate = compareInstants(
                a.getMeta().getLastUpdated() == null
                        ? null
                        : a.getMeta().getLastUpdated().toInstant(),
                b.getMeta().getLastUpdated() == null
                        ? null
                        : b.getMeta().getLastUpdated().toInstant());
        return byUpdate != 0 ? byUpdate : compareInstants(issuedOf(a), issuedOf(b));
    }

    private static int compareVersionIds(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null ? 0 : (a == null ? -1 : 1);
        }
        if (VERSION_NUMBER.matcher(a).matches() && VERSION_NUMBER.matcher(b).matches()) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return a.compareTo(b);
    }

    private static int compareInstants(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null && b == null ? 0 : (a == null ? -1 : 1);
        }
        return a.compareTo(b);
    }

    private static Instant issuedOf(Resource resource) {
        if (resource instanceof Observation o && o.hasIssued()) {
            return o.getIssued().toInstant();
        }
        if (resource instanceof DiagnosticReport r && r.hasIssued()) {
            return r.getIssued().toInstant();
        }
        return null;
    }

    // ---------------------------------------------------------------- linking

    private void link() {
        for (DiagnosticReport report : reports) {
            String container = keyOf.get(report);
            for (Reference result : report.getResult()) {
                for (Node node : observations(result, container)) {
                    node.reports.add(report);
                }
            }
        }
        for (Node node : nodes) {
            String scope = node.container != null ? node.container : node.reference;
            for (Reference member : node.observation.getHasMember()) {
                for (Node child : observations(member, scope)) {
                    if (child != node) {
                        node.members.add(child);
                        child.groups.add(node);
                    }
                }
            }
            for (Reference source : node.observation.getDerivedFrom()) {
                for (Node other : observations(source, scope)) {
                    if (other != node) {
                        node.derivedLinks.add(other);
                        other.derivedLinks.add(node);
                    }
                }
            }
        }
        for (Node node : nodes) {
            if (node.container != null) {
                resolved.getOrDefault(node.container, List.of()).stream()
                        .filter(DiagnosticReport.class::isInstance)
                        .map(DiagnosticReport.class::cast)
                        .forEach(node.reports::add);
            }
        }
        inheritReportsThroughGroups();
    }

    /** A member of a group belongs to the group's reports too (walks hasMember breadth-first, once per node). */
    private void inheritReportsThroughGroups() {
        for (Node root : nodes) {
            if (root.reports.isEmpty()) {
                continue;
            }
            Deque<Node> queue = new ArrayDeque<>(root.members);
            Set<Node> visited = new LinkedHashSet<>(List.of(root));
            while (!queue.isEmpty()) {
                Node member = queue.poll();
                if (visited.add(member)) {
                    member.reports.addAll(root.reports);
                    queue.addAll(member.members);
                }
            }
        }
    }

    List<Node> observations(Reference reference, String scope) {
        List<Node> out = new ArrayList<>();
        for (Resource resource : resolve(reference, scope)) {
            Node node = nodeByResource.get(resource);
            if (node != null) {
                out.add(node);
            }
        }
        return out;
    }

    /** Resolves a reference: an in-memory target, a contained "#id", a Bundle fullUrl, or "Type/id" (absolute or versioned). */
    private List<Resource> resolve(Reference reference, String scope) {
        if (reference == null) {
            return List.of();
        }
        if (reference.getResource() instanceof Resource target) {
            String key = keyOf.get(target);
            if (key != null) {
                return resolved.getOrDefault(key, List.of(target));
            }
        }
        String ref = reference.getReference();
        if (ref == null || ref.isBlank()) {
            return List.of();
        }
        if (ref.startsWith("#")) {
            return scope == null ? List.of() : resolved.getOrDefault(scope + ref, List.of());
        }
        String key = keyByAlias.get(ref);
        if (key == null) {
            String plain = HISTORY_SUFFIX.matcher(ref).replaceFirst("");
            String[] parts = plain.split("/");
            key = parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : plain;
        }
        return resolved.getOrDefault(key, List.of());
    }

    // ---------------------------------------------------------------- status

    /**
     * A result takes the worst usability of itself, its reports, its container and the groups it
     * is a member of (walked to the top, cycles guarded).
     */
    private void propagateUsability() {
        for (Node node : nodes) {
            Usability worst = node.usability;
            forgetRetractedReports(node);
            for (DiagnosticReport report : node.reports) {
                worst = min(worst, usabilityOf(report));
            }
            if (node.container != null) {
                for (Resource container : resolved.getOrDefault(node.container, List.of())) {
                    worst = min(
                            worst,
                            container instanceof Observation o
                                    ? usabilityOf(o)
                                    : container instanceof DiagnosticReport r ? usabilityOf(r) : Usability.FINAL);
                }
            }
            for (Node group : node.groupsAbove()) {
                worst = min(worst, usabilityOf(group.observation));
            }
            node.usability = worst;
        }
    }

    /**
     * A reissued report: the first version entered in error (or cancelled), a new report listing
     * the same results. When a result is listed by at least one live report, the retracted
     * reports no longer speak for it; when every report listing it is retracted, it stays dropped.
     */
    private static void forgetRetractedReports(Node node) {
        boolean listedByLiveReport = node.reports.stream().anyMatch(report -> usabilityOf(report) != Usability.DROPPED);
        if (listedByLiveReport) {
            node.reports.removeIf(report -> usabilityOf(report) == Usability.DROPPED);
        }
    }

    static Usability min(Usability a, Usability b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Observation.status: final / amended / corrected are usable; a missing status, {@code unknown}, and a
     * {@code registered} one that carries a value anyway are read as preliminary (a mutation counts, a
     * negative cannot stand alone: an outside attack's G12D with status {@code unknown} or
     * {@code registered} used to be dropped, and the negatives beside it decided wild-type).
     */
    static Usability usabilityOf(Observation observation) {
        if (!observation.hasStatus()) {
            return Usability.PRELIMINARY;
        }
        return switch (observation.getStatus()) {
            case FINAL, AMENDED, CORRECTED -> Usability.FINAL;
            case PRELIMINARY, UNKNOWN -> Usability.PRELIMINARY;
            case ENTEREDINERROR, CANCELLED -> Usability.DROPPED;
            case REGISTERED -> carriesAResult(observation) ? Usability.PRELIMINARY : Usability.PENDING;
            default -> Usability.PENDING;
        };
    }

    private static boolean carriesAResult(Observation observation) {
        return observation.hasValue()
                || observation.hasInterpretation()
                || observation.hasHasMember()
                || observation.getComponent().stream().anyMatch(Observation.ObservationComponentComponent::hasValue);
    }

    /** DiagnosticReport.status: a partial or preliminary report makes its results preliminary. */
    static Usability usabilityOf(DiagnosticReport report) {
        if (!report.hasStatus()) {
            return Usability.PRELIMINARY;
        }
        return switch (report.getStatus()) {
            case FINAL, AMENDED, CORRECTED, APPENDED -> Usability.FINAL;
            case ENTEREDINERROR, CANCELLED -> Usability.DROPPED;
            default -> Usability.PRELIMINARY;
        };
    }
}

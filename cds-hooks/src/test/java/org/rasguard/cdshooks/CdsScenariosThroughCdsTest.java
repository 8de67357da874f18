package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rasguard.cdshooks.CdsScenarios.Scenario;
import org.rasguard.cdshooks.CdsScenarios.Way;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The whole scenario matrix ({@link CdsScenarios}: every scenario on order-sign and order-select, each
 * of the three ways a call gets the record) through the CDS service in process. As in fhir-server's
 * deployment where the EHR's FHIR server is this server, the record is both on the client's FHIR
 * server and in our store, under the same ids (one id space): the FHIR server answers the discovery
 * document's prefetch queries from the record, our store holds its Patients and their results. All
 * scenarios' records are held together, as the IT posts them all to one server, so a call sees the
 * other patients' records too. {@code CdsHooksScenariosIT} plays a few of the same calls over HTTP against HAPI JPA.
 */
class CdsScenariosThroughCdsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The client's FHIR server, which is also this server's own base (as in the IT). */
    private static final String FHIR_BASE = "https://rasguard.scenarios.example.test/fhir";

    /** Every scenario's record, as the IT posts them all to one server; one service answers every call. */
    private static final List<Scenario> SCENARIOS = CdsScenarios.scenarios();

    private static final Records RECORDS = Records.of(SCENARIOS);
    private static final CdsHooksService SERVICE = new CdsHooksService(
            DecisionKnowledge.from(KNOWLEDGE),
            FHIR,
            RECORDS.store(),
            RECORDS,
            FhirServerAllowlist.of(List.of(FHIR_BASE)),
            items -> List.of(),
            CdsHooksService.Settings.defaults());

    @TestFactory
    Stream<DynamicTest> everyScenarioOnBothHooksThreeWays() {
        assertThat(SCENARIOS).hasSizeGreaterThanOrEqualTo(30);
        return SCENARIOS.stream()
                .flatMap(scenario -> Stream.of(Way.values())
                        .flatMap(way -> Stream.of(
                                DynamicTest.dynamicTest(
                                        scenario.name() + " / order-sign / " + way, () -> check(scenario, way, false)),
                                DynamicTest.dynamicTest(
                                        scenario.name() + " / order-select / " + way,
                                        () -> check(scenario, way, true)))));
    }

    private static void check(Scenario scenario, Way way, boolean select) throws IOException {
        CdsScenarios.Ids ids = name -> RECORDS.id(scenario, name);
        ObjectNode request = CdsScenarios.request(
                scenario, ids, way, select ? scenario.selected() : null, FHIR_BASE, RECORDS::answer);
        String serviceId = select ? CdsServices.ORDER_SELECT_ID : CdsServices.ORDER_SIGN_ID;
        RECORDS.calls.clear();

        JsonNode response = JSON.readTree(
                SERVICE.call(serviceId, request.toString().getBytes(StandardCharsets.UTF_8), List.of(FHIR_BASE)));

        CdsScenarios.Expect expect = select ? scenario.select() : scenario.sign();
        CdsScenarios.checkCards(response, expect);
        if (way == Way.FULL_PREFETCH && !scenario.medicationOnServer()) {
            assertThat(RECORDS.calls)
                    .as("a full prefetch needs no read of the client's server")
                    .isEmpty();
        } else if (way == Way.NO_PREFETCH && !expect.cards().isEmpty()) { // no anti-EGFR order in scope: nothing read
            // The medication history is read only where it changes the card (hooks fixtures history-*).
            String patient = ids.apply("patient");
            assertThat(RECORDS.calls)
                    .as("every key but the medication history read from the client's server")
                    .containsAll(PrefetchKey.ORDER.stream()
                            .filter(key -> !PrefetchKey.HISTORY.contains(key))
                            .map(key -> key.query(patient))
                            .toList());
        }
    }

    /**
     * Every scenario's record with ids given ({@code s<n>-<name>}) and the transaction's {@code urn:uuid}
     * references resolved: the client's FHIR server (an {@link EhrFhirClient} that answers the
     * discovery document's queries and reads by id, and fails the test on any query it does not know)
     * and our store's view of the same resources.
     */
    private static final class Records implements EhrFhirClient {
        final Map<Scenario, Integer> numbers = new LinkedHashMap<>();
        final List<Resource> resources = new ArrayList<>();
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

        static Records of(List<Scenario> scenarios) {
            Records records = new Records();
            IParser parser = FHIR.newJsonParser();
            for (Scenario scenario : scenarios) {
                records.numbers.put(scenario, records.numbers.size() + 1);
                scenario.record().forEach((name, resource) -> {
                    String json = parser.encodeResourceToString(resource);
                    for (Map.Entry<String, Resource> other : scenario.record().entrySet()) {
                        json = json.replace(
                                scenario.urn(other.getKey()),
                                other.getValue().fhirType() + "/" + records.id(scenario, other.getKey()));
                    }
                    Resource resolved = (Resource) parser.parseResource(json);
                    resolved.setId(new IdType(resolved.fhirType(), records.id(scenario, name)));
                    records.resources.add(resolved);
                });
            }
            return records;
        }

        String id(Scenario scenario, String name) {
            return "s" + numbers.get(scenario) + "-" + name;
        }

        /** Our store: the record's Patients, and their results and specimens (what JpaEvidenceStore reads). */
        InMemoryEvidenceStore store() {
            InMemoryEvidenceStore store = new InMemoryEvidenceStore();
            for (Resource resource : resources) {
                if (resource instanceof Patient patient) {
                    store.addPatient(patient);
                } else if (resource instanceof Observation || resource instanceof Specimen) {
                    subjectId(resource).ifPresent(patientId -> store.addEvidence(patientId, resource));
                }
            }
            return store;
        }

        @Override
        public CompletableFuture<EhrFetch> get(EhrServer server, String url) {
            assertThat(server.baseUrl()).isEqualTo(FHIR_BASE);
            calls.add(url);
            List<Resource> found = search(url);
            return CompletableFuture.completedFuture(
                    found == null ? new EhrFetch.NotFound() : new EhrFetch.Found(found));
        }

        /** What the FHIR API answers to a relative read or search, as JSON (a resource, or a searchset Bundle). */
        JsonNode answer(String url) {
            List<Resource> found = search(url);
            try {
                if (!url.contains("?")) {
                    assertThat(found).as("read " + url).isNotNull();
                    return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(found.get(0)));
                }
                ObjectNode bundle =
                        JSON.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
                ArrayNode entries = bundle.putArray("entry");
                String type = url.substring(0, url.indexOf('?'));
                for (Resource resource : found) {
                    ObjectNode entry = entries.addObject();
                    entry.put(
                            "fullUrl",
                            FHIR_BASE + "/" + resource.fhirType() + "/"
                                    + resource.getIdElement().getIdPart());
                    entry.set("resource", JSON.readTree(FHIR.newJsonParser().encodeResourceToString(resource)));
                    entry.putObject("search").put("mode", resource.fhirType().equals(type) ? "match" : "include");
                }
                bundle.put(
                        "total",
                        found.stream().filter(r -> r.fhirType().equals(type)).count());
                return bundle;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** A read (null when there is no such resource) or one of the discovery document's searches. */
        private List<Resource> search(String url) {
            if (!url.contains("?")) {
                String[] typeAndId = url.split("/");
                return resources.stream()
                        .filter(r -> r.fhirType().equals(typeAndId[0])
                                && r.getIdElement().getIdPart().equals(typeAndId[1]))
                        .findFirst()
                        .map(r -> List.of(r.copy()))
                        .orElse(null);
            }
            String type = url.substring(0, url.indexOf('?'));
            Map<String, String> params = new LinkedHashMap<>();
            List<String> includes = new ArrayList<>();
            for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (name.equals("_include")) {
                    includes.add(value);
                } else {
                    params.put(name, value);
                }
            }
            String patient = params.remove("patient");
            String category = params.remove("category");
            String status = params.remove("status");
            assertThat(params)
                    .as("query parameters this fake FHIR server does not know: " + url)
                    .isEmpty();
            assertThat(patient)
                    .as("every prefetch search is by patient: " + url)
                    .isNotNull();
            List<Resource> out = new ArrayList<>();
            for (Resource resource : resources) {
                if (!resource.fhirType().equals(type) || !subjectId(resource).equals(Optional.of(patient))) {
                    continue;
                }
                if (category != null
                        && !(resource instanceof Observation o
                                && o.getCategory().stream()
                                        .anyMatch(c -> c.getCoding().stream()
                                                .anyMatch(coding -> category.equals(coding.getCode()))))) {
                    continue;
                }
                if (status != null
                        && !(resource instanceof MedicationRequest mr
                                && mr.hasStatus()
                                && List.of(status.split(","))
                                        .contains(mr.getStatus().toCode()))) {
                    continue;
                }
                out.add(resource.copy());
            }
            List<String> referenced = new ArrayList<>();
            for (String include : includes) {
                switch (include) {
                    case "Observation:specimen" ->
                        out.stream()
                                .filter(Observation.class::isInstance)
                                .forEach(r -> referenced.add(
                                        ((Observation) r).getSpecimen().getReference()));
                    case "DiagnosticReport:result" ->
                        out.stream()
                                .filter(org.hl7.fhir.r4.model.DiagnosticReport.class::isInstance)
                                .forEach(r -> ((org.hl7.fhir.r4.model.DiagnosticReport) r)
                                        .getResult()
                                        .forEach(ref -> referenced.add(ref.getReference())));
                    case "DiagnosticReport:specimen" ->
                        out.stream()
                                .filter(org.hl7.fhir.r4.model.DiagnosticReport.class::isInstance)
                                .forEach(r -> ((org.hl7.fhir.r4.model.DiagnosticReport) r)
                                        .getSpecimen()
                                        .forEach(ref -> referenced.add(ref.getReference())));
                    case "MedicationRequest:medication" ->
                        out.stream()
                                .filter(MedicationRequest.class::isInstance)
                                .filter(r -> ((MedicationRequest) r).hasMedicationReference())
                                .forEach(r -> referenced.add(((MedicationRequest) r)
                                        .getMedicationReference()
                                        .getReference()));
                    case "MedicationAdministration:medication",
                            "MedicationStatement:medication" -> {} // the scenarios hold none
                    default ->
                        assertThat(include)
                                .as("an _include this fake FHIR server does not know")
                                .isNull();
                }
            }
            resources.stream()
                    .filter(r -> referenced.contains(
                            r.fhirType() + "/" + r.getIdElement().getIdPart()))
                    .forEach(r -> out.add(r.copy()));
            return out;
        }

        private static Optional<String> subjectId(Resource resource) {
            Reference subject = null;
            if (resource instanceof Observation o) {
                subject = o.getSubject();
            } else if (resource instanceof Specimen s) {
                subject = s.getSubject();
            } else if (resource instanceof Condition c) {
                subject = c.getSubject();
            } else if (resource instanceof MedicationRequest mr) {
                subject = mr.getSubject();
            } else if (resource instanceof org.hl7.fhir.r4.model.DiagnosticReport r) {
                subject = r.getSubject();
            }
            if (subject == null
                    || !subject.hasReference()
                    || !subject.getReference().startsWith("Patient/")) {
                return Optional.empty();
            }
            return Optional.of(subject.getReference().substring("Patient/".length()));
        }
    }
}

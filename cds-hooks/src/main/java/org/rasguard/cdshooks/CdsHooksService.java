package org.rasguard.cdshooks;

import org.rasguard.decision.Indication;
import org.rasguard.decision.OrderRule;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.cards.CardFactory;
import org.rasguard.cards.CardInput;
import org.rasguard.decision.CardKind;
import org.rasguard.cards.CardRules;
import org.rasguard.cards.CdsResponse;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.BrafInhibitor;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.knowledge.IndicationMatcher;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.Gene;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;
import org.rasguard.ras.UnknownReason;
import org.rasguard.ras.VariantFinding;

/**
 * The RAS Guard CDS service, without HTTP: discovery, a call (request JSON in, response JSON out),
 * and feedback. One call:
 *
 * <ol>
 *   <li>check the request ({@link HookRequestParser}; 400 with a stable code);
 *   <li>pick the orders to look at: every draft order on order-sign, the selections on order-select;
 *   <li>find each one's drug (medicationCodeableConcept, or the Medication its reference points to);
 *       with no cetuximab or panitumumab among them, answer {@code cards: []} at once;
 *   <li>gather the patient's record (prefetch, else the client's FHIR server if allowed; always our
 *       genomics store); 412 when what the decision needs could be had from nowhere;
 *   <li>assess RAS status over all the evidence, and decide per order ({@link OrderRule});
 *   <li>write one card per anti-EGFR order ({@link CardFactory}) and check the response against the
 *       spec ({@link CardRules}) before it leaves;
 *   <li>tell the {@link DecisionObserver} what was decided (the audit trail, the metrics).
 * </ol>
 *
 * Thread-safe; holds no per-call state.
 */
public final class CdsHooksService {

    /**
     * @param wildTypeInfo return an info card for RAS wild-type (default: no card)
     * @param fetchBudgetMillis how long all reads on the client's FHIR server may take together
     * @param g12cCombinations the KRAS G12C inhibitors whose approved antibody combination is honoured
     *     (default both); an approval that is withdrawn is taken out here without a new release
     * @param sharedPatientIds the EHRs' patient ids are our store's ids ({@code RASGUARD_CDS_SHARED_PATIENT_IDS}):
     *     our {@code Patient/{id}} is matched by id as well as by identifier
     * @param personIdentifierSystems identifier systems that identify a person ({@code RASGUARD_PATIENT_IDENTIFIER_SYSTEMS});
     *     empty: every system
     * @param evidenceMaxResources how many of a patient's resources our store reads at most
     *     ({@code RASGUARD_EVIDENCE_MAX_RESOURCES}); past it wild-type cannot be concluded
     */
    public record Settings(boolean wildTypeInfo, long fetchBudgetMillis, Set<G12cInhibitor> g12cCombinations,
            boolean sharedPatientIds, Set<String> personIdentifierSystems, int evidenceMaxResources) {
        public static final int DEFAULT_EVIDENCE_MAX_RESOURCES = 10_000;

        public Settings {
            g12cCombinations = Set.copyOf(g12cCombinations);
            personIdentifierSystems = Set.copyOf(personIdentifierSystems);
            if (evidenceMaxResources < 1) {
                throw new IllegalArgumentException("evidenceMaxResources must be at least 1");
            }
        }

        public Settings(boolean wildTypeInfo, long fetchBudgetMillis, Set<G12cInhibitor> g12cCombinations) {
            this(wildTypeInfo, fetchBudgetMillis, g12cCombinations, false, Set.of(), DEFAULT_EVIDENCE_MAX_RESOURCES);
        }

        public Settings(boolean wildTypeInfo, long fetchBudgetMillis) {
            this(wildTypeInfo, fetchBudgetMillis, EnumSet.allOf(G12cInhibitor.class));
        }

        public static Settings defaults() {
            return new Settings(false, 3_000);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final FhirContext fhir;
    private final HookRequestParser requests;
    private final FeedbackParser feedbackParser;
    private final DrugMatcher drugs;
    private final IndicationMatcher indications;
    private final RasStatusEngine engine;
    private final CardFactory cards;
    private final RecordGatherer gatherer;
    private final EhrFhirClient client;
    private final FhirServerAllowlist allowlist;
    private final FeedbackStore feedbackStore;
    private final IssuedCards issued = new IssuedCards(100_000);
    /** {@code system|code} of the override reasons every card offers (see {@link CardFactory}). */
    private final Set<String> offeredOverrideReasons;
    private final Settings settings;
    private final DecisionObserver observer;
    private final String discovery;

    public CdsHooksService(KnowledgeBase knowledge, FhirContext fhir, EvidenceStore store, EhrFhirClient client,
            FhirServerAllowlist allowlist, FeedbackStore feedbackStore, Settings settings) {
        this(knowledge, fhir, store, client, allowlist, feedbackStore, settings, DecisionObserver.NONE);
    }

    public CdsHooksService(KnowledgeBase knowledge, FhirContext fhir, EvidenceStore store, EhrFhirClient client,
            FhirServerAllowlist allowlist, FeedbackStore feedbackStore, Settings settings, DecisionObserver observer) {
        this.fhir = fhir;
        this.requests = new HookRequestParser(json, fhir);
        this.feedbackParser = new FeedbackParser(json);
        this.drugs = DrugMatcher.from(knowledge);
        this.indications = IndicationMatcher.from(knowledge);
        this.engine = new RasStatusEngine(RasVocabulary.from(knowledge), RasPolicy.defaults());
        this.cards = new CardFactory(knowledge, fhir, json, UUID::randomUUID);
        this.offeredOverrideReasons = knowledge.codeSystem(CardFactory.OVERRIDE_SYSTEM).stream()
                .flatMap(reasons -> reasons.getConcept().stream())
                .map(concept -> CardFactory.OVERRIDE_SYSTEM + "|" + concept.getCode())
                .collect(Collectors.toUnmodifiableSet());
        this.gatherer = new RecordGatherer(fhir, client, store, new PersonIdentity(settings.personIdentifierSystems()),
                settings.fetchBudgetMillis(), settings.evidenceMaxResources());
        this.client = client;
        this.allowlist = allowlist;
        this.feedbackStore = feedbackStore;
        this.settings = settings;
        this.observer = observer;
        this.discovery = buildDiscovery();
    }

    // ------------------------------------------------------------------ discovery

    /** The discovery document, {@code {"services": [...]}}. */
    public String discovery() {
        return discovery;
    }

    private String buildDiscovery() {
        ObjectNode root = json.createObjectNode();
        ArrayNode services = root.putArray("services");
        for (ServiceDefinition definition : CdsServices.all()) {
            ObjectNode service = services.addObject();
            service.put("hook", definition.hook().id());
            service.put("title", definition.title());
            service.put("description", definition.description());
            service.put("id", definition.id());
            ObjectNode prefetch = service.putObject("prefetch");
            definition.prefetch().forEach(prefetch::put);
            service.put("usageRequirements", definition.usageRequirements());
        }
        List<String> problems = CardRules.checkDiscovery(root);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Discovery breaks the CDS Hooks rules: " + problems);
        }
        return root.toString();
    }

    // ------------------------------------------------------------------ a call

    /**
     * Answers one call.
     *
     * @return the response JSON, checked against {@link CardRules}
     * @throws CdsError 404 unknown service, 400 bad request, 412 data unobtainable
     */
    public String call(String serviceId, byte[] body) {
        return call(serviceId, body, List.of());
    }

    /**
     * @param ownFhirBases this server's FHIR base URLs (empty: none known): a call whose {@code fhirServer}
     *     is one of them names patients by our own ids
     */
    public String call(String serviceId, byte[] body, List<String> ownFhirBases) {
        long startNanos = System.nanoTime();
        Instant started = Instant.now();
        ServiceDefinition service = CdsServices.byId(serviceId).orElseThrow(CdsError::unknownService);
        HookRequest request = requests.parse(body, service); // a 400 is no decision: nothing to observe
        Trace trace = new Trace(service, request, started, startNanos);
        notify(() -> observer.started(service.id(), request.hookInstance()));
        try {
            String answer = decide(service, request, trace, sameIdSpace(request, ownFhirBases));
            notify(() -> observer.decided(trace.decision(null)));
            return answer;
        } catch (CdsError e) {
            notify(() -> observer.decided(trace.decision(e.code())));
            throw e;
        } catch (RuntimeException e) {
            notify(() -> observer.decided(trace.decision("internal-error")));
            throw e;
        }
    }

    /** An observer's failure never changes the answer (see {@link DecisionObserver}). */
    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // the observer logs its own failures
        }
    }

    /** One id space: the client's FHIR server is this one, or the operator says all ids are shared. */
    private boolean sameIdSpace(HookRequest request, List<String> ownFhirBases) {
        return settings.sharedPatientIds() || (request.fhirServer() != null
                && ownFhirBases.stream().anyMatch(base -> trimSlash(request.fhirServer()).equals(trimSlash(base))));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private String decide(ServiceDefinition service, HookRequest request, Trace trace, boolean sameIdSpace) {
        IParser parser = requests.lenientParser();
        EhrServer ehr = null;
        String whyNoServer;
        if (request.fhirServer() == null) {
            whyNoServer = "the request names no fhirServer";
        } else if (!allowlist.allows(request.fhirServer())) {
            whyNoServer = "fhirServer is not on this service's allowlist";
        } else {
            ehr = new EhrServer(request.fhirServer(), request.accessToken());
            whyNoServer = "fhirServer could not be read";
        }

        List<Order> antiEgfrOrders = antiEgfrOrders(request, ehr, parser, trace);
        if (antiEgfrOrders.isEmpty()) {
            return respond(CdsResponse.empty(), service, request);
        }

        PatientRecord record = gatherer.gather(request, ehr, whyNoServer, sameIdSpace, parser);
        // Without the EHR's Patient our store is not consulted (a note on the card); the EHR's own data still decides.
        List<PrefetchKey> needed = List.of(PrefetchKey.CONDITIONS, PrefetchKey.OBSERVATIONS);
        List<PrefetchKey> missing = record.missing().stream().filter(needed::contains).toList();

        Indication indication = Indication.of(record.conditions(), indications);
        List<Resource> evidence = new ArrayList<>(record.ehrEvidence());
        evidence.addAll(record.storeEvidence());
        RasAssessment assessment = engine.assess(evidence);
        if (record.storeTruncated()) {
            assessment = assessment.cutShort();
        }
        trace.assessed(assessment, record.cautions());
        // Fail safe: a mutation in what could be had is enough to warn (missing Conditions read as
        // "no diagnosis on record", where the rule applies); anything short of it needs all the data.
        if (!missing.isEmpty() && assessment.status() != RasStatus.MUTATED) {
            throw unobtainable(missing, whyNoServer);
        }
        boolean onlyG12c = onlyKrasG12c(assessment);

        List<CdsResponse.Card> out = new ArrayList<>();
        List<Decision.Card> issuedCards = new ArrayList<>();
        for (Order order : antiEgfrOrders) {
            Optional<G12cInhibitor> partner = drugs.approvedPartner(order.drug()).filter(settings.g12cCombinations()::contains);
            boolean partnerOrdered = partner.isPresent() && indication.appliesRasRule()
                    && among(concept -> drugs.g12cInhibitor(concept).filter(found -> found == partner.get()).isPresent(),
                            request.draftOrders(), record);
            if (assessment.status() == RasStatus.MUTATED && onlyG12c && indication.appliesRasRule() && partner.isPresent()
                    && !partnerOrdered && record.activeMedications() == null) {
                // Whether the partner is already given decides between two cards: it needs the active medications.
                throw unobtainable(List.of(PrefetchKey.MEDICATIONS), whyNoServer);
            }
            Optional<BrafInhibitor> brafPartner = drugs.approvedBrafPartner(order.drug());
            boolean brafPartnerOrdered = brafPartner.isPresent() && assessment.brafV600e()
                    && among(concept -> drugs.brafInhibitor(concept).filter(found -> found == brafPartner.get()).isPresent(),
                            request.draftOrders(), record);
            OrderRule.Facts facts = new OrderRule.Facts(indication, assessment.status(), onlyG12c, partner.isPresent(), partnerOrdered,
                    assessment.brafV600e(), brafPartnerOrdered, record.cautions().isEmpty(), settings.wildTypeInfo());
            Optional<CardKind> kind = OrderRule.decide(facts);
            if (kind.isPresent()) {
                // Shown on the unknown card: why the store's evidence may be incomplete, and whether it was consulted.
                List<String> cautions = new ArrayList<>(record.cautions());
                cautions.addAll(record.notes());
                CdsResponse.Card card = cards.card(new CardInput(kind.get(), order.drug(), order.reference(), request.patientId(),
                        assessment, partner.orElse(null), cautions));
                out.add(card);
                issuedCards.add(new Decision.Card(card.uuid(), kind.get(), order.reference()));
            }
        }
        String answer = respond(new CdsResponse(out), service, request);
        trace.cards = issuedCards;
        return answer;
    }

    /** One anti-EGFR draft order: its drug and its {@code resourceId} (null if it has none). */
    private record Order(AntiEgfrDrug drug, String reference) {}

    private List<Order> antiEgfrOrders(HookRequest request, EhrServer ehr, IParser parser, Trace trace) {
        Set<String> selections = Set.copyOf(request.selections());
        List<Bundle.BundleEntryComponent> scoped = request.draftOrders().getEntry().stream()
                .filter(entry -> entry.getResource() instanceof MedicationRequest)
                .filter(entry -> request.hook() == Hook.ORDER_SIGN || selections.contains(typeAndId(entry.getResource())))
                .toList();
        trace.draftOrders = scoped.size();
        List<Resource> prefetched = prefetchedMedications(request, parser);
        Map<Bundle.BundleEntryComponent, CompletableFuture<EhrFetch>> reads = new LinkedHashMap<>();
        Map<Bundle.BundleEntryComponent, CodeableConcept> concepts = new LinkedHashMap<>();
        for (Bundle.BundleEntryComponent entry : scoped) {
            MedicationRequest order = (MedicationRequest) entry.getResource();
            Optional<CodeableConcept> local = MedicationResolver.local(order, request.draftOrders(), prefetched);
            if (local.isPresent()) {
                concepts.put(entry, local.get());
            } else {
                Optional<String> path = MedicationResolver.readPath(order, request.fhirServer());
                if (ehr != null && path.isPresent()) {
                    reads.put(entry, client.get(ehr, path.get()));
                } else {
                    concepts.put(entry, null);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.fetchBudgetMillis());
        reads.forEach((entry, read) -> concepts.put(entry, readMedication(read, deadline)));

        List<Order> orders = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : scoped) {
            MedicationRequest order = (MedicationRequest) entry.getResource();
            CodeableConcept concept = concepts.get(entry);
            Optional<AntiEgfrDrug> drug;
            if (concept != null) {
                drug = drugs.antiEgfrDrug(concept);
            } else {
                drug = drugs.antiEgfrDrug(MedicationResolver.displayOnly(order));
                if (drug.isEmpty()) {
                    throw CdsError.preconditionFailed("medication-unresolved",
                            "A draft order's medicationReference could not be resolved from draftOrders, contained "
                                    + "resources, prefetch or the FHIR server, so its drug is unknown.");
                }
            }
            drug.ifPresent(d -> orders.add(new Order(d, orderReference(entry))));
        }
        trace.orders = orders.stream().map(order -> new Decision.Order(order.reference(), order.drug().name().toLowerCase(Locale.ROOT))).toList();
        return orders;
    }

    private static CodeableConcept readMedication(CompletableFuture<EhrFetch> read, long deadlineNanos) {
        try {
            EhrFetch fetched = read.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (fetched instanceof EhrFetch.Found found) {
                List<Resource> resources = found.resources();
                return resources.stream().filter(Medication.class::isInstance).map(Medication.class::cast)
                        .map(medication -> MedicationResolver.drugOf(medication, List.of(), new Bundle(), resources))
                        .findFirst().orElse(null);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            read.cancel(true);
            return null;
        }
    }

    private List<Resource> prefetchedMedications(HookRequest request, IParser parser) {
        if (!request.prefetch().containsKey(PrefetchKey.MEDICATIONS.key())) {
            return List.of();
        }
        PrefetchValue value = PrefetchValue.read(request.prefetch(), PrefetchKey.MEDICATIONS, parser);
        return value instanceof PrefetchValue.Resources resources ? resources.resources() : List.of();
    }

    /** A draft order (any entry, selected or not, not cancelled) or an active medication is such a drug. */
    private boolean among(Predicate<CodeableConcept> isTheDrug, Bundle draftOrders, PatientRecord record) {
        Stream<MedicationRequest> drafts = draftOrders.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(MedicationRequest.class::isInstance).map(MedicationRequest.class::cast)
                .filter(order -> order.getStatus() != MedicationRequest.MedicationRequestStatus.ENTEREDINERROR
                        && order.getStatus() != MedicationRequest.MedicationRequestStatus.CANCELLED);
        Stream<MedicationRequest> active = record.activeMedications() == null ? Stream.empty()
                : record.activeMedications().stream()
                        .filter(order -> order.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE);
        return Stream.concat(drafts, active).anyMatch(order -> {
            CodeableConcept concept = MedicationResolver.local(order, draftOrders, record.otherResources())
                    .orElseGet(() -> MedicationResolver.displayOnly(order));
            return isTheDrug.test(concept);
        });
    }

    /** Every mutation is KRAS G12C from a final result (the G12C combinations apply), none other. */
    static boolean onlyKrasG12c(RasAssessment assessment) {
        if (!assessment.krasG12c()) {
            return false;
        }
        List<VariantFinding> mutated = assessment.variants().stream().filter(v -> v.call() == EvidenceCall.MUTATED).toList();
        Set<String> g12cEvidence = mutated.stream().filter(VariantFinding::g12c).map(VariantFinding::evidence).collect(Collectors.toSet());
        return mutated.stream().allMatch(VariantFinding::g12c)
                && assessment.evidence().stream().filter(item -> item.call() == EvidenceCall.MUTATED)
                        .allMatch(item -> item.gene() == Gene.KRAS && g12cEvidence.contains(item.reference()));
    }

    private static String orderReference(Bundle.BundleEntryComponent entry) {
        Resource resource = entry.getResource();
        if (resource.getIdElement().hasIdPart()) {
            return typeAndId(resource);
        }
        return entry.hasFullUrl() ? entry.getFullUrl() : null;
    }

    private static String typeAndId(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static CdsError unobtainable(List<PrefetchKey> keys, String whyNoServer) {
        String names = keys.stream().map(PrefetchKey::key).collect(Collectors.joining(", "));
        return CdsError.preconditionFailed("data-unavailable", "The decision needs " + names
                + ", which could not be had: not usable in prefetch, and " + whyNoServer + ".");
    }

    private String respond(CdsResponse response, ServiceDefinition service, HookRequest request) {
        JsonNode tree = json.valueToTree(response);
        List<String> problems = CardRules.checkResponse(tree);
        if (!problems.isEmpty()) {
            // A bug of ours, never the client's: refuse to send a card an EHR may misread.
            throw new IllegalStateException("Response breaks the CDS Hooks rules: " + problems);
        }
        for (CdsResponse.Card card : response.cards()) {
            issued.remember(card.uuid(), new IssuedCards.Issued(service.id(), request.hookInstance(), card.source().topic().code()));
        }
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one call has decided so far; becomes the {@link Decision} the observer gets. */
    private static final class Trace {
        private final ServiceDefinition service;
        private final HookRequest request;
        private final Instant started;
        private final long startNanos;
        private int draftOrders;
        private List<Decision.Order> orders = List.of();
        private Decision.Verdict verdict;
        private List<Decision.Evidence> evidence = List.of();
        private List<Decision.Card> cards = List.of();

        Trace(ServiceDefinition service, HookRequest request, Instant started, long startNanos) {
            this.service = service;
            this.request = request;
            this.started = started;
            this.startNanos = startNanos;
        }

        void assessed(RasAssessment assessment, List<String> cautions) {
            verdict = new Decision.Verdict(assessment.status(), assessment.reasons().stream().map(UnknownReason::code).toList(),
                    assessment.krasG12c(), assessment.status() == RasStatus.WILD_TYPE ? cautions : List.of());
            evidence = assessment.evidence().stream()
                    .map(item -> new Decision.Evidence(item.reference(), item.gene().symbol(),
                            item.call().name().toLowerCase(Locale.ROOT).replace('_', '-')))
                    .distinct().toList();
        }

        Decision decision(String errorCode) {
            return new Decision(service.id(), request.hook(), request.hookInstance(), request.userId(), request.patientId(),
                    started, System.nanoTime() - startNanos, draftOrders, orders, verdict,
                    errorCode == null ? cards : List.of(), evidence, errorCode);
        }
    }

    // ------------------------------------------------------------------ feedback

    /**
     * Stores a feedback POST durably.
     *
     * @return {@code {"stored": [ids]}}
     * @throws CdsError 404 unknown service, 400 bad feedback (a card we did not issue, a reason it did not offer)
     */
    public String feedback(String serviceId, byte[] body) {
        CdsServices.byId(serviceId).orElseThrow(CdsError::unknownService);
        List<FeedbackItem> items = feedbackParser.parse(body, serviceId,
                card -> issued.find(card).or(() -> feedbackStore.issued(card)), offeredOverrideReasons);
        List<String> ids = feedbackStore.save(items);
        ObjectNode root = json.createObjectNode();
        ArrayNode stored = root.putArray("stored");
        ids.forEach(stored::add);
        return root.toString();
    }
}

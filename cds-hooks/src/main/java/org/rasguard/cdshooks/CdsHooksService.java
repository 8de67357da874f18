package org.rasguard.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.rasguard.cards.CardFactory;
import org.rasguard.cards.CardUuids;
import org.rasguard.cards.CdsResponse;
import org.rasguard.cards.ChartCards;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.ChartDecider;
import org.rasguard.decision.ChartDecision;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.decision.Needed;
import org.rasguard.decision.OrderDecider;
import org.rasguard.decision.OrderDecisions;
import org.rasguard.decision.Undecidable;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.patients.PersonIdentity;

/**
 * The RAS Guard CDS service, without HTTP: discovery, a call (request JSON in, response JSON out),
 * and feedback. It only puts the steps of a call in order; each step is one class, entered once:
 *
 * <ol>
 *   <li>read and check the request, the prefetch included ({@link HookRequestParser}; 400 with a stable code);
 *   <li>open the client's FHIR server for the call, with the call's one deadline ({@link EhrCalls});
 *   <li>find the anti-EGFR draft orders and their drugs ({@link AntiEgfrOrderFinder}); with none,
 *       answer {@code cards: []} at once;
 *   <li>gather the patient's record: prefetch, else the client's FHIR server, always our genomics
 *       store ({@link RecordGatherer});
 *   <li>decide: one RAS assessment, then per order the rule ({@link OrderDecider}, package decision;
 *       what it cannot decide is a 412 here, {@link CdsError#of(Undecidable, String)});
 *   <li>write the cards ({@link CardFactory}) and the checked response ({@link ResponseWriter});
 *   <li>tell the {@link DecisionObserver} what was decided (the audit trail, the metrics; {@link CallTrace}).
 * </ol>
 *
 * Built once per server from the {@link DecisionKnowledge} (fhir-server's {@code CdsHooksConfig});
 * thread-safe, holds no per-call state.
 */
public final class CdsHooksService {

    /** Keys read from fhirServer only when the decision needs them (see {@link #answer}). */
    private static final Set<PrefetchKey> HISTORY_DEFERRED = Set.copyOf(PrefetchKey.HISTORY);

    /**
     * @param wildTypeInfo return an info card for RAS wild-type (default: no card)
     * @param fetchBudgetMillis how long all reads on the client's FHIR server of one call may take together
     * @param g12cCombinations the KRAS G12C inhibitors whose approved antibody combination is honoured
     *     (default both); an approval that is withdrawn is taken out here without a new release
     * @param sharedPatientIds the EHRs' patient ids are our store's ids ({@code RASGUARD_CDS_SHARED_PATIENT_IDS}):
     *     our {@code Patient/{id}} is matched by id as well as by identifier
     * @param personIdentifierSystems identifier systems that identify a person ({@code RASGUARD_PATIENT_IDENTIFIER_SYSTEMS});
     *     empty: every system
     * @param evidenceMaxResources how many of a patient's resources our store reads at most
     *     ({@code RASGUARD_EVIDENCE_MAX_RESOURCES}); past it wild-type cannot be concluded
     * @param reminderDays at most one patient-view testing reminder per patient per this many days
     *     ({@code RASGUARD_REMINDER_DAYS})
     */
    public record Settings(
            boolean wildTypeInfo,
            long fetchBudgetMillis,
            Set<G12cInhibitor> g12cCombinations,
            boolean sharedPatientIds,
            Set<String> personIdentifierSystems,
            int evidenceMaxResources,
            int reminderDays) {
        public static final int DEFAULT_EVIDENCE_MAX_RESOURCES = 10_000;

        public Settings {
            g12cCombinations = Set.copyOf(g12cCombinations);
            personIdentifierSystems = Set.copyOf(personIdentifierSystems);
            if (evidenceMaxResources < 1) {
                throw new IllegalArgumentException("evidenceMaxResources must be at least 1");
            }
            if (reminderDays < 1) {
                throw new IllegalArgumentException("reminderDays must be at least 1");
            }
        }

        public Settings(
                boolean wildTypeInfo,
                long fetchBudgetMillis,
                Set<G12cInhibitor> g12cCombinations,
                boolean sharedPatientIds,
                Set<String> personIdentifierSystems,
                int evidenceMaxResources) {
            this(
                    wildTypeInfo,
                    fetchBudgetMillis,
                    g12cCombinations,
                    sharedPatientIds,
                    personIdentifierSystems,
                    evidenceMaxResources,
                    ChartDecider.DEFAULT_REMINDER_DAYS);
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

    private final HookRequestParser requests;
    private final AntiEgfrOrderFinder orders;
    private final PersonIdentity identity;
    private final RecordGatherer gatherer;
    private final OrderDecider decider;
    private final CardFactory cards;
    private final ResponseWriter writer;
    private final FeedbackHandler feedback;
    private final EhrFhirClient client;
    private final FhirServerAllowlist allowlist;
    private final Settings settings;
    private final DecisionObserver observer;
    private final String discovery;
    private final ChartDecider chartDecider;
    private final ChartCards chartCards;
    private final ChartStore chartStore;
    private final Clock clock;

    public CdsHooksService(
            DecisionKnowledge knowledge,
            FhirContext fhir,
            EvidenceStore store,
            EhrFhirClient client,
            FhirServerAllowlist allowlist,
            FeedbackStore feedbackStore,
            Settings settings) {
        this(knowledge, fhir, store, client, allowlist, feedbackStore, settings, DecisionObserver.NONE);
    }

    public CdsHooksService(
            DecisionKnowledge knowledge,
            FhirContext fhir,
            EvidenceStore store,
            EhrFhirClient client,
            FhirServerAllowlist allowlist,
            FeedbackStore feedbackStore,
            Settings settings,
            DecisionObserver observer) {
        this(
                knowledge,
                fhir,
                store,
                client,
                allowlist,
                feedbackStore,
                settings,
                observer,
                ChartStore.NONE,
                Clock.systemUTC());
    }

    /**
     * @param knowledge the knowledge package as read once at start; nothing of it is read again here
     * @param chartStore our store's late results and shown reminders (patient-view)
     * @param clock the time of a call (the reminder window)
     */
    public CdsHooksService(
            DecisionKnowledge knowledge,
            FhirContext fhir,
            EvidenceStore store,
            EhrFhirClient client,
            FhirServerAllowlist allowlist,
            FeedbackStore feedbackStore,
            Settings settings,
            DecisionObserver observer,
            ChartStore chartStore,
            Clock clock) {
        ObjectMapper json = new ObjectMapper();
        IssuedCards issued = new IssuedCards(100_000);
        this.requests = new HookRequestParser(json, fhir);
        this.orders = new AntiEgfrOrderFinder(knowledge.drugs());
        this.identity = new PersonIdentity(settings.personIdentifierSystems());
        this.gatherer = new RecordGatherer(fhir, store, identity, settings.evidenceMaxResources());
        this.decider = new OrderDecider(
                knowledge, new OrderDecider.Settings(settings.wildTypeInfo(), settings.g12cCombinations()));
        this.cards = new CardFactory(knowledge.base(), fhir, json, new CardUuids());
        this.writer = new ResponseWriter(json, issued);
        this.chartDecider = new ChartDecider(knowledge, settings.reminderDays());
        this.chartCards = new ChartCards(knowledge.base(), fhir, json, new CardUuids(), settings.reminderDays());
        this.chartStore = chartStore;
        this.clock = clock;
        Set<String> orderReasons = cards.offeredOverrideReasons();
        Set<String> lateReasons = chartCards.offeredOverrideReasons();
        this.feedback = new FeedbackHandler(
                json,
                feedbackStore,
                issued,
                topic -> CardKind.LATE_RAS_RESULT.topicCode().equals(topic) ? lateReasons : orderReasons,
                chartStore,
                clock);
        this.client = client;
        this.allowlist = allowlist;
        this.settings = settings;
        this.observer = observer;
        this.discovery = Discovery.document(json);
    }

    /** The discovery document, {@code {"services": [...]}}. */
    public String discovery() {
        return discovery;
    }

    /**
     * Answers one call.
     *
     * @return the response JSON, checked against the CDS Hooks rules
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
        CallTrace trace = new CallTrace(System.nanoTime());
        ServiceDefinition service = CdsServices.byId(serviceId).orElseThrow(CdsError::unknownService);
        HookRequest request = requests.parse(body, service); // a 400 is no decision: nothing to observe
        trace.request(service, request);
        notify(() -> observer.started(service.id(), request.hookInstance()));
        try {
            String answer = answer(service, request, trace, sameIdSpace(request, ownFhirBases));
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

    private String answer(ServiceDefinition service, HookRequest request, CallTrace trace, boolean sameIdSpace) {
        if (service.hook() == Hook.PATIENT_VIEW) {
            return answerChart(service, request, trace, sameIdSpace);
        }
        EhrCalls ehr = EhrCalls.open(request, allowlist, client, settings.fetchBudgetMillis());
        AntiEgfrOrderFinder.Found found = orders.find(request, ehr);
        trace.orders(found);
        if (found.unresolved()) {
            throw CdsError.medicationUnresolved();
        }
        if (found.antiEgfr().isEmpty()) {
            return writer.write(CdsResponse.empty(), service, request);
        }
        // The medication history changes the card only where RAS is wild type (re-challenge): without
        // prefetch it is read from fhirServer only when the decision asks for it (three reads of eight).
        PatientRecord record = gatherer.gather(request, ehr, sameIdSpace, PrefetchKey.ORDER, HISTORY_DEFERRED);
        OrderDecisions decided;
        try {
            decided = decider.decide(found.antiEgfr(), record.facts(request.draftOrders()));
        } catch (Undecidable first) {
            if (!first.needed().equals(List.of(Needed.TREATMENT_HISTORY))
                    || !RecordGatherer.defers(request, ehr, HISTORY_DEFERRED)) {
                throw failed(first, trace, record, ehr);
            }
            record = gatherer.gather(request, ehr, sameIdSpace);
            try {
                decided = decider.decide(found.antiEgfr(), record.facts(request.draftOrders()));
            } catch (Undecidable e) {
                throw failed(e, trace, record, ehr);
            }
        }
        traceRecord(trace, record);
        trace.assessed(decided.assessment(), record.cautions());
        List<CdsResponse.Card> issued = cards.cards(decided, request.patientId());
        String answer = writer.write(new CdsResponse(issued), service, request);
        trace.carded(decided, issued);
        return answer;
    }

    /**
     * patient-view: the record (the service's keys, our store's evidence), our store's late results of
     * the person and when a reminder was last shown, then {@link ChartDecider} and {@link ChartCards}.
     */
    private String answerChart(ServiceDefinition service, HookRequest request, CallTrace trace, boolean sameIdSpace) {
        EhrCalls ehr = EhrCalls.open(request, allowlist, client, settings.fetchBudgetMillis());
        PatientRecord record = gatherer.gather(request, ehr, sameIdSpace, service.keys());
        Instant now = clock.instant();
        List<DetectedIssue> lateResults =
                record.storePatientIds().isEmpty() ? List.of() : chartStore.lateResults(record.storePatientIds());
        Instant since = now.minus(Duration.ofDays(settings.reminderDays()));
        java.util.function.Supplier<Instant> lastReminder =
                () -> chartStore.lastReminder(service.id(), request.patientId(), since);
        ChartDecision decided;
        try {
            decided = chartDecider.decide(record.chartFacts(lateResults, lastReminder), now);
        } catch (Undecidable e) {
            trace.assessed(e.assessment(), record.cautions());
            throw CdsError.of(e, ehr.whyUnavailable());
        }
        trace.assessed(decided.assessment(), record.cautions());
        List<CdsResponse.Card> issued = chartCards.cards(decided, request.patientId());
        Map<String, String> about = new HashMap<>();
        for (int i = 0; i < issued.size(); i++) {
            String subject = CallTrace.about(decided.cards().get(i));
            if (subject != null) {
                about.put(issued.get(i).uuid(), subject);
            }
        }
        String answer = writer.write(new CdsResponse(issued), service, request, about);
        trace.chartCarded(decided, issued);
        return answer;
    }

    /**
     * Whose records the decision read, for the audit trail: our store's ids and the EHR Patient's person
     * identifiers (the late-result check finds the decision by either; by the identifiers when our store
     * had no record of the patient yet).
     */
    /** An undecidable call as the audit trail records it and the client gets it (412). */
    private CdsError failed(Undecidable e, CallTrace trace, PatientRecord record, EhrCalls ehr) {
        traceRecord(trace, record);
        trace.assessed(e.assessment(), record.cautions());
        return CdsError.of(e, ehr.whyUnavailable());
    }

    private void traceRecord(CallTrace trace, PatientRecord record) {
        trace.storePatients(record.storePatientIds());
        trace.person(identity.searchableKeys(record.ehrPatient()));
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
        return settings.sharedPatientIds()
                || (request.fhirServer() != null
                        && ownFhirBases.stream()
                                .anyMatch(
                                        base -> trimSlash(request.fhirServer()).equals(trimSlash(base))));
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Stores a feedback POST durably.
     *
     * @return {@code {"stored": [ids]}}
     * @throws CdsError 404 unknown service, 400 bad feedback (a card we did not issue, a reason it did not offer)
     */
    public String feedback(String serviceId, byte[] body) {
        return feedback.handle(serviceId, body);
    }
}

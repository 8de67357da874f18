package org.rasguard.cdshooks;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.rasguard.cards.CdsResponse;
import org.rasguard.decision.AntiEgfrOrder;
import org.rasguard.decision.ChartCard;
import org.rasguard.decision.ChartDecision;
import org.rasguard.decision.OrderDecision;
import org.rasguard.decision.OrderDecisions;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.UnknownReason;

/** What one call has decided so far; becomes the {@link Decision} the {@link DecisionObserver} gets. */
final class CallTrace {

    private final Instant started = Instant.now();
    private final long startNanos;
    private ServiceDefinition service;
    private HookRequest request;
    private int draftOrders;
    private List<Decision.Order> orders = List.of();
    private List<AntiEgfrOrder> named = List.of();
    private Decision.Verdict verdict;
    private List<Decision.Evidence> evidence = List.of();
    private List<Decision.Card> cards = List.of();
    private List<String> storePatientIds = List.of();
    private List<String> personIdentifiers = List.of();

    CallTrace(long startNanos) {
        this.startNanos = startNanos;
    }

    void request(ServiceDefinition service, HookRequest request) {
        this.service = service;
        this.request = request;
    }

    void orders(AntiEgfrOrderFinder.Found found) {
        draftOrders = found.inScope();
        named = found.antiEgfr();
        orders = found.antiEgfr().stream()
                .map(order -> new Decision.Order(key(order), order.drug().name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    /**
     * How the audit trail names an order: its {@code Type/id} or fullUrl, else (a draft order with neither)
     * {@code urn:rasguard:draft-order:<hookInstance>:<n>}, so the late-result check can still find the
     * decision on it (an outside attack found such orders never got a late alert).
     */
    private String key(AntiEgfrOrder order) {
        if (order.reference() != null) {
            return order.reference();
        }
        return "urn:rasguard:draft-order:" + request.hookInstance() + ":" + named.indexOf(order);
    }

    /** Our store's records of the patient that the decision read (the late-result check finds decisions by them). */
    void storePatients(List<String> ids) {
        storePatientIds = List.copyOf(ids);
    }

    /** The EHR Patient's person identifiers ({@code system|value}): the late-result check finds decisions by them too. */
    void person(List<String> identifiers) {
        personIdentifiers = List.copyOf(identifiers);
    }

    void assessed(RasAssessment assessment, List<String> cautions) {
        if (assessment == null) {
            return;
        }
        verdict = new Decision.Verdict(
                assessment.status(),
                assessment.reasons().stream().map(UnknownReason::code).toList(),
                assessment.krasG12c(),
                assessment.status() == RasStatus.WILD_TYPE ? cautions : List.of());
        evidence = assessment.evidence().stream()
                .map(item -> new Decision.Evidence(
                        item.reference(),
                        item.gene().symbol(),
                        item.call().name().toLowerCase(Locale.ROOT).replace('_', '-')))
                .distinct()
                .toList();
    }

    /** @param issued the cards returned, one per {@link OrderDecisions#carded()} decision, in order */
    void carded(OrderDecisions decided, List<CdsResponse.Card> issued) {
        List<OrderDecision> carded = decided.carded();
        cards = java.util.stream.IntStream.range(0, issued.size())
                .mapToObj(i -> new Decision.Card(
                        issued.get(i).uuid(),
                        carded.get(i).card().orElseThrow(),
                        key(carded.get(i).order())))
                .toList();
    }

    /** @param issued the patient-view cards returned, one per {@link ChartDecision#cards()}, in order */
    void chartCarded(ChartDecision decided, List<CdsResponse.Card> issued) {
        List<ChartCard> carded = decided.cards();
        cards = java.util.stream.IntStream.range(0, issued.size())
                .mapToObj(i ->
                        new Decision.Card(issued.get(i).uuid(), carded.get(i).kind(), about(carded.get(i))))
                .toList();
    }

    /** Our {@code DetectedIssue/id} for a late-result card (the feedback closes it), else null. */
    static String about(ChartCard card) {
        return card.lateResult() == null
                ? null
                : "DetectedIssue/" + card.lateResult().issueId();
    }

    Decision decision(String errorCode) {
        return new Decision(
                service.id(),
                request.hook(),
                request.hookInstance(),
                request.userId(),
                request.patientId(),
                started,
                System.nanoTime() - startNanos,
                draftOrders,
                orders,
                verdict,
                errorCode == null ? cards : List.of(),
                evidence,
                errorCode,
                storePatientIds,
                personIdentifiers);
    }
}

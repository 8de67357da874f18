package org.rasguard.server.lateresults;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.server.audit.DecisionAuditEvents;

/**
 * The anti-EGFR order decisions of the audit trail about one person of our store: the decision
 * AuditEvents that read one of the person's records ({@code entity-name:exact=store:Patient/<id>}, see
 * {@link DecisionAuditEvents}) recorded since a point in time, and for each card its latest feedback
 * (feedback AuditEvents by card uuid; the latest recorded counts, as in {@code $cds-report}).
 *
 * <p>One entry per order: the latest decision on it (an order-select and then an order-sign on the same
 * draft order is one order). Orders a decision did not name ({@code Type/id} or fullUrl) are skipped:
 * nothing could point an EHR at them.
 */
final class DecisionHistory {

    /**
     * One order as its latest decision left it.
     *
     * @param order the draft order as the CDS call named it ({@code MedicationRequest/mr-1}, or a fullUrl)
     * @param drug the drug ({@code cetuximab}, {@code panitumumab})
     * @param cardUuid the card on this order, or null
     */
    record OrderDecision(
            String hookInstance,
            Instant decided,
            String order,
            String drug,
            String cardUuid,
            String cardTopic,
            ContradictionRule.Earlier earlier) {}

    private final IFhirResourceDao<AuditEvent> auditEvents;

    DecisionHistory(IFhirResourceDao<AuditEvent> auditEvents) {
        this.auditEvents = auditEvents;
    }

    List<OrderDecision> since(List<String> storePatientIds, Instant since) {
        return since(storePatientIds, List.of(), since);
    }

    /**
     * The latest decision per order since {@code since} that read one of these records of our store, or was
     * about an EHR Patient with one of these person identifiers ({@code system|value}): a decision made before
     * our store held any record of the patient names only the identifiers.
     */
    List<OrderDecision> since(List<String> storePatientIds, List<String> personIdentifiers, Instant since) {
        StringOrListParam names = new StringOrListParam();
        storePatientIds.forEach(
                id -> names.addOr(new StringParam(DecisionAuditEvents.STORE_PATIENT_NAME + id).setExact(true)));
        personIdentifiers.forEach(
                id -> names.addOr(new StringParam(DecisionAuditEvents.PERSON_NAME + id).setExact(true)));
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.DECISION))
                .add(AuditEvent.SP_ENTITY_NAME, names)
                .add(AuditEvent.SP_DATE, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, Date.from(since)));
        query.setLoadSynchronousUpTo(10_000);
        List<AuditEvent> decisions = new ArrayList<>(auditEvents.searchForResources(query, new SystemRequestDetails()));
        // Found by a shared identifier only: not the person when another system of both disagrees (PersonIdentity's
        // rule).
        decisions.removeIf(
                decision -> !readOurRecord(decision, storePatientIds) && disagrees(decision, personIdentifiers));
        decisions.sort(Comparator.comparing(AuditEvent::getRecorded, Comparator.nullsFirst(Comparator.naturalOrder())));
        Map<String, OrderDecision> latestPerOrder = new LinkedHashMap<>();
        for (AuditEvent decision : decisions) {
            for (OrderDecision order : orders(decision)) {
                latestPerOrder.put(order.order(), order); // later decisions replace earlier ones
            }
        }
        return List.copyOf(latestPerOrder.values());
    }

    /**
     * Our store's Patient ids that the decisions recorded since {@code since} read (at most
     * {@code limit} decisions, the newest first): whom a catch-up after a restart re-checks.
     */
    CatchUp storePatientsSince(Instant since, int limit) {
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.DECISION))
                .add(AuditEvent.SP_DATE, new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, Date.from(since)));
        query.setSort(new ca.uhn.fhir.rest.api.SortSpec(AuditEvent.SP_DATE, ca.uhn.fhir.rest.api.SortOrderEnum.DESC));
        query.setLoadSynchronousUpTo(limit);
        java.util.Set<String> patients = new java.util.LinkedHashSet<>();
        java.util.Set<String> identifiers = new java.util.LinkedHashSet<>();
        for (AuditEvent decision : auditEvents.searchForResources(query, new SystemRequestDetails())) {
            decision.getEntity().stream()
                    .filter(entity -> "storePatient".equals(entity.getDescription())
                            && entity.hasName()
                            && entity.getName().startsWith(DecisionAuditEvents.STORE_PATIENT_NAME))
                    .forEach(entity ->
                            patients.add(entity.getName().substring(DecisionAuditEvents.STORE_PATIENT_NAME.length())));
            boolean readOurs =
                    decision.getEntity().stream().anyMatch(entity -> "storePatient".equals(entity.getDescription()));
            if (!readOurs) { // made before our store knew the patient: found by the EHR Patient's identifiers
                decision.getEntity().stream()
                        .filter(entity -> "personIdentifier".equals(entity.getDescription()) && entity.hasName())
                        .forEach(entity ->
                                identifiers.add(entity.getName().substring(DecisionAuditEvents.PERSON_NAME.length())));
            }
        }
        return new CatchUp(patients, identifiers);
    }

    /**
     * Whom a catch-up re-checks: our Patient ids the decisions read, and the person identifiers
     * ({@code system|value}) of the decisions that read no record of ours (made before our store knew them).
     */
    record CatchUp(java.util.Set<String> storePatientIds, java.util.Set<String> personIdentifiers) {}

    private static boolean readOurRecord(AuditEvent decision, List<String> storePatientIds) {
        return decision.getEntity().stream()
                .anyMatch(entity -> "storePatient".equals(entity.getDescription())
                        && entity.hasName()
                        && storePatientIds.contains(
                                entity.getName().substring(DecisionAuditEvents.STORE_PATIENT_NAME.length())));
    }

    /** Whether the decision's EHR Patient and our record hold different values in one identifier system. */
    static boolean disagrees(AuditEvent decision, List<String> ours) {
        Map<String, String> mine = new java.util.HashMap<>();
        ours.stream().map(PersonIdentity::splitKey).forEach(key -> mine.put(key.getKey(), key.getValue()));
        return decision.getEntity().stream()
                .filter(entity -> "personIdentifier".equals(entity.getDescription())
                        && entity.getWhat().hasIdentifier())
                .map(entity -> entity.getWhat().getIdentifier())
                .anyMatch(theirs -> mine.containsKey(theirs.getSystem())
                        && !mine.get(theirs.getSystem()).equals(theirs.getValue()));
    }

    /** The orders of one decision AuditEvent, each with its card and that card's latest feedback. */
    private List<OrderDecision> orders(AuditEvent decision) {
        AuditEventEntityComponent call = entity(decision, "hookInstance").orElse(null);
        if (call == null || decision.getRecorded() == null) {
            return List.of();
        }
        String verdict = detail(call, "verdict");
        boolean krasG12c = "true".equals(detail(call, "krasG12c"));
        List<OrderDecision> orders = new ArrayList<>();
        for (AuditEventEntityComponent order : decision.getEntity()) {
            if (!"order".equals(order.getDescription())
                    || !order.getWhat().hasIdentifier()
                    || !order.getWhat().getIdentifier().hasValue()) {
                continue;
            }
            String reference = order.getWhat().getIdentifier().getValue();
            AuditEventEntityComponent card = decision.getEntity().stream()
                    .filter(entity ->
                            "card".equals(entity.getDescription()) && reference.equals(detail(entity, "order")))
                    .findFirst()
                    .orElse(null);
            String cardUuid = card == null ? null : card.getName();
            String topic = card == null ? null : detail(card, "topic");
            String[] feedback = cardUuid == null ? new String[2] : latestFeedback(cardUuid);
            orders.add(new OrderDecision(
                    call.getName(),
                    decision.getRecorded().toInstant(),
                    reference,
                    detail(order, "drug"),
                    cardUuid,
                    topic,
                    new ContradictionRule.Earlier(verdict, krasG12c, topic, feedback[0], feedback[1])));
        }
        return orders;
    }

    /** {outcome, override reason code} of the card's latest feedback; nulls when it has none. */
    private String[] latestFeedback(String cardUuid) {
        SearchParameterMap query = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.FEEDBACK))
                .add(AuditEvent.SP_ENTITY_NAME, new StringParam(cardUuid).setExact(true));
        return auditEvents.searchForResources(query, new SystemRequestDetails()).stream()
                .max(Comparator.comparing(AuditEvent::getRecorded, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(
                                event -> event.getIdElement().getIdPartAsLong(),
                                Comparator.nullsFirst(Comparator.naturalOrder())))
                .flatMap(event -> entity(event, "card"))
                .map(card -> new String[] {detail(card, "outcome"), reasonCode(detail(card, "overrideReason"))})
                .orElse(new String[2]);
    }

    /** {@code system|code} as the feedback store writes it: the code. */
    private static String reasonCode(String reason) {
        return reason == null ? null : reason.substring(reason.lastIndexOf('|') + 1);
    }

    private static Optional<AuditEventEntityComponent> entity(AuditEvent event, String description) {
        return event.getEntity().stream()
                .filter(entity -> description.equals(entity.getDescription()))
                .findFirst();
    }

    private static String detail(AuditEventEntityComponent entity, String type) {
        return entity.getDetail().stream()
                .filter(d -> type.equals(d.getType()) && d.hasValueStringType())
                .map(d -> d.getValueStringType().getValue())
                .findFirst()
                .orElse(null);
    }
}

package org.rasguard.cdshooks;

import java.time.Instant;
import java.util.List;
import org.rasguard.decision.CardKind;
import org.rasguard.ras.RasStatus;

/**
 * What one CDS call decided, for the audit trail and the metrics: who asked about whom, the orders
 * assessed, the RAS verdict and why, the cards returned and the evidence used, and how long it took.
 * Never the access token, the request body or a resource: only ids, codes and counts.
 *
 * @param serviceId the service called
 * @param hook the hook
 * @param hookInstance the client's id of the call (lower case)
 * @param userId {@code context.userId} ({@code Practitioner/123}), or null when not sent as Type/id
 * @param patientId {@code context.patientId}: the client's patient id
 * @param started when the call arrived
 * @param durationNanos from reading the request to the response being written (or the failure)
 * @param draftOrders how many draft orders were in scope (all on order-sign, the selections on order-select)
 * @param orders the anti-EGFR orders among them: the ones assessed
 * @param verdict the RAS verdict; null when no anti-EGFR order needed one, or the call failed before it
 * @param cards the cards returned, in order
 * @param evidence the RAS evidence the verdict rests on
 * @param errorCode null when answered 200; else the error code of the 412 ({@code data-unavailable} …)
 *     or {@code internal-error}
 * @param storePatientIds our store's Patient ids of this person whose results the decision read (empty when
 *     the store was not consulted or held no record of the patient): the late-result check finds a
 *     patient's earlier decisions by them, since {@code patientId} is the client's id, not ours
 * @param personIdentifiers the EHR Patient's person identifiers ({@code system|value}, one value per system, as
 *     {@link org.rasguard.patients.PersonIdentity#searchable} gives them): the late-result check also finds the
 *     decision by them, for a patient of whom our store held no record at the time (the results came later)
 */
public record Decision(
        String serviceId,
        Hook hook,
        String hookInstance,
        String userId,
        String patientId,
        Instant started,
        long durationNanos,
        int draftOrders,
        List<Order> orders,
        Verdict verdict,
        List<Card> cards,
        List<Evidence> evidence,
        String errorCode,
        List<String> storePatientIds,
        List<String> personIdentifiers) {

    public Decision {
        storePatientIds = List.copyOf(storePatientIds);
        personIdentifiers = List.copyOf(personIdentifiers);
        orders = List.copyOf(orders);
        cards = List.copyOf(cards);
        evidence = List.copyOf(evidence);
    }

    /** A decision that read no record of our store. */
    public Decision(
            String serviceId,
            Hook hook,
            String hookInstance,
            String userId,
            String patientId,
            Instant started,
            long durationNanos,
            int draftOrders,
            List<Order> orders,
            Verdict verdict,
            List<Card> cards,
            List<Evidence> evidence,
            String errorCode) {
        this(
                serviceId,
                hook,
                hookInstance,
                userId,
                patientId,
                started,
                durationNanos,
                draftOrders,
                orders,
                verdict,
                cards,
                evidence,
                errorCode,
                List.of(),
                List.of());
    }

    /** An anti-EGFR draft order: its {@code Type/id} (or fullUrl; null if it has neither) and the drug. */
    public record Order(String reference, String drug) {}

    /**
     * @param status mutated, wild-type or unknown
     * @param reasons why unknown ({@link org.rasguard.ras.UnknownReason} codes); empty otherwise
     * @param krasG12c KRAS G12C was found
     * @param cautions why a wild-type result could not be trusted (fixed phrases, no patient data)
     */
    public record Verdict(RasStatus status, List<String> reasons, boolean krasG12c, List<String> cautions) {
        public Verdict {
            reasons = List.copyOf(reasons);
            cautions = List.copyOf(cautions);
        }
    }

    /** A card returned: its uuid, its kind (topic and indicator) and the order it is about. */
    public record Card(String uuid, CardKind kind, String order) {}

    /** One piece of evidence: the resource ({@code Observation/12}), the gene and what it says. */
    public record Evidence(String reference, String gene, String call) {}

    /** {@code mutated}, {@code wild-type}, {@code unknown}; {@code not-assessed} (no anti-EGFR order); {@code error}. */
    public String verdictCode() {
        if (errorCode != null) {
            return "error";
        }
        return verdict == null ? "not-assessed" : verdict.status().code();
    }

    /** The most severe card indicator ({@code critical} > {@code warning} > {@code info}), or {@code none}. */
    public String indicator() {
        String worst = "none";
        for (Card card : cards) {
            String indicator = card.kind().indicator();
            if (rank(indicator) > rank(worst)) {
                worst = indicator;
            }
        }
        return worst;
    }

    private static int rank(String indicator) {
        return switch (indicator) {
            case "critical" -> 3;
            case "warning" -> 2;
            case "info" -> 1;
            default -> 0;
        };
    }
}

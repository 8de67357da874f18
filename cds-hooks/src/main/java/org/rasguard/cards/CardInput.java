package org.rasguard.cards;

import java.util.List;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.Rechallenge;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.ras.RasAssessment;

/**
 * What one card is about: one anti-EGFR draft order and the decision on it.
 *
 * @param kind which card
 * @param drug the antibody ordered
 * @param orderReference the draft order's {@code resourceId} ({@code MedicationRequest/123}), or null
 *     when the order has no id (then no "remove" suggestion is possible)
 * @param patientId the client's patient id ({@code context.patientId}), subject of suggested orders
 * @param assessment the RAS assessment over all the evidence
 * @param partner the antibody's approved KRAS G12C inhibitor, for the G12C cards; else null
 * @param cautions why the evidence may be incomplete (not all results read, a result about someone else
 *     left out) or where it was not looked for (our store not consulted); shown with the reasons of an
 *     unknown status
 * @param rechallenge the earlier anti-EGFR course the order follows, for the re-challenge card; else null
 */
public record CardInput(
        CardKind kind,
        AntiEgfrDrug drug,
        String orderReference,
        String patientId,
        RasAssessment assessment,
        G12cInhibitor partner,
        List<String> cautions,
        Rechallenge rechallenge) {

    public CardInput {
        cautions = List.copyOf(cautions);
    }

    public CardInput(
            CardKind kind,
            AntiEgfrDrug drug,
            String orderReference,
            String patientId,
            RasAssessment assessment,
            G12cInhibitor partner,
            List<String> cautions) {
        this(kind, drug, orderReference, patientId, assessment, partner, cautions, null);
    }
}

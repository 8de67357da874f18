package org.rasguard.decision;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.rasguard.knowledge.BrafInhibitor;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.Gene;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.VariantFinding;

/**
 * Decides one call's anti-EGFR orders: the indication from the diagnoses, one RAS assessment over all
 * the evidence, then per order the facts {@link OrderRule} reads (the approved partner drugs and
 * whether they are ordered or given) and its row. Fails safe: a mutation in what could be had is
 * enough to warn; anything short of it needs the diagnoses and results ({@link Undecidable}).
 *
 * <p>Immutable and thread-safe.
 */
public final class OrderDecider {

    /**
     * @param wildTypeInfo return an info card for RAS wild-type (default: no card)
     * @param g12cCombinations the KRAS G12C inhibitors whose approved antibody combination is honoured
     */
    public record Settings(boolean wildTypeInfo, Set<G12cInhibitor> g12cCombinations) {
        public Settings {
            g12cCombinations = Set.copyOf(g12cCombinations);
        }
    }

    private final DecisionKnowledge knowledge;
    private final Settings settings;
    private final Clock clock;

    public OrderDecider(DecisionKnowledge knowledge, Settings settings) {
        this(knowledge, settings, Clock.systemUTC());
    }

    /** @param clock now, where a course of unknown end is taken to end ({@link Rechallenge}) */
    public OrderDecider(DecisionKnowledge knowledge, Settings settings, Clock clock) {
        this.knowledge = knowledge;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @throws Undecidable when the diagnoses or results are missing and no mutation was found, or when
     *     the decision between the two KRAS G12C cards needs the active medications and they are missing, or
     *     when the card depends on an earlier anti-EGFR course and the medication history is missing
     */
    public OrderDecisions decide(List<AntiEgfrOrder> orders, PatientFacts patient) {
        Indication indication = Indication.of(patient.conditions(), knowledge.indications());
        RasAssessment assessment = knowledge.engine().assess(patient.evidence());
        if (patient.evidenceCutShort()) {
            assessment = assessment.cutShort();
        }
        // Missing Conditions read as "no diagnosis on record", where the rule applies: a mutation decides anyway.
        if (!patient.missing().isEmpty() && assessment.status() != RasStatus.MUTATED) {
            throw new Undecidable(patient.missing(), assessment);
        }
        boolean onlyG12c = onlyKrasG12c(assessment);
        DrugMatcher drugs = knowledge.drugs();
        boolean historyKnown = patient.pastMedications() != null
                && patient.pastMedications().stream()
                        .allMatch(entry -> entry.resolved()
                                || drugs.antiEgfrDrug(entry.drug()).isPresent());
        Rechallenge rechallenge = historyKnown
                ? Rechallenge.of(patient.pastMedications(), drugs, assessment, clock.instant())
                        .orElse(null)
                : null;
        boolean rechallengeUntested = rechallenge != null && !rechallenge.cleared();
        List<OrderDecision> out = new ArrayList<>();
        for (AntiEgfrOrder order : orders) {
            Optional<G12cInhibitor> partner =
                    drugs.approvedPartner(order.drug()).filter(settings.g12cCombinations()::contains);
            boolean partnerOrdered = partner.isPresent()
                    && indication.appliesRasRule()
                    && among(
                            patient,
                            concept -> drugs.g12cInhibitor(concept)
                                    .filter(found -> found == partner.get())
                                    .isPresent());
            if (assessment.status() == RasStatus.MUTATED
                    && onlyG12c
                    && indication.appliesRasRule()
                    && partner.isPresent()
                    && !partnerOrdered
                    && !patient.activeMedicationsKnown()) {
                // Whether the partner is already given decides between two cards: it needs the active medications.
                throw new Undecidable(List.of(Needed.ACTIVE_MEDICATIONS), assessment);
            }
            Optional<BrafInhibitor> brafPartner = drugs.approvedBrafPartner(order.drug());
            boolean brafV600e = assessment.brafV600e();
            boolean brafPartnerOrdered = brafPartner.isPresent()
                    && brafV600e
                    && among(
                            patient,
                            concept -> drugs.brafInhibitor(concept)
                                    .filter(found -> found == brafPartner.get())
                                    .isPresent());
            OrderRule.Facts facts = new OrderRule.Facts(
                    indication,
                    assessment.status(),
                    onlyG12c,
                    partner.isPresent(),
                    partnerOrdered,
                    brafV600e,
                    brafPartnerOrdered,
                    patient.cautions().isEmpty(),
                    settings.wildTypeInfo(),
                    rechallengeUntested);
            Optional<CardKind> card = OrderRule.decide(facts);
            if (!historyKnown
                    && !OrderRule.decide(facts.withRechallengeUntested(true)).equals(card)) {
                // An earlier anti-EGFR course would change the card: without the history the decision is not safe.
                throw new Undecidable(List.of(Needed.TREATMENT_HISTORY), assessment);
            }
            out.add(new OrderDecision(order, card, partner.orElse(null)));
        }
        List<String> cautions = new ArrayList<>(patient.cautions());
        cautions.addAll(patient.notes());
        return new OrderDecisions(assessment, out, cautions, rechallenge);
    }

    private static boolean among(PatientFacts patient, Predicate<CodeableConcept> isTheDrug) {
        return patient.otherMedications().stream().anyMatch(isTheDrug);
    }

    /** Every mutation is KRAS G12C from a final result (the G12C combinations apply), none other. */
    static boolean onlyKrasG12c(RasAssessment assessment) {
        if (!assessment.krasG12c()) {
            return false;
        }
        List<VariantFinding> mutated = assessment.variants().stream()
                .filter(v -> v.call() == EvidenceCall.MUTATED)
                .toList();
        Set<String> g12cEvidence = mutated.stream()
                .filter(VariantFinding::g12c)
                .map(VariantFinding::evidence)
                .collect(Collectors.toSet());
        return mutated.stream().allMatch(VariantFinding::g12c)
                && assessment.evidence().stream()
                        .filter(item -> item.call() == EvidenceCall.MUTATED)
                        .allMatch(item -> item.gene() == Gene.KRAS && g12cEvidence.contains(item.reference()));
    }
}

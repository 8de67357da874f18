package org.rasguard.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.knowledge.ChartMatcher;
import org.rasguard.knowledge.IndicationMatcher;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;

/**
 * Decides what the chart of a patient shows on opening (patient-view, PlanDefinition
 * {@value #PLAN_DEFINITION}), as a table read top to bottom:
 *
 * <ol>
 *   <li>every open late-result DetectedIssue: a critical card, whatever the diagnoses and the window
 *       (our store raised it on an order already decided; {@link LateResult#open});
 *   <li>only for colorectal cancer ({@link Indication#COLORECTAL}), at most one testing reminder:
 *       <ul>
 *         <li>metastatic (a C77-C79 diagnosis, TNM M1, stage IV, or a biopsy of a metastasis) and RAS
 *             unknown or never tested, or wild-type on evidence that may be incomplete: order extended RAS testing;
 *         <li>RAS wild-type, the newest RAS result not taken from a metastasis (primary, or not stated),
 *             and a metastasis documented after it (a dated metastatic Condition, or a biopsy of a metastasis
 *             collected later): consider testing the metastasis;
 *       </ul>
 *       suppressed while a RAS test is ordered (an active ServiceRequest, {@link ChartMatcher#ordersRasTest}), and
 *       when a reminder was shown for the patient within the reminder window.
 * </ol>
 *
 * Fails safe and never throws on a record: a Condition entered in error or refuted, or only provisional,
 * a differential or unconfirmed ({@link ChartMatcher#isDocumentedFact}), an Observation entered in error or
 * cancelled counts for nothing; a resolved metastasis still counts (the cancer has been metastatic, and RAS
 * testing is what the patient may need next); a document without a date is never "after" the
 * result (the metastasis still makes the cancer metastatic); a result without a date has no
 * "after". Missing diagnoses or results make the reminders {@link Undecidable} unless a late result
 * is shown (its card needs neither).
 *
 * <p>Immutable and thread-safe.
 */
public final class ChartDecider {

    public static final String PLAN_DEFINITION = "http://rasguard.org/fhir/PlanDefinition/ras-testing-patient-view";
    public static final int DEFAULT_REMINDER_DAYS = 30;

    private final DecisionKnowledge knowledge;
    private final ChartMatcher chart;
    private final Duration window;

    /** @param reminderDays at most one testing reminder per patient per this many days (RASGUARD_REMINDER_DAYS) */
    public ChartDecider(DecisionKnowledge knowledge, int reminderDays) {
        if (reminderDays < 1) {
            throw new IllegalArgumentException("reminderDays must be at least 1");
        }
        this.knowledge = knowledge;
        this.chart = knowledge.chart();
        this.window = Duration.ofDays(reminderDays);
    }

    /** A documented metastasis: in words, and when it was documented (null when the record has no date). */
    record Documented(String what, Instant when) {}

    /**
     * @param now the time of the call (the reminder window ends here)
     * @throws Undecidable when the diagnoses or results are missing and no late result is open
     */
    public ChartDecision decide(ChartFacts patient, Instant now) {
        RasAssessment assessment = knowledge.engine().assess(patient.evidence());
        if (patient.evidenceCutShort()) {
            assessment = assessment.cutShort();
        }
        List<ChartCard> cards = new ArrayList<>();
        LateResult.open(patient.lateResults()).forEach(late -> cards.add(ChartCard.late(late)));
        if (!patient.missing().isEmpty()) {
            if (cards.isEmpty()) {
                throw new Undecidable(patient.missing(), assessment);
            }
            return new ChartDecision(assessment, cards, ChartDecision.Reminder.NONE, patient.cautions());
        }
        Optional<ChartCard> reminder = reminder(patient, assessment);
        ChartDecision.Reminder outcome = ChartDecision.Reminder.NONE;
        if (reminder.isPresent()) {
            if (rasTestOrdered(patient.orders())) {
                outcome = ChartDecision.Reminder.SUPPRESSED_TEST_ORDERED;
            } else if (shownWithin(patient, now)) {
                outcome = ChartDecision.Reminder.SUPPRESSED_SHOWN_RECENTLY;
            } else {
                outcome = ChartDecision.Reminder.SHOWN;
                cards.add(reminder.get());
            }
        }
        return new ChartDecision(assessment, cards, outcome, patient.cautions());
    }

    private boolean shownWithin(ChartFacts patient, Instant now) {
        Instant last = patient.lastReminder().get();
        return last != null && last.isAfter(now.minus(window));
    }

    private Optional<ChartCard> reminder(ChartFacts patient, RasAssessment assessment) {
        if (Indication.of(patient.conditions(), knowledge.indications()) != Indication.COLORECTAL) {
            return Optional.empty();
        }
        List<Documented> metastases = metastases(patient);
        if (metastases.isEmpty()) {
            return Optional.empty();
        }
        boolean trustedWildType =
                assessment.status() == RasStatus.WILD_TYPE && patient.cautions().isEmpty();
        if (assessment.status() == RasStatus.UNKNOWN
                || (assessment.status() == RasStatus.WILD_TYPE && !trustedWildType)) {
            return Optional.of(new ChartCard(
                    CardKind.RAS_TESTING_METASTATIC,
                    null,
                    metastases.stream().map(Documented::what).distinct().toList(),
                    null,
                    null,
                    List.of()));
        }
        if (!trustedWildType) {
            return Optional.empty(); // mutated: anti-EGFR is excluded already, no test changes that
        }
        Optional<EvidenceItem> newest = assessment.evidence().stream()
                .filter(item -> item.observedAt() != null)
                .max(Comparator.comparing(EvidenceItem::observedAt));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        ChartCard.Origin origin = origin(newest.get(), patient);
        if (origin == ChartCard.Origin.METASTASIS) {
            return Optional.empty();
        }
        Instant resultTime = newest.get().observedAt();
        List<String> later = metastases.stream()
                .filter(m -> m.when() != null && m.when().isAfter(resultTime))
                .map(Documented::what)
                .distinct()
                .toList();
        if (later.isEmpty()) {
            return Optional.empty();
        }
        String date = newest.get().effective() != null
                ? newest.get().effective()
                : newest.get().issued();
        return Optional.of(new ChartCard(
                CardKind.METASTASIS_RAS_TESTING,
                null,
                List.of(),
                date == null ? resultTime.toString() : date,
                origin,
                later));
    }

    // ------------------------------------------------------------------ metastatic disease

    /** Every documented metastasis: metastatic diagnoses, stage IV / M1 stages, M1 Observations, biopsies of a metastasis. */
    List<Documented> metastases(ChartFacts patient) {
        List<Documented> out = new ArrayList<>();
        for (Condition condition : patient.conditions()) {
            if (!chart.isDocumentedFact(condition)) {
                continue;
            }
            Instant when = conditionDate(condition);
            if (chart.isMetastaticDiagnosis(condition.getCode())) {
                out.add(new Documented("diagnosis " + words(condition.getCode()) + bodySites(condition), when));
            } else if (isCancer(condition.getCode()) && chart.saysStageIvOrM1InWords(condition.getCode())) {
                out.add(new Documented("diagnosis " + words(condition.getCode()), when));
            }
            for (Condition.ConditionStageComponent stage : condition.getStage()) {
                CodeableConcept summary = stage.getSummary();
                if (chart.saysStageIv(summary) || chart.saysM1(summary)) {
                    out.add(new Documented("stage " + words(summary), when));
                }
            }
        }
        List<Observation> observations = new ArrayList<>(patient.staging());
        patient.evidence().stream()
                .filter(Observation.class::isInstance)
                .map(Observation.class::cast)
                .forEach(observations::add);
        for (Observation observation : observations) {
            if (observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                    || observation.getStatus() == Observation.ObservationStatus.CANCELLED) {
                continue;
            }
            Instant when = observationDate(observation);
            if (!chart.isStagingCode(observation.getCode())) {
                continue;
            }
            if (observation.hasValueCodeableConcept() && chart.saysM1(observation.getValueCodeableConcept())
                    || observation.hasValueStringType()
                            && chart.saysM1(observation.getValueStringType().getValue())) {
                out.add(new Documented("TNM " + value(observation), when));
            } else if (observation.hasValueCodeableConcept() && chart.saysStageIv(observation.getValueCodeableConcept())
                    || observation.hasValueStringType()
                            && chart.saysStageIv(
                                    observation.getValueStringType().getValue())) {
                out.add(new Documented("stage " + value(observation), when));
            }
        }
        List<Specimen> specimens = new ArrayList<>(patient.specimens());
        patient.evidence().stream()
                .filter(Specimen.class::isInstance)
                .map(Specimen.class::cast)
                .filter(s -> specimens.stream().noneMatch(known -> sameId(known, s)))
                .forEach(specimens::add);
        for (Specimen specimen : specimens) {
            if (specimen.getStatus() == Specimen.SpecimenStatus.ENTEREDINERROR) {
                continue;
            }
            if (fromMetastasis(specimen)) {
                out.add(new Documented("biopsy " + specimenWords(specimen), specimenDate(specimen)));
            }
        }
        return out;
    }

    /**
     * A diagnosis that is a cancer the reminders are about: colorectal, or a cancer that cannot be placed. Its own
     * words may stage it; another diagnosis's "stage 4" (chronic kidney disease, a pressure ulcer) is no cancer stage.
     */
    private boolean isCancer(CodeableConcept code) {
        IndicationMatcher.Placement placement = knowledge.indications().place(code);
        return placement == IndicationMatcher.Placement.COLORECTAL
                || placement == IndicationMatcher.Placement.UNPLACED_CANCER;
    }

    /** ", body site Liver": where a metastasis is, when only its bodySite says it (an mCODE-style secondary cancer Condition). */
    private static String bodySites(Condition condition) {
        List<String> sites = condition.getBodySite().stream()
                .map(ChartDecider::words)
                .filter(w -> !w.isBlank())
                .toList();
        return sites.isEmpty() ? "" : ", body site " + String.join(", ", sites);
    }

    // ------------------------------------------------------------------ where the newest result came from

    private ChartCard.Origin origin(EvidenceItem item, ChartFacts patient) {
        List<Specimen> specimens = new ArrayList<>(patient.specimens());
        patient.evidence().stream()
                .filter(Specimen.class::isInstance)
                .map(Specimen.class::cast)
                .forEach(specimens::add);
        Resource resource = patient.evidence().stream()
                .filter(r -> reference(r).equals(baseReference(item.reference())))
                .findFirst()
                .orElse(null);
        List<Specimen> its = new ArrayList<>();
        if (resource instanceof Observation observation && observation.hasSpecimen()) {
            Reference specimen = observation.getSpecimen();
            if (specimen.getResource() instanceof Specimen contained) {
                its.add(contained);
            }
            specimens.stream()
                    .filter(s -> specimen.hasReference() && reference(s).equals(specimen.getReference()))
                    .forEach(its::add);
        }
        boolean primary = false;
        for (Specimen specimen : its) {
            if (fromMetastasis(specimen)) {
                return ChartCard.Origin.METASTASIS;
            }
            primary |= chart.namesColorectalSite(specimen.getCollection().getBodySite())
                    || chart.namesColorectalSite(specimen.getType())
                    || specimen.getNote().stream().anyMatch(note -> chart.namesColorectalSite(note.getText()));
        }
        if (item.specimen() != null && chart.namesMetastaticSite(item.specimen())) {
            return ChartCard.Origin.METASTASIS;
        }
        primary |= item.specimen() != null && chart.namesColorectalSite(item.specimen());
        return primary ? ChartCard.Origin.PRIMARY : ChartCard.Origin.NOT_STATED;
    }

    private boolean fromMetastasis(Specimen specimen) {
        return chart.namesMetastaticSite(specimen.getCollection().getBodySite())
                || chart.namesMetastaticSite(specimen.getType())
                || specimen.getNote().stream().anyMatch(note -> chart.namesMetastaticSite(note.getText()));
    }

    // ------------------------------------------------------------------ the RAS test ordered

    /**
     * An active ServiceRequest for extended RAS testing (a draft, completed or revoked one does not count, nor
     * one that says the test must not be done: {@code doNotPerform}).
     */
    private boolean rasTestOrdered(List<ServiceRequest> orders) {
        return orders.stream()
                .anyMatch(order -> order.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE
                        && !order.getDoNotPerform()
                        && chart.ordersRasTest(order));
    }

    // ------------------------------------------------------------------ parts

    private static Instant conditionDate(Condition condition) {
        if (condition.hasRecordedDate()) {
            return condition.getRecordedDate().toInstant();
        }
        if (condition.hasOnsetDateTimeType() && condition.getOnsetDateTimeType().getValue() != null) {
            return condition.getOnsetDateTimeType().getValue().toInstant();
        }
        return null;
    }

    private static Instant observationDate(Observation observation) {
        if (observation.hasEffectiveDateTimeType()
                && observation.getEffectiveDateTimeType().getValue() != null) {
            return observation.getEffectiveDateTimeType().getValue().toInstant();
        }
        return observation.hasIssued() ? observation.getIssued().toInstant() : null;
    }

    private static Instant specimenDate(Specimen specimen) {
        Specimen.SpecimenCollectionComponent collection = specimen.getCollection();
        if (collection.hasCollectedDateTimeType()
                && collection.getCollectedDateTimeType().getValue() != null) {
            return collection.getCollectedDateTimeType().getValue().toInstant();
        }
        if (collection.hasCollectedPeriod() && collection.getCollectedPeriod().hasStart()) {
            return collection.getCollectedPeriod().getStart().toInstant();
        }
        return null;
    }

    private static boolean sameId(Resource a, Resource b) {
        return a.getIdElement().hasIdPart() && reference(a).equals(reference(b));
    }

    private static String reference(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    /** {@code Observation/12} of {@code Observation/12/_history/2} or {@code DiagnosticReport/7#var1}. */
    private static String baseReference(String reference) {
        String out = reference;
        int history = out.indexOf("/_history");
        if (history > 0) {
            out = out.substring(0, history);
        }
        int hash = out.indexOf('#');
        return hash > 0 ? out.substring(0, hash) : out;
    }

    private static String value(Observation observation) {
        if (observation.hasValueCodeableConcept()) {
            return words(observation.getValueCodeableConcept()) + dated(observation);
        }
        return (observation.hasValueStringType()
                        ? observation.getValueStringType().getValue()
                        : "?")
                + dated(observation);
    }

    private static String dated(Observation observation) {
        return observation.hasEffectiveDateTimeType()
                ? " (" + observation.getEffectiveDateTimeType().getValueAsString() + ")"
                : "";
    }

    private static String specimenWords(Specimen specimen) {
        List<String> parts = new ArrayList<>();
        CodeableConcept site = specimen.getCollection().getBodySite();
        if (!site.isEmpty()) {
            parts.add(words(site));
        } else if (!specimen.getType().isEmpty()) {
            parts.add(words(specimen.getType()));
        }
        DateTimeType collected = specimen.getCollection().hasCollectedDateTimeType()
                ? specimen.getCollection().getCollectedDateTimeType()
                : null;
        return String.join(", ", parts) + (collected != null ? " (" + collected.getValueAsString() + ")" : "");
    }

    /** A concept in words: its text, else the first display, else the first code. */
    static String words(CodeableConcept concept) {
        if (concept == null) {
            return "";
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        for (Coding coding : concept.getCoding()) {
            if (coding.hasDisplay()) {
                return coding.getDisplay();
            }
        }
        return concept.getCoding().stream()
                .filter(Coding::hasCode)
                .map(Coding::getCode)
                .findFirst()
                .orElse("");
    }
}

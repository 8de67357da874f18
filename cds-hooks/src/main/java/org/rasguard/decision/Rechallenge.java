package org.rasguard.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.Gene;
import org.rasguard.ras.RasAssessment;

/**
 * A new anti-EGFR order after an earlier anti-EGFR course: RAS status may have changed under the
 * treatment (acquired RAS mutations), so a tumour result from before the course's end does not speak
 * for the tumour now. Only a plasma (ctDNA) RAS wild-type result taken after the course clears it:
 * CRICKET (JAMA Oncol 2019) found benefit from re-challenge only with RAS and BRAF wild-type ctDNA at
 * re-challenge, and CHRONOS (Nat Med 2022) excluded 16 of 52 tissue-RAS-wild-type patients whose ctDNA
 * showed resistance mutations at re-challenge screening (sources: {@code field-2026.md} §1.7; rule:
 * PlanDefinition {@value OrderRule#PLAN_DEFINITION}, action {@code anti-egfr-rechallenge}).
 *
 * <p>A tissue wild-type result after the course does not clear it: both trials selected patients for
 * re-challenge on ctDNA, and in CHRONOS a RAS wild-type tissue result was not enough (31% excluded on
 * ctDNA), so the warning stands and suggests plasma testing. Decisions that cannot be sure fail
 * safe: a course whose end is not recorded counts as going on until now; a partial date stands for its
 * last moment (course end) or its first (the result); an undated result clears nothing.
 *
 * <p>What counts as a course: a MedicationRequest completed or stopped (not one marked doNotPerform);
 * a MedicationAdministration unless not-done or entered-in-error; a MedicationStatement unless
 * entered-in-error, not-taken or intended. The course ends at the request's
 * {@code dispenseRequest.validityPeriod.end}, the administration's effective time (its period's end),
 * the statement's effective time (its period's end); an active or on-hold statement, and an in-progress
 * or on-hold administration, are going on.
 *
 * @param course the earlier anti-EGFR course that ended last
 * @param cleared a plasma / ctDNA wild-type result (KRAS and NRAS, each a final negative with extended
 *     coverage) was taken after it
 */
public record Rechallenge(EarlierCourse course, boolean cleared) {

    private static final Set<MedicationAdministration.MedicationAdministrationStatus> ADMINISTRATION_NOT_GIVEN =
            EnumSet.of(
                    MedicationAdministration.MedicationAdministrationStatus.NOTDONE,
                    MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR);
    private static final Set<MedicationStatement.MedicationStatementStatus> STATEMENT_NOT_TAKEN = EnumSet.of(
            MedicationStatement.MedicationStatementStatus.ENTEREDINERROR,
            MedicationStatement.MedicationStatementStatus.NOTTAKEN,
            MedicationStatement.MedicationStatementStatus.INTENDED);
    private static final Set<MedicationStatement.MedicationStatementStatus> STATEMENT_GOING_ON = EnumSet.of(
            MedicationStatement.MedicationStatementStatus.ACTIVE, MedicationStatement.MedicationStatementStatus.ONHOLD);

    /**
     * The re-challenge this order would be, if the history shows an earlier anti-EGFR course.
     *
     * @param now the moment of the decision: where a course of unknown end is taken to end
     */
    public static Optional<Rechallenge> of(
            List<PastMedication> history, DrugMatcher drugs, RasAssessment assessment, Instant now) {
        List<EarlierCourse> courses = new ArrayList<>();
        for (PastMedication entry : history) {
            Optional<AntiEgfrDrug> drug = drugs.antiEgfrDrug(entry.drug());
            if (drug.isEmpty()) {
                continue;
            }
            course(entry.resource(), drug.get()).ifPresent(courses::add);
        }
        Optional<EarlierCourse> last = courses.stream()
                .max(Comparator.comparing((EarlierCourse course) -> course.end() == null ? Instant.MAX : course.end())
                        .thenComparing(course -> String.valueOf(course.reference())));
        return last.map(course ->
                new Rechallenge(course, clearedAfter(course.end() == null ? now : course.end(), now, assessment)));
    }

    /**
     * KRAS and NRAS each have a final plasma / ctDNA negative with extended coverage taken after {@code end},
     * and not after {@code now} (a day's grace for time zones): a result dated in the future is a typo or a
     * clock error, and what cannot be true does not clear a warning.
     */
    private static boolean clearedAfter(Instant end, Instant now, RasAssessment assessment) {
        Instant latestPossible = now.plus(java.time.Duration.ofDays(1));
        for (Gene gene : List.of(Gene.KRAS, Gene.NRAS)) {
            boolean found = false;
            for (EvidenceItem item : assessment.evidence()) {
                if (item.gene() == gene
                        && item.plasmaExtended()
                        && !item.preliminary()
                        && FhirInstants.earliest(item.effective())
                                .filter(taken -> taken.isAfter(end) && !taken.isAfter(latestPossible))
                                .isPresent()) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** The course a history entry shows, if it shows one. */
    static Optional<EarlierCourse> course(Resource resource, AntiEgfrDrug drug) {
        String reference = resource.getIdElement().hasIdPart()
                ? resource.fhirType() + "/" + resource.getIdElement().getIdPart()
                : null;
        if (resource instanceof MedicationRequest request) {
            boolean ended = request.getStatus() == MedicationRequest.MedicationRequestStatus.COMPLETED
                    || request.getStatus() == MedicationRequest.MedicationRequestStatus.STOPPED;
            if (!ended || request.getDoNotPerform()) {
                return Optional.empty();
            }
            Period validity = request.getDispenseRequest().getValidityPeriod();
            return Optional.of(ending(drug, reference, validity.hasEnd() ? validity.getEndElement() : null));
        }
        if (resource instanceof MedicationAdministration administration) {
            if (administration.hasStatus() && ADMINISTRATION_NOT_GIVEN.contains(administration.getStatus())) {
                return Optional.empty();
            }
            if (administration.getStatus() == MedicationAdministration.MedicationAdministrationStatus.INPROGRESS
                    || administration.getStatus() == MedicationAdministration.MedicationAdministrationStatus.ONHOLD) {
                return Optional.of(new EarlierCourse(drug, reference, null, null)); // being given: going on
            }
            return Optional.of(ending(drug, reference, endOf(administration.getEffective())));
        }
        if (resource instanceof MedicationStatement statement) {
            if (statement.hasStatus() && STATEMENT_NOT_TAKEN.contains(statement.getStatus())) {
                return Optional.empty();
            }
            if (!statement.hasStatus() || STATEMENT_GOING_ON.contains(statement.getStatus())) {
                return Optional.of(new EarlierCourse(drug, reference, null, null));
            }
            return Optional.of(ending(drug, reference, endOf(statement.getEffective())));
        }
        return Optional.empty();
    }

    private static BaseDateTimeType endOf(Type effective) {
        if (effective instanceof BaseDateTimeType date && date.hasValue()) {
            return date;
        }
        if (effective instanceof Period period && period.hasEnd()) {
            return period.getEndElement();
        }
        return null; // a period without an end is going on; no time at all is an unknown end
    }

    private static EarlierCourse ending(AntiEgfrDrug drug, String reference, BaseDateTimeType end) {
        Optional<Instant> latest = FhirInstants.latest(end);
        return new EarlierCourse(
                drug, reference, latest.orElse(null), latest.isPresent() ? end.getValueAsString() : null);
    }
}

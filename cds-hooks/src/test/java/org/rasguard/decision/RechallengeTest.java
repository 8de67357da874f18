package org.rasguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.Gene;
import org.rasguard.ras.RasAssessment;

/**
 * The re-challenge rule without a server: what counts as an earlier course and when it ended, what
 * clears it (a plasma wild-type result for KRAS and NRAS after the end), and how partial dates and
 * missing time zones are read (never in the patient's disfavour).
 */
class RechallengeTest {

    private static final DecisionKnowledge KNOWLEDGE =
            DecisionKnowledge.from(KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached()));
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final CodeableConcept CETUXIMAB =
            new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "318341", "cetuximab"));

    @Test
    void aCompletedRequestEndsAtItsValidityPeriodsEndReadAsTheLastMomentOfThatDay() {
        MedicationRequest request = request(MedicationRequest.MedicationRequestStatus.COMPLETED);
        request.getDispenseRequest().setValidityPeriod(new Period().setEndElement(new DateTimeType("2026-08-31")));

        EarlierCourse course =
                Rechallenge.course(request, AntiEgfrDrug.CETUXIMAB).orElseThrow();

        // No time zone on a date: the day may end as late as 14:00 the next day, UTC.
        assertThat(course.end()).isEqualTo(Instant.parse("2026-09-01T13:59:59.999Z"));
        assertThat(course.endText()).isEqualTo("2026-08-31");
        assertThat(course.reference()).isEqualTo("MedicationRequest/r1");
    }

    @Test
    void aMonthStandsForItsLastMomentAndAZonedTimeForItself() {
        assertThat(FhirInstants.latest(new DateTimeType("2026-09")))
                .contains(Instant.parse("2026-10-01T13:59:59.999Z"));
        assertThat(FhirInstants.latest(new DateTimeType("2026-09-15T11:00:00Z")))
                .contains(Instant.parse("2026-09-15T11:00:00.999Z"));
        assertThat(FhirInstants.earliest(new DateTimeType("2026-09-15T11:00:00+02:00")))
                .contains(Instant.parse("2026-09-15T09:00:00Z"));
        assertThat(FhirInstants.earliest("2026-10-02")).contains(Instant.parse("2026-10-01T10:00:00Z"));
        assertThat(FhirInstants.earliest("not a date")).isEmpty();
        assertThat(FhirInstants.earliest((String) null)).isEmpty();
    }

    @ParameterizedTest(name = "MedicationRequest {0}: course={1}")
    @CsvSource({
        "completed, true",
        "stopped, true",
        "active, false",
        "draft, false",
        "cancelled, false",
        "entered-in-error, false",
        "on-hold, false"
    })
    void onlyACompletedOrStoppedRequestIsAnEarlierCourse(String status, boolean course) {
        MedicationRequest request = request(MedicationRequest.MedicationRequestStatus.fromCode(status));

        assertThat(Rechallenge.course(request, AntiEgfrDrug.CETUXIMAB).isPresent())
                .isEqualTo(course);
    }

    @Test
    void aRequestNotToGiveTheDrugIsNoCourseAndOneWithoutAValidityPeriodGoesOnUntilNow() {
        MedicationRequest doNot =
                request(MedicationRequest.MedicationRequestStatus.COMPLETED).setDoNotPerform(true);
        assertThat(Rechallenge.course(doNot, AntiEgfrDrug.CETUXIMAB)).isEmpty();

        EarlierCourse open = Rechallenge.course(
                        request(MedicationRequest.MedicationRequestStatus.STOPPED), AntiEgfrDrug.CETUXIMAB)
                .orElseThrow();
        assertThat(open.possiblyOngoing()).isTrue();
    }

    @ParameterizedTest(name = "MedicationAdministration {0}: course={1}")
    @CsvSource({
        "completed, true",
        "in-progress, true",
        "stopped, true",
        "on-hold, true",
        "unknown, true",
        "not-done, false",
        "entered-in-error, false"
    })
    void everyAdministrationButNotDoneOrInErrorIsAnEarlierCourse(String status, boolean course) {
        MedicationAdministration administration = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.fromCode(status))
                .setEffective(new DateTimeType("2026-06-02T09:00:00Z"));

        assertThat(Rechallenge.course(administration, AntiEgfrDrug.CETUXIMAB).isPresent())
                .isEqualTo(course);
    }

    @Test
    void anAdministrationEndsAtItsTimeOrItsPeriodsEndAndWithAnOpenPeriodGoesOn() {
        MedicationAdministration at = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                .setEffective(new DateTimeType("2026-06-02T09:00:00Z"));
        MedicationAdministration period = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                .setEffective(new Period()
                        .setStartElement(new DateTimeType("2026-06-02T09:00:00Z"))
                        .setEndElement(new DateTimeType("2026-06-02T11:00:00Z")));
        MedicationAdministration open = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.UNKNOWN)
                .setEffective(new Period().setStartElement(new DateTimeType("2026-06-02T09:00:00Z")));
        MedicationAdministration running = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.INPROGRESS)
                .setEffective(new DateTimeType("2026-06-02T09:00:00Z"));

        assertThat(Rechallenge.course(at, AntiEgfrDrug.CETUXIMAB).orElseThrow().end())
                .isEqualTo(Instant.parse("2026-06-02T09:00:00.999Z"));
        assertThat(Rechallenge.course(period, AntiEgfrDrug.CETUXIMAB)
                        .orElseThrow()
                        .end())
                .isEqualTo(Instant.parse("2026-06-02T11:00:00.999Z"));
        assertThat(Rechallenge.course(open, AntiEgfrDrug.CETUXIMAB)
                        .orElseThrow()
                        .possiblyOngoing())
                .isTrue();
        assertThat(Rechallenge.course(running, AntiEgfrDrug.CETUXIMAB)
                        .orElseThrow()
                        .possiblyOngoing())
                .as("in progress")
                .isTrue();
    }

    @ParameterizedTest(name = "MedicationStatement {0}: course={1}, going on={2}")
    @CsvSource({
        "completed, true, false",
        "stopped, true, false",
        "unknown, true, false",
        "active, true, true",
        "on-hold, true, true",
        "entered-in-error, false, false",
        "not-taken, false, false",
        "intended, false, false"
    })
    void aStatementIsACourseUnlessInErrorNotTakenOrIntendedAndAnActiveOneGoesOn(
            String status, boolean course, boolean goingOn) {
        MedicationStatement statement = new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.fromCode(status))
                .setEffective(new Period().setEndElement(new DateTimeType("2026-08-31")));

        Optional<EarlierCourse> found = Rechallenge.course(statement, AntiEgfrDrug.CETUXIMAB);

        assertThat(found.isPresent()).isEqualTo(course);
        found.ifPresent(c -> assertThat(c.possiblyOngoing()).isEqualTo(goingOn));
    }

    @Test
    void theCourseThatEndedLastCountsAndAnotherDrugIsNoCourse() {
        MedicationRequest early = request(MedicationRequest.MedicationRequestStatus.COMPLETED);
        early.getDispenseRequest().setValidityPeriod(new Period().setEndElement(new DateTimeType("2026-03-31")));
        MedicationAdministration late = new MedicationAdministration()
                .setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                .setEffective(new DateTimeType("2026-09-15T09:00:00Z"));
        late.setId("a9");
        MedicationRequest bevacizumab = request(MedicationRequest.MedicationRequestStatus.COMPLETED);
        CodeableConcept other =
                new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "253337", "bevacizumab"));

        Rechallenge found = Rechallenge.of(
                        List.of(
                                new PastMedication(early, CETUXIMAB, true),
                                new PastMedication(late, CETUXIMAB, true),
                                new PastMedication(bevacizumab, other, true)),
                        KNOWLEDGE.drugs(),
                        assessment(),
                        NOW)
                .orElseThrow();

        assertThat(found.course().reference()).isEqualTo("MedicationAdministration/a9");
        assertThat(Rechallenge.of(
                        List.of(new PastMedication(bevacizumab, other, true)), KNOWLEDGE.drugs(), assessment(), NOW))
                .isEmpty();
    }

    @Test
    void onlyFinalPlasmaNegativesOfBothGenesAfterTheEndClearIt() {
        MedicationRequest request = request(MedicationRequest.MedicationRequestStatus.COMPLETED);
        request.getDispenseRequest().setValidityPeriod(new Period().setEndElement(new DateTimeType("2026-08-31")));
        List<PastMedication> history = List.of(new PastMedication(request, CETUXIMAB, true));

        assertThat(cleared(history, plasma(Gene.KRAS, "2026-10-02", false), plasma(Gene.NRAS, "2026-10-02", false)))
                .isTrue();
        assertThat(cleared(history, plasma(Gene.KRAS, "2026-10-02", false)))
                .as("NRAS not retested")
                .isFalse();
        assertThat(cleared(history, plasma(Gene.KRAS, "2026-10-02", true), plasma(Gene.NRAS, "2026-10-02", false)))
                .as("preliminary")
                .isFalse();
        assertThat(cleared(history, plasma(Gene.KRAS, "2026-09-01", false), plasma(Gene.NRAS, "2026-10-02", false)))
                .as("the day after the end, no zone")
                .isFalse();
        assertThat(cleared(history, plasma(Gene.KRAS, null, false), plasma(Gene.NRAS, "2026-10-02", false)))
                .as("undated")
                .isFalse();
        assertThat(cleared(history, tissue(Gene.KRAS, "2026-10-02"), tissue(Gene.NRAS, "2026-10-02")))
                .as("tissue")
                .isFalse();
    }

    @Test
    void aCourseWithoutAnEndIsNotClearedByAnyResultBeforeNow() {
        List<PastMedication> history = List.of(
                new PastMedication(request(MedicationRequest.MedicationRequestStatus.STOPPED), CETUXIMAB, true));

        assertThat(cleared(history, plasma(Gene.KRAS, "2026-12-01", false), plasma(Gene.NRAS, "2026-12-01", false)))
                .isFalse();
    }

    @Test
    void theEngineMarksOnlyExtendedNegativesOnAKnownPlasmaSpecimen() {
        Specimen plasma = new Specimen()
                .setType(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "PLAS", "Plasma")));
        plasma.setId("s1");
        Observation onPlasma = negative("o1", "HGNC:6407", "KRAS").setSpecimen(new Reference("Specimen/s1"));
        Observation specimenNotSent = negative("o2", "HGNC:7989", "NRAS").setSpecimen(new Reference("Specimen/s2"));
        Observation partialOnPlasma = negative("o3", "HGNC:7989", "NRAS").setSpecimen(new Reference("Specimen/s1"));
        partialOnPlasma.getMethod().setText("KRAS and NRAS codons 12 and 13 only");
        partialOnPlasma.getMethod().getCoding().clear();

        RasAssessment assessment =
                KNOWLEDGE.engine().assess(List.<Resource>of(plasma, onPlasma, specimenNotSent, partialOnPlasma));

        assertThat(assessment.evidence())
                .filteredOn(EvidenceItem::plasmaExtended)
                .extracting(EvidenceItem::reference)
                .containsExactly("Observation/o1");
    }

    private static boolean cleared(List<PastMedication> history, EvidenceItem... items) {
        RasAssessment base = assessment();
        RasAssessment with = new RasAssessment(
                base.status(), base.reasons(), base.genes(), base.variants(), false, false, List.of(), List.of(items));
        return Rechallenge.of(history, KNOWLEDGE.drugs(), with, NOW)
                .orElseThrow()
                .cleared();
    }

    private static EvidenceItem plasma(Gene gene, String effective, boolean preliminary) {
        return new EvidenceItem(
                "Observation/" + gene + effective,
                gene,
                org.rasguard.ras.EvidenceCall.CTDNA_NEGATIVE,
                preliminary,
                effective,
                null,
                null,
                "Plasma",
                null,
                "final",
                "gene-level negative",
                true);
    }

    private static EvidenceItem tissue(Gene gene, String effective) {
        return new EvidenceItem(
                "Observation/t" + gene,
                gene,
                org.rasguard.ras.EvidenceCall.NEGATIVE,
                false,
                effective,
                null,
                null,
                "Liver biopsy",
                null,
                "final",
                "gene-level negative",
                false);
    }

    private static RasAssessment assessment() {
        return KNOWLEDGE.engine().assess(new ArrayList<>());
    }

    private static MedicationRequest request(MedicationRequest.MedicationRequestStatus status) {
        MedicationRequest request =
                new MedicationRequest().setStatus(status).setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setId("r1");
        return request;
    }

    private static Observation negative(String id, String hgnc, String gene) {
        Observation observation = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "69548-6", null)))
                .setValue(new CodeableConcept(new Coding("http://loinc.org", "LA9634-2", "Absent")))
                .setMethod(new CodeableConcept(new Coding("http://loinc.org", "LA26398-0", "Sequencing")));
        observation.setId(id);
        observation.setEffective(new DateTimeType("2026-10-02"));
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "48018-6", null)))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", hgnc, gene)));
        return observation;
    }
}

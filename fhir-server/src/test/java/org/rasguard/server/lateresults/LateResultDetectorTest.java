package org.rasguard.server.lateresults;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;

/** Which stored resources start a late-result check, and for whom. */
class LateResultDetectorTest {

    private static Observation about(String reference) {
        return new Observation().setSubject(new Reference(reference));
    }

    @Test
    void aGenomicResultNamesItsPatientByALiteralReferenceOnly() {
        assertThat(LateResultDetector.patientsOf(about("Patient/12"))).containsExactly("12");
        org.hl7.fhir.r4.model.Patient withMrn = new org.hl7.fhir.r4.model.Patient();
        withMrn.setId("Patient/77");
        withMrn.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("M-77");
        assertThat(LateResultDetector.patientsOf(withMrn))
                .as("a Patient with identifiers")
                .containsExactly("77");
        assertThat(LateResultDetector.patientsOf(new org.hl7.fhir.r4.model.Patient().setId("Patient/78")))
                .as("none")
                .isEmpty();
        assertThat(LateResultDetector.patientsOf(about("Patient/12/_history/3")))
                .containsExactly("12");
        assertThat(LateResultDetector.patientsOf(new DiagnosticReport().setSubject(new Reference("Patient/a-1"))))
                .containsExactly("a-1");
        assertThat(LateResultDetector.patientsOf(new Specimen().setSubject(new Reference("Patient/7"))))
                .containsExactly("7");
        for (String other : new String[] {
            "Group/4",
            "patient/12",
            "urn:uuid:0b7a3c52",
            "Patient/12/../13",
            "http://other/fhir/Patient/12",
            "Patient?identifier=x|1"
        }) {
            assertThat(LateResultDetector.patientsOf(about(other))).as(other).isEmpty();
        }
        assertThat(LateResultDetector.patientsOf(new Observation())).isEmpty();
    }

    @Test
    void aStoredDocumentNamesThePatientsOfItsResultsAndOtherResourcesNoOne() {
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.addEntry().setResource(about("Patient/12"));
        document.addEntry().setResource(new DiagnosticReport().setSubject(new Reference("Patient/13")));
        document.addEntry().setResource(about("urn:uuid:5b0d"));
        assertThat(LateResultDetector.patientsOf(document)).containsExactlyInAnyOrder("12", "13");
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(about("Patient/12"));
        assertThat(LateResultDetector.patientsOf(transaction))
                .as("its entries are stored one by one")
                .isEmpty();
        assertThat(LateResultDetector.patientsOf(new AuditEvent())).isEmpty();
        assertThat(LateResultDetector.patientsOf(new DetectedIssue().setPatient(new Reference("Patient/12"))))
                .isEmpty();
    }

    @Test
    void aStopDoesNotWaitForTheCatchUpThatIsNotYetDue() {
        LateResultDetector detector =
                new LateResultDetector(null, null, null, null, null, 30, java.time.Clock.systemUTC(), null);
        detector.catchUpAfter(3600);
        long started = System.nanoTime();
        detector.close();
        // Before: the executor ran delayed tasks after shutdown, so close() waited its full 10 s.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }
}

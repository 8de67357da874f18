package org.rasguard.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;
import org.rasguard.patients.PersonIdentity.Match;

class PersonIdentityTest {

    private static final String MRN = "urn:example:hospital-mrn";
    private static final String NATIONAL = "urn:example:national-id";
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private final PersonIdentity identity = new PersonIdentity(Set.of(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSharedIdentifierWithNoDisagreementIsTheSamePerson() {
        assertThat(identity.match(patient(id(MRN, "4711")), patient(id(MRN, "4711"), id(NATIONAL, "X-1"))))
                .isEqualTo(Match.SAME_PERSON);
    }

    @Test
    void oneSharedAndOneDifferingSystemIsAConflict() {
        assertThat(identity.match(
                        patient(id(MRN, "4711"), id(NATIONAL, "X-1")), patient(id(MRN, "4711"), id(NATIONAL, "X-2"))))
                .isEqualTo(Match.CONFLICT);
    }

    @Test
    void twoValuesInOneSystemProveNothing() {
        assertThat(identity.match(patient(id(MRN, "4711"), id(MRN, "4712")), patient(id(MRN, "4711"))))
                .isEqualTo(Match.AMBIGUOUS);
    }

    @Test
    void anIdentifierMarkedOldIdentifiesNoOne() {
        Identifier retired = id(MRN, "4711").setUse(Identifier.IdentifierUse.OLD);
        assertThat(identity.match(patient(retired), patient(id(MRN, "4711")))).isEqualTo(Match.UNRELATED);
    }

    @Test
    void anIdentifierWhosePeriodEndedIdentifiesNoOne() {
        // An MRN retired in 2024 and since reissued to someone else must not join the two records.
        Identifier ended =
                id(MRN, "4711").setPeriod(new Period().setEnd(Date.from(Instant.parse("2024-03-31T00:00:00Z"))));
        assertThat(identity.match(patient(ended), patient(id(MRN, "4711")))).isEqualTo(Match.UNRELATED);
        assertThat(identity.searchable(patient(ended))).isEmpty();
    }

    @Test
    void anIdentifierNotYetValidIdentifiesNoOne() {
        Identifier future =
                id(MRN, "4711").setPeriod(new Period().setStart(Date.from(Instant.parse("2027-01-01T00:00:00Z"))));
        assertThat(identity.identifiers(patient(future))).isEmpty();
    }

    @Test
    void anIdentifierInsideItsPeriodStillCounts() {
        Identifier current = id(MRN, "4711")
                .setPeriod(new Period()
                        .setStart(Date.from(Instant.parse("2020-01-01T00:00:00Z")))
                        .setEnd(Date.from(Instant.parse("2030-01-01T00:00:00Z"))));
        assertThat(identity.match(patient(current), patient(id(MRN, "4711")))).isEqualTo(Match.SAME_PERSON);
    }

    @Test
    void anEndedValueDoesNotMakeTheSystemAmbiguous() {
        Identifier ended =
                id(MRN, "0815").setPeriod(new Period().setEnd(Date.from(Instant.parse("2025-12-31T00:00:00Z"))));
        assertThat(identity.match(patient(ended, id(MRN, "4711")), patient(id(MRN, "4711"))))
                .isEqualTo(Match.SAME_PERSON);
    }

    private static Identifier id(String system, String value) {
        return new Identifier().setSystem(system).setValue(value);
    }

    private static Patient patient(Identifier... identifiers) {
        Patient patient = new Patient();
        for (Identifier identifier : identifiers) {
            patient.addIdentifier(identifier);
        }
        return patient;
    }
}

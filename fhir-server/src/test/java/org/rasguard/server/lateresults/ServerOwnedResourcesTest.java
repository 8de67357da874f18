package org.rasguard.server.lateresults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which resources only the server may write, and that only its own requests may write them. */
class ServerOwnedResourcesTest {

    private static final String AUDIT_TYPES = "http://rasguard.org/fhir/CodeSystem/audit-event-type";
    private static final String ISSUE_CODES = "http://rasguard.org/fhir/CodeSystem/ras-detected-issue";
    private static final String ISSUE_IDS = "http://rasguard.org/fhir/sid/late-ras-result";
    private static final ServerOwnedResources GUARD = new ServerOwnedResources();

    private static AuditEvent auditEvent(String system, String code) {
        return new AuditEvent().setType(new Coding(system, code, null));
    }

    private static DetectedIssue issue(String codeSystem, String code, String identifierSystem) {
        DetectedIssue issue = new DetectedIssue();
        issue.getCode().addCoding(new Coding(codeSystem, code, null));
        if (identifierSystem != null) {
            issue.addIdentifier().setSystem(identifierSystem).setValue("h-1");
        }
        return issue;
    }

    private static final DetectedIssue CLIENT_ISSUE =
            issue("http://terminology.hl7.org/CodeSystem/v3-ActCode", "DRG", null);
    private static final AuditEvent CLIENT_AUDIT_EVENT =
            auditEvent("http://dicom.nema.org/resources/ontology/DCM", "110110");

    static Stream<Arguments> resources() {
        return Stream.of(
                Arguments.of("a CDS decision", auditEvent(AUDIT_TYPES, "cds-hooks-decision"), true),
                Arguments.of("CDS feedback", auditEvent(AUDIT_TYPES, "cds-hooks-feedback"), true),
                Arguments.of(
                        "a code of the audit-event-type system we do not use (yet)",
                        auditEvent(AUDIT_TYPES, "reminder"),
                        true),
                Arguments.of(
                        "our type system in capitals, with blanks",
                        auditEvent(" " + AUDIT_TYPES.toUpperCase() + " ", "cds-hooks-decision"),
                        true),
                Arguments.of(
                        "our type system with a trailing slash (an outside attack)",
                        auditEvent(AUDIT_TYPES + "/", "cds-hooks-feedback"),
                        true),
                Arguments.of("our decision code without a system", auditEvent(null, "cds-hooks-decision"), true),
                Arguments.of(
                        "our feedback code in another system, capitals",
                        auditEvent("urn:example:audit", " CDS-Hooks-Feedback"),
                        true),
                Arguments.of(
                        "our decision code with a zero-width space and a no-break space (an outside attack)",
                        auditEvent("urn:example:audit", "\u200Bcds-hooks-decision\u00A0"),
                        true),
                Arguments.of(
                        "our type system with a soft hyphen inside",
                        auditEvent("http://rasguard.org/fhir/CodeSystem/audit-\u00ADevent-type", "reminder"),
                        true),
                Arguments.of("a DICOM AuditEvent of a client", CLIENT_AUDIT_EVENT, false),
                Arguments.of("an AuditEvent without a type", new AuditEvent(), false),
                Arguments.of("a late-result issue", issue(ISSUE_CODES, "late-ras-result", ISSUE_IDS), true),
                Arguments.of("another code of ras-detected-issue", issue(ISSUE_CODES, "something-else", null), true),
                Arguments.of("only the late-result identifier", issue("urn:example:issues", "x", ISSUE_IDS), true),
                Arguments.of("a client's drug-interaction issue", CLIENT_ISSUE, false),
                Arguments.of("a DetectedIssue without code or identifier", new DetectedIssue(), false),
                Arguments.of("an Observation", new Observation(), false),
                Arguments.of("nothing (no stored version)", null, false));
    }

    @ParameterizedTest(name = "{0}: server-owned {2}")
    @MethodSource("resources")
    void serverOwnedResourcesAreOursByTypeCodeOrIdentifierSystem(String name, IBaseResource resource, boolean owned) {
        assertThat(ServerOwnedResources.isServerOwned(resource)).isEqualTo(owned);
    }

    @Test
    void theServersOwnWritesPass() {
        SystemRequestDetails server = new SystemRequestDetails();
        DetectedIssue ours = issue(ISSUE_CODES, "late-ras-result", ISSUE_IDS);
        assertThatCode(() -> {
                    GUARD.creating(ours, server);
                    GUARD.updating(ours, ours.copy().setStatus(DetectedIssue.DetectedIssueStatus.CANCELLED), server);
                    GUARD.deleting(auditEvent(AUDIT_TYPES, "cds-hooks-decision"), server);
                })
                .doesNotThrowAnyException();
    }

    @Test
    void anApiClientsCreateUpdateOrDeleteOfOneIs403WithTheStableCode() {
        ServletRequestDetails client = new ServletRequestDetails();
        DetectedIssue ours = issue(ISSUE_CODES, "late-ras-result", ISSUE_IDS);
        AuditEvent decision = auditEvent(AUDIT_TYPES, "cds-hooks-decision");
        assertRefused(() -> GUARD.creating(ours, client));
        assertRefused(() -> GUARD.creating(decision, client));
        assertRefused(
                () -> GUARD.updating(ours, ours.copy().setStatus(DetectedIssue.DetectedIssueStatus.CANCELLED), client));
        assertRefused(() -> GUARD.deleting(decision, client));
        assertRefused(() -> GUARD.creating(decision, null)); // not known to be the server: refused
    }

    @Test
    void anUpdateIsJudgedOnTheStoredVersionAsWellAsTheNewBody() {
        ServletRequestDetails client = new ServletRequestDetails();
        assertRefused(() -> GUARD.updating(issue(ISSUE_CODES, "late-ras-result", ISSUE_IDS), CLIENT_ISSUE, client));
        assertRefused(() -> GUARD.updating(CLIENT_ISSUE, issue(ISSUE_CODES, "late-ras-result", null), client));
        assertRefused(() -> GUARD.updating(auditEvent(AUDIT_TYPES, "cds-hooks-feedback"), CLIENT_AUDIT_EVENT, client));
        assertThatCode(() -> GUARD.updating(CLIENT_ISSUE, CLIENT_ISSUE.copy().setDetail("changed"), client))
                .doesNotThrowAnyException();
        assertThatCode(() -> GUARD.deleting(CLIENT_AUDIT_EVENT, client)).doesNotThrowAnyException();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
        assertThatThrownBy(write).isInstanceOfSatisfying(ForbiddenOperationException.class, refused -> {
            assertThat(refused.getStatusCode()).isEqualTo(403);
            OperationOutcome.OperationOutcomeIssueComponent issue =
                    ((OperationOutcome) refused.getOperationOutcome()).getIssueFirstRep();
            assertThat(issue.getDetails().getCodingFirstRep().getSystem())
                    .isEqualTo("http://rasguard.org/fhir/CodeSystem/error-code");
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("server-owned-resource");
            assertThat(issue.getDiagnostics()).contains("written by the server only");
        });
    }
}

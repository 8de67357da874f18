package org.rasguard.server.hooks;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IdType;
import org.rasguard.cdshooks.ChartStore;
import org.rasguard.cdshooks.Hook;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.LateResult;
import org.rasguard.server.audit.DecisionAuditEvents;

/**
 * The patient-view service's store: HAPI's DAOs called in-process, as the system. Late results are
 * the DetectedIssues of the person's Patients of ours with the late-result code
 * ({@code DetectedIssue?patient=…&code=…}); closing one is an update of it through the DAO, so it goes
 * through the same interceptors as a client's write (the store's version moves on, subscriptions see
 * it). When a testing reminder was last shown is read from the decision AuditEvents the audit trail
 * already writes per call: the decision of a shown reminder names it in a {@code reminder} entity
 * ({@link DecisionAuditEvents#reminderName}), found with one indexed search; durable, and
 * the same on every replica.
 */
final class JpaChartStore implements ChartStore {

    static final int MAX_ISSUES = 100;
    /** Reminders shown to one patient that are read: one per window at most, so a few cover years. */
    static final int MAX_DECISIONS = 100;

    private static final Set<String> REMINDER_TOPICS =
            Set.of(CardKind.RAS_TESTING_METASTATIC.topicCode(), CardKind.METASTASIS_RAS_TESTING.topicCode());

    private final IFhirResourceDao<DetectedIssue> issues;
    private final IFhirResourceDao<AuditEvent> auditEvents;

    @SuppressWarnings("unchecked")
    JpaChartStore(DaoRegistry daos) {
        this.issues = (IFhirResourceDao<DetectedIssue>) daos.getResourceDao("DetectedIssue");
        this.auditEvents = (IFhirResourceDao<AuditEvent>) daos.getResourceDao("AuditEvent");
    }

    @Override
    public List<DetectedIssue> lateResults(List<String> patientIds) {
        if (patientIds.isEmpty()) {
            return List.of();
        }
        ReferenceOrListParam patients = new ReferenceOrListParam();
        patientIds.forEach(id -> patients.addOr(new ReferenceParam("Patient/" + id)));
        SearchParameterMap map = SearchParameterMap.newSynchronous()
                .add(DetectedIssue.SP_PATIENT, patients)
                .add(DetectedIssue.SP_CODE, new TokenParam(LateResult.CODE_SYSTEM, LateResult.CODE));
        map.setLoadSynchronousUpTo(MAX_ISSUES);
        return issues.searchForResources(map, new SystemRequestDetails()).stream()
                .map(DetectedIssue.class::cast)
                .toList();
    }

    @Override
    public boolean mitigate(String detectedIssueId, String action, Instant when) {
        if (!LateResult.MITIGATIONS.contains(action)) {
            throw new IllegalArgumentException("Not a late-result mitigation: " + action);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            DetectedIssue issue;
            try {
                issue = issues.read(new IdType("DetectedIssue", detectedIssueId), new SystemRequestDetails());
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                return false;
            }
            if (LateResult.open(List.of(issue)).isEmpty()) {
                // not ours (another code, entered in error) or already closed: nothing to add
                return issue.getCode().getCoding().stream()
                        .anyMatch(c ->
                                LateResult.CODE_SYSTEM.equals(c.getSystem()) && LateResult.CODE.equals(c.getCode()));
            }
            issue.addMitigation()
                    .setAction(new CodeableConcept(new Coding(
                            LateResult.MITIGATION_SYSTEM,
                            action,
                            action.equals(LateResult.ORDER_STOPPED)
                                    ? "Anti-EGFR order stopped"
                                    : "Anti-EGFR order reviewed")))
                    .setDateElement(new DateTimeType(Date.from(when)));
            try {
                // The id keeps the version read: HAPI refuses the update if another replica wrote in between.
                issues.update(issue, new SystemRequestDetails());
                return true;
            } catch (ResourceVersionConflictException e) {
                // read again: the other write may have closed it already
            }
        }
        return false;
    }

    @Override
    public Instant lastReminder(String serviceId, String ehrPatientId, Instant since) {
        // The reminder entity's name alone is selective (one hashed index): type, hook and date are checked here.
        SearchParameterMap map = SearchParameterMap.newSynchronous()
                .add(
                        AuditEvent.SP_ENTITY_NAME,
                        new StringParam(DecisionAuditEvents.reminderName(serviceId, ehrPatientId)).setExact(true));
        map.setLoadSynchronousUpTo(MAX_DECISIONS);
        Instant last = null;
        for (Object found : auditEvents.searchForResources(map, new SystemRequestDetails())) {
            AuditEvent decision = (AuditEvent) found;
            if (!decision.hasRecorded()
                    || decision.getRecorded().toInstant().isBefore(since)
                    || !isPatientViewDecision(decision)
                    || !ofService(decision, serviceId)
                    || !showedReminder(decision)) {
                continue;
            }
            Instant recorded = decision.getRecorded().toInstant();
            if (last == null || recorded.isAfter(last)) {
                last = recorded;
            }
        }
        return last;
    }

    private static boolean isPatientViewDecision(AuditEvent event) {
        return DecisionAuditEvents.TYPE_SYSTEM.equals(event.getType().getSystem())
                && DecisionAuditEvents.DECISION.equals(event.getType().getCode())
                && event.getSubtype().stream()
                        .anyMatch(c -> DecisionAuditEvents.HOOK_SYSTEM.equals(c.getSystem())
                                && Hook.PATIENT_VIEW.id().equals(c.getCode()));
    }

    private static boolean ofService(AuditEvent decision, String serviceId) {
        return decision.getEntity().stream()
                .filter(e -> "hookInstance".equals(e.getDescription()))
                .anyMatch(e -> serviceId.equals(detail(e, "service")));
    }

    private static boolean showedReminder(AuditEvent decision) {
        List<String> topics = new ArrayList<>();
        decision.getEntity().stream()
                .filter(e -> "card".equals(e.getDescription()))
                .forEach(e -> topics.add(detail(e, "topic")));
        return topics.stream().anyMatch(REMINDER_TOPICS::contains);
    }

    private static String detail(AuditEvent.AuditEventEntityComponent entity, String type) {
        return entity.getDetail().stream()
                .filter(d -> type.equals(d.getType()) && d.hasValueStringType())
                .map(d -> d.getValueStringType().getValue())
                .findFirst()
                .orElse(null);
    }
}

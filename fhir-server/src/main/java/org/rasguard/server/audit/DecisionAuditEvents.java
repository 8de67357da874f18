package org.rasguard.server.audit;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.rasguard.cdshooks.Decision;
import org.rasguard.patients.PersonIdentity;

/**
 * One CDS decision as a FHIR R4 AuditEvent. The layout (README, Audit trail):
 *
 * <ul>
 *   <li>{@code type} {@value #TYPE_SYSTEM}|{@value #DECISION}; {@code subtype} the hook
 *       ({@value #HOOK_SYSTEM}); {@code action} E; {@code recorded} when the decision was made, {@code period}
 *       its start and end; {@code outcome} 0, or 4 for a 412, 8 for an internal error ({@code outcomeDesc}
 *       the error code, else the number of cards);
 *   <li>{@code agent[0]} the clinician: {@code context.userId} as {@code who.identifier} ({@value #USER_SYSTEM})
 *       and {@code altId}; {@code agent[1]} the RAS Guard service;
 *   <li>{@code entity}, each told apart by {@code description}:
 *     <ul>
 *       <li>{@code patient}: name = {@code Patient/<context.patientId>} (R4 AuditEvent has no search
 *           parameter on an entity's identifier, so {@code AuditEvent?entity-name:exact=Patient/123} finds a
 *           patient's decisions), {@code what.identifier} {@value #PATIENT_SYSTEM}|{@code context.patientId};
 *       <li>{@code storePatient} (one per record of our store the decision read): name =
 *           {@code store:Patient/<our id>} ({@code AuditEvent?entity-name:exact=store:Patient/12} finds the decisions
 *           that read our Patient/12: the late-result check), {@code what.identifier} {@value #STORE_PATIENT_SYSTEM}|id;
 *       <li>{@code personIdentifier} (one per person identifier of the EHR's Patient, one value per system):
 *           name = {@code person:<system>|<value>}, {@code what.identifier} that identifier: the late-result check
 *           finds by them the decisions about a patient our store held no record of when they were made;
 *       <li>{@code hookInstance}: name = the hookInstance; details {@code service}, {@code hook}, {@code verdict}
 *           (RAS status, {@code not-assessed} or {@code error}), {@code reason} and {@code caution} (each
 *           repeated), {@code krasG12c}, {@code ordersInScope}, {@code durationMs}, {@code error};
 *       <li>{@code order}: {@code what.identifier} {@value #ORDER_SYSTEM}|{@code MedicationRequest/…} (or the fullUrl,
 *           or {@code urn:rasguard:draft-order:<hookInstance>:<n>} for a draft order with neither), detail {@code drug};
 *       <li>{@code card}: name = the card uuid (as in feedback AuditEvents, so
 *           {@code AuditEvent?entity-name=<uuid>} returns the card's decision and its feedback), details
 *           {@code topic}, {@code indicator}, {@code order} (a late-result card: our {@code DetectedIssue/…});
 *       <li>{@code reminder} (patient-view, when a testing reminder was shown): name
 *           {@code <service> reminder Patient/<context.patientId>} ({@link #reminderName}), which the
 *           service searches to show at most one reminder per RASGUARD_REMINDER_DAYS;
 *       <li>{@code evidence}: {@code what.identifier} {@value #EVIDENCE_SYSTEM}|{@code Observation/…}, details
 *           {@code gene}, {@code call}.
 *     </ul>
 * </ul>
 *
 * Identifiers only, never references: the ids are the EHR's (and the store refuses dangling
 * references), and a reference would stop evidence from ever being deleted. No token, no body.
 */
public final class DecisionAuditEvents {

    public static final String TYPE_SYSTEM = "http://rasguard.org/fhir/CodeSystem/audit-event-type";
    public static final String DECISION = "cds-hooks-decision";
    public static final String FEEDBACK = "cds-hooks-feedback";
    public static final String HOOK_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-hook";
    public static final String PATIENT_SYSTEM = "http://rasguard.org/fhir/sid/cds-patient-id";
    public static final String USER_SYSTEM = "http://rasguard.org/fhir/sid/cds-user-id";
    public static final String ORDER_SYSTEM = "http://rasguard.org/fhir/sid/cds-draft-order";
    public static final String EVIDENCE_SYSTEM = "http://rasguard.org/fhir/sid/cds-evidence";
    public static final String STORE_PATIENT_SYSTEM = "http://rasguard.org/fhir/sid/store-patient-id";
    /** Entity name of a store record: a prefix no client patient reference ({@code Patient/…}) can have. */
    public static final String STORE_PATIENT_NAME = "store:Patient/";
    /** Entity name of one of the EHR Patient's person identifiers: {@code person:<system>|<value>}. */
    public static final String PERSON_NAME = "person:";

    static final String URI_SYSTEM = "urn:ietf:rfc:3986";

    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final String AGENT_ROLE = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

    private DecisionAuditEvents() {}

    public static AuditEvent of(Decision decision) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(TYPE_SYSTEM, DECISION, "CDS Hooks decision"));
        event.addSubtype(
                new Coding(HOOK_SYSTEM, decision.hook().id(), decision.hook().id()));
        event.setAction(AuditEvent.AuditEventAction.E);
        Instant end = decision.started().plusNanos(decision.durationNanos());
        event.getPeriod().setStartElement(milli(decision.started())).setEndElement(milli(end));
        event.setRecorded(Date.from(end));
        if (decision.errorCode() == null) {
            event.setOutcome(AuditEvent.AuditEventOutcome._0);
            event.setOutcomeDesc(decision.cards().size() + (decision.cards().size() == 1 ? " card" : " cards"));
        } else {
            event.setOutcome(
                    decision.errorCode().equals("internal-error")
                            ? AuditEvent.AuditEventOutcome._8
                            : AuditEvent.AuditEventOutcome._4);
            event.setOutcomeDesc(decision.errorCode());
        }

        AuditEvent.AuditEventAgentComponent user = event.addAgent().setRequestor(true);
        user.addRole().addCoding(new Coding(AGENT_ROLE, "humanuser", "human user"));
        if (decision.userId() != null) {
            user.setWho(new Reference()
                    .setIdentifier(new Identifier().setSystem(USER_SYSTEM).setValue(decision.userId())));
            user.setAltId(decision.userId());
        } else {
            user.setWho(new Reference().setDisplay("clinician (context.userId not sent)"));
        }
        String service = "RAS Guard CDS service " + decision.serviceId();
        AuditEvent.AuditEventAgentComponent us = event.addAgent().setRequestor(false);
        us.addRole().addCoding(new Coding(AGENT_ROLE, "dataprocessor", "data processor"));
        us.setWho(new Reference().setDisplay(service));
        event.getSource()
                .setSite("RAS Guard")
                .setObserver(new Reference().setDisplay(service))
                .addType(new Coding(
                        "http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        AuditEventEntityComponent patient = entity(event, "patient", "1", "1");
        patient.setName("Patient/" + decision.patientId()); // AuditEvent?entity-name:exact=Patient/<id>
        patient.setWhat(identified(PATIENT_SYSTEM, decision.patientId()));

        for (String storePatient : decision.storePatientIds()) {
            AuditEventEntityComponent record = entity(event, "storePatient", "1", "1");
            record.setName(STORE_PATIENT_NAME + storePatient);
            record.setWhat(identified(STORE_PATIENT_SYSTEM, storePatient));
        }
        for (String identifier : decision.personIdentifiers()) {
            AuditEventEntityComponent person = entity(event, "personIdentifier", "1", "1");
            person.setName(PERSON_NAME + identifier);
            Map.Entry<String, String> key = PersonIdentity.splitKey(identifier);
            person.setWhat(identified(key.getKey(), key.getValue()));
        }

        AuditEventEntityComponent call = entity(event, "hookInstance", "2", "20");
        call.setName(decision.hookInstance());
        call.setWhat(identified(URI_SYSTEM, urn(decision.hookInstance())));
        detail(call, "service", decision.serviceId());
        detail(call, "hook", decision.hook().id());
        detail(call, "verdict", decision.verdictCode());
        if (decision.verdict() != null) {
            decision.verdict().reasons().forEach(reason -> detail(call, "reason", reason));
            decision.verdict().cautions().forEach(caution -> detail(call, "caution", caution));
            detail(call, "krasG12c", String.valueOf(decision.verdict().krasG12c()));
        }
        detail(call, "ordersInScope", String.valueOf(decision.draftOrders()));
        detail(call, "durationMs", millis(decision.durationNanos()));
        detail(call, "error", decision.errorCode());

        for (Decision.Order order : decision.orders()) {
            AuditEventEntityComponent entity = entity(event, "order", "2", "4");
            if (order.reference() != null) {
                entity.setWhat(identified(ORDER_SYSTEM, order.reference()));
            }
            detail(entity, "drug", order.drug());
        }
        for (Decision.Card card : decision.cards()) {
            AuditEventEntityComponent entity = entity(event, "card", "2", "3");
            entity.setName(card.uuid());
            entity.setWhat(identified(URI_SYSTEM, urn(card.uuid())));
            detail(entity, "topic", card.kind().topicCode());
            detail(entity, "indicator", card.kind().indicator());
            detail(entity, "order", card.order());
        }
        if (decision.cards().stream().anyMatch(card -> card.kind().isTestingReminder())) {
            // Searchable (entity-name:exact), so the patient-view service finds the last reminder with one indexed
            // search.
            AuditEventEntityComponent entity = entity(event, "reminder", "2", "3");
            entity.setName(reminderName(decision.serviceId(), decision.patientId()));
        }
        for (Decision.Evidence evidence : decision.evidence()) {
            AuditEventEntityComponent entity = entity(event, "evidence", "2", "3");
            entity.setWhat(identified(EVIDENCE_SYSTEM, evidence.reference()));
            detail(entity, "gene", evidence.gene());
            detail(entity, "call", evidence.call());
        }
        return event;
    }

    /** Milliseconds with microsecond precision, e.g. {@code 12.345}. */
    static String millis(long nanos) {
        return BigDecimal.valueOf(nanos)
                .movePointLeft(6)
                .setScale(3, RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static DateTimeType milli(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
    }

    /**
     * The name of the {@code reminder} entity of a decision that showed a patient-view testing reminder:
     * {@code <service> reminder Patient/<context.patientId>}.
     */
    public static String reminderName(String serviceId, String patientId) {
        return serviceId + " reminder Patient/" + patientId;
    }

    private static AuditEventEntityComponent entity(AuditEvent event, String description, String type, String role) {
        AuditEventEntityComponent entity = event.addEntity();
        entity.setDescription(description);
        entity.setType(new Coding(ENTITY_TYPE, type, null));
        entity.setRole(new Coding(OBJECT_ROLE, role, null));
        return entity;
    }

    private static Reference identified(String system, String value) {
        return new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    private static void detail(AuditEventEntityComponent entity, String type, String value) {
        if (value != null && !value.isBlank()) {
            entity.addDetail().setType(type).setValue(new StringType(value));
        }
    }

    static String urn(String uuid) {
        return uuid.startsWith("urn:") ? uuid : "urn:uuid:" + uuid;
    }
}

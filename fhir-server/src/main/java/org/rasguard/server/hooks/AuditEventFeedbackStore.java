package org.rasguard.server.hooks;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.rasguard.hooks.FeedbackItem;
import org.rasguard.hooks.FeedbackStore;
import org.rasguard.server.audit.DecisionAuditEvents;
import org.rasguard.server.metrics.Metrics;

/**
 * Each feedback item becomes one AuditEvent in the FHIR store, in one transaction, so feedback is as
 * durable as the results and readable through the API:
 * {@code GET /fhir/AuditEvent?entity-name=<card uuid>} (or {@code ?subtype=overridden},
 * {@code ?entity-name=<hookInstance>}).
 *
 * <p>Layout: {@code type} = CDS Hooks feedback; {@code subtype} = the outcome; entity 1 = the card
 * (name = card uuid, as in the decision's AuditEvent, see {@link DecisionAuditEvents}), entity 2 = the
 * hookInstance (from memory, else from the decision's AuditEvent); details carry the service id, the
 * card topic, accepted suggestion uuids, the override reason and comment, and the client's
 * outcomeTimestamp. No references, so the strict referential integrity of the store never refuses it.
 */
final class AuditEventFeedbackStore implements FeedbackStore {

    static final String TYPE_SYSTEM = DecisionAuditEvents.TYPE_SYSTEM;
    static final String OUTCOME_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-feedback-outcome";

    private final IFhirSystemDao<Bundle, Meta> system;
    private final IFhirResourceDao<AuditEvent> auditEvents;
    private final Metrics metrics;

    AuditEventFeedbackStore(DaoRegistry daos) {
        this(daos, null);
    }

    /** @param metrics where feedback is counted, or null */
    @SuppressWarnings("unchecked")
    AuditEventFeedbackStore(DaoRegistry daos, Metrics metrics) {
        this.system = (IFhirSystemDao<Bundle, Meta>) daos.getSystemDao();
        this.auditEvents = (IFhirResourceDao<AuditEvent>) daos.getResourceDao("AuditEvent");
        this.metrics = metrics;
    }

    @Override
    public List<String> save(List<FeedbackItem> received) {
        List<FeedbackItem> items = received.stream().map(this::withDecision).toList();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (FeedbackItem item : items) {
            transaction.addEntry().setResource(auditEvent(item))
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        }
        Bundle response = system.transaction(new SystemRequestDetails(), transaction);
        List<String> ids = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : response.getEntry()) {
            String location = entry.getResponse().getLocation();
            ids.add(location == null ? null : location.replaceAll("/_history/.*$", ""));
        }
        if (metrics != null) {
            metrics.feedback(items);
        }
        return ids;
    }

    /**
     * Feedback on a card this process no longer remembers (issued before a restart): the hookInstance
     * and topic are taken from the card's decision AuditEvent, so the chain order → card → outcome
     * holds across restarts.
     */
    private FeedbackItem withDecision(FeedbackItem item) {
        if (item.hookInstance() != null) {
            return item;
        }
        SearchParameterMap map = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.DECISION))
                .add(AuditEvent.SP_ENTITY_NAME, new StringParam(item.cardUuid()).setExact(true));
        map.setCount(1);
        List<AuditEvent> found = auditEvents.searchForResources(map, new SystemRequestDetails());
        for (AuditEvent decision : found) {
            String hookInstance = null;
            String topic = null;
            for (AuditEvent.AuditEventEntityComponent entity : decision.getEntity()) {
                if ("hookInstance".equals(entity.getDescription())) {
                    hookInstance = entity.getName();
                } else if ("card".equals(entity.getDescription()) && item.cardUuid().equals(entity.getName())) {
                    topic = entity.getDetail().stream().filter(d -> "topic".equals(d.getType()) && d.hasValueStringType())
                            .map(d -> d.getValueStringType().getValue()).findFirst().orElse(null);
                }
            }
            if (topic != null) {
                return new FeedbackItem(item.serviceId(), item.cardUuid(), hookInstance, topic, item.outcome(),
                        item.acceptedSuggestions(), item.overrideReason(), item.userComment(), item.outcomeTimestamp());
            }
        }
        return item;
    }

    static AuditEvent auditEvent(FeedbackItem item) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(TYPE_SYSTEM, DecisionAuditEvents.FEEDBACK, "CDS Hooks card feedback"));
        event.addSubtype(new Coding(OUTCOME_SYSTEM, item.outcome(), item.outcome().equals("accepted") ? "Accepted" : "Overridden"));
        event.setAction(AuditEvent.AuditEventAction.E);
        event.setRecorded(new Date());
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setRequestor(true).setWho(new Reference().setDisplay("CDS client (clinician feedback)"));
        event.getSource().setSite("RAS Guard").setObserver(new Reference().setDisplay("RAS Guard CDS service " + item.serviceId()));

        AuditEvent.AuditEventEntityComponent card = event.addEntity();
        card.setName(item.cardUuid());
        card.setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(urn(item.cardUuid())))
                .setDisplay("CDS Hooks card"));
        card.setDescription("card");
        detail(card, "service", item.serviceId());
        detail(card, "topic", item.topicCode());
        detail(card, "outcome", item.outcome());
        detail(card, "outcomeTimestamp", item.outcomeTimestamp());
        item.acceptedSuggestions().forEach(suggestion -> detail(card, "acceptedSuggestion", suggestion));
        if (item.overrideReason() != null) {
            detail(card, "overrideReason", item.overrideReason().system() + "|" + item.overrideReason().code());
            detail(card, "overrideReasonDisplay", item.overrideReason().display());
        }
        detail(card, "userComment", item.userComment());
        if (item.hookInstance() != null) {
            AuditEvent.AuditEventEntityComponent call = event.addEntity();
            call.setName(item.hookInstance());
            call.setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(urn(item.hookInstance())))
                    .setDisplay("CDS Hooks hookInstance"));
            call.setDescription("hookInstance");
        }
        return event;
    }

    private static void detail(AuditEvent.AuditEventEntityComponent entity, String type, String value) {
        if (value != null && !value.isBlank()) {
            entity.addDetail().setType(type).setValue(new org.hl7.fhir.r4.model.StringType(value));
        }
    }

    private static String urn(String uuid) {
        return uuid.startsWith("urn:") ? uuid : "urn:uuid:" + uuid;
    }
}

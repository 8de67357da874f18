package org.rasguard.server.hooks;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.rasguard.cdshooks.FeedbackItem;
import org.rasguard.cdshooks.FeedbackStore;
import org.rasguard.cdshooks.IssuedCards;
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
 * card topic, accepted suggestion uuids, the override reason and comment, the client's
 * outcomeTimestamp, and {@code supersedes}: the card's earlier feedback, when it had some (feedback
 * that changes an outcome is added, never overwrites: the history stays, and {@code $cds-report} counts
 * the latest). No references, so the strict referential integrity of the store never refuses it.
 */
final class AuditEventFeedbackStore implements FeedbackStore {

    static final String TYPE_SYSTEM = DecisionAuditEvents.TYPE_SYSTEM;
    static final String OUTCOME_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-feedback-outcome";
    static final String EARLIER_IN_THIS_POST = "earlier item of the same post";

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
    public List<String> save(List<FeedbackItem> items) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        long now = System.currentTimeMillis();
        Map<String, String> latest = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem item = items.get(i);
            String earlier = latest.computeIfAbsent(item.cardUuid(), this::latestFeedback);
            // One millisecond apart: the order of a batch is the order of its items, so "the latest" is defined.
            AuditEvent event = auditEvent(item, new Date(now + i), earlier);
            String fullUrl = "urn:uuid:" + UUID.randomUUID();
            transaction
                    .addEntry()
                    .setFullUrl(fullUrl)
                    .setResource(event)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("AuditEvent");
            latest.put(item.cardUuid(), EARLIER_IN_THIS_POST);
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
     * The card as issued, read from its decision AuditEvent (the card entity's topic and, for a
     * late-result card, the DetectedIssue it is about; the call's hookInstance and service): durable, so feedback is recognised after a restart and on every replica.
     */
    @Override
    public Optional<IssuedCards.Issued> issued(String cardUuid) {
        SearchParameterMap map = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.DECISION))
                .add(AuditEvent.SP_ENTITY_NAME, new StringParam(cardUuid).setExact(true));
        map.setCount(1);
        for (AuditEvent decision : auditEvents.searchForResources(map, new SystemRequestDetails())) {
            String hookInstance = null;
            String service = null;
            String topic = null;
            String about = null;
            boolean hasCard = false;
            for (AuditEvent.AuditEventEntityComponent entity : decision.getEntity()) {
                if ("hookInstance".equals(entity.getDescription())) {
                    hookInstance = entity.getName();
                    service = detail(entity, "service");
                } else if ("card".equals(entity.getDescription()) && cardUuid.equals(entity.getName())) {
                    hasCard = true;
                    topic = detail(entity, "topic");
                    String order = detail(entity, "order");
                    about = order != null && order.startsWith("DetectedIssue/") ? order : null;
                }
            }
            if (hasCard && service != null) {
                return Optional.of(new IssuedCards.Issued(service, hookInstance, topic, about));
            }
        }
        return Optional.empty();
    }

    /** The id of the card's latest stored feedback ({@code AuditEvent/…}), or null when it has none. */
    private String latestFeedback(String cardUuid) {
        SearchParameterMap map = SearchParameterMap.newSynchronous()
                .add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.FEEDBACK))
                .add(AuditEvent.SP_ENTITY_NAME, new StringParam(cardUuid).setExact(true));
        List<AuditEvent> found = auditEvents.searchForResources(map, new SystemRequestDetails());
        return found.stream()
                .max(Comparator.comparing(
                                (AuditEvent event) -> event.getRecorded(),
                                Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(
                                event -> event.getIdElement().getIdPartAsLong(),
                                Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(event -> event.getIdElement().toUnqualifiedVersionless().getValue())
                .orElse(null);
    }

    private static String detail(AuditEvent.AuditEventEntityComponent entity, String type) {
        return entity.getDetail().stream()
                .filter(d -> type.equals(d.getType()) && d.hasValueStringType())
                .map(d -> d.getValueStringType().getValue())
                .findFirst()
                .orElse(null);
    }

    /**
     * @param supersedes the card's earlier feedback this one follows ({@code AuditEvent/…}, or
     *     {@value #EARLIER_IN_THIS_POST}), or null: kept as history, the latest counts in {@code $cds-report}
     */
    static AuditEvent auditEvent(FeedbackItem item, Date recorded, String supersedes) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(TYPE_SYSTEM, DecisionAuditEvents.FEEDBACK, "CDS Hooks card feedback"));
        event.addSubtype(new Coding(
                OUTCOME_SYSTEM, item.outcome(), item.outcome().equals("accepted") ? "Accepted" : "Overridden"));
        event.setAction(AuditEvent.AuditEventAction.E);
        event.setRecorded(recorded);
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setRequestor(true).setWho(new Reference().setDisplay("CDS client (clinician feedback)"));
        event.getSource()
                .setSite("RAS Guard")
                .setObserver(new Reference().setDisplay("RAS Guard CDS service " + item.serviceId()));

        AuditEvent.AuditEventEntityComponent card = event.addEntity();
        card.setName(item.cardUuid());
        card.setWhat(new Reference()
                .setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(urn(item.cardUuid())))
                .setDisplay("CDS Hooks card"));
        card.setDescription("card");
        detail(card, "service", item.serviceId());
        detail(card, "topic", item.topicCode());
        detail(card, "outcome", item.outcome());
        detail(card, "outcomeTimestamp", item.outcomeTimestamp());
        item.acceptedSuggestions().forEach(suggestion -> detail(card, "acceptedSuggestion", suggestion));
        if (item.overrideReason() != null) {
            detail(
                    card,
                    "overrideReason",
                    item.overrideReason().system() + "|" + item.overrideReason().code());
            detail(card, "overrideReasonDisplay", item.overrideReason().display());
        }
        detail(card, "userComment", item.userComment());
        detail(card, "supersedes", supersedes);
        if (item.hookInstance() != null) {
            AuditEvent.AuditEventEntityComponent call = event.addEntity();
            call.setName(item.hookInstance());
            call.setWhat(new Reference()
                    .setIdentifier(
                            new Identifier().setSystem("urn:ietf:rfc:3986").setValue(urn(item.hookInstance())))
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

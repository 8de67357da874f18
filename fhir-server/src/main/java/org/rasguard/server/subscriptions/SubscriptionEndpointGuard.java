package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Subscription;
import org.rasguard.cdshooks.FhirServerAllowlist;
import org.rasguard.server.http.ErrorResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Subscriptions the store takes (issue 18, point 2): a rest-hook channel whose endpoint lies under an
 * entry of {@code RASGUARD_SUBSCRIPTION_ENDPOINTS} ({@link FhirServerAllowlist#allowsUnder}: https unless the
 * entry is written {@code http://}, no user info, query, fragment or dot segments), nothing else. Anything
 * else is refused with 422 and an OperationOutcome naming the rule; with the setting empty, every
 * Subscription is refused (fail closed). Otherwise the server would POST our patients' DetectedIssues to
 * any address a client names (server-side request forgery, and a leak of PHI).
 *
 * <p>On HAPI JPA's interceptor service, before storage: it sees a Subscription created or updated by any
 * path (a single create or update, a transaction or batch Bundle).
 */
@Interceptor
public final class SubscriptionEndpointGuard {

    static final String ENDPOINT_NOT_ALLOWED = "subscription-endpoint-not-allowed";
    static final String CHANNEL_NOT_SUPPORTED = "subscription-channel-not-supported";
    static final String CRITERIA_NOT_ALLOWED = "subscription-criteria-not-allowed";

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionEndpointGuard.class);

    private final FhirServerAllowlist endpoints;

    public SubscriptionEndpointGuard(FhirServerAllowlist endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * Before HAPI's own Subscription validation (order 0), whose refusals quote the endpoint; an endpoint
     * with a blank or control character anywhere (a trailing tab passed the allowlist, then HAPI-2545 quoted
     * it) is refused here.
     */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -1000)
    public void creating(IBaseResource resource) {
        check(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -1000)
    public void updating(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    /**
     * Checked again at every delivery: a Subscription stored before the allowlist was narrowed (and the
     * server restarted) must not keep sending there. False cancels the delivery (HAPI's
     * {@code SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY}: "If this hook returns false, processing will stop").
     */
    @Hook(Pointcut.SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY)
    public boolean beforeDelivery(ResourceDeliveryMessage message, CanonicalSubscription subscription) {
        if (message != null && isSubscription(message.getPayloadId())) {
            // One stored before its criteria were refused: a Subscription's channel headers are another client's.
            LOG.warn(
                    "Subscription/{}: not delivered, the payload is a Subscription",
                    subscription == null ? "?" : subscription.getIdPart());
            return false;
        }
        if (subscription != null && endpoints.allowsUnder(subscription.getEndpointUrl())) {
            return true;
        }
        LOG.warn(
                "Subscription/{}: not delivered, its endpoint is not allowed by RASGUARD_SUBSCRIPTION_ENDPOINTS",
                subscription == null ? "?" : subscription.getIdPart());
        return false;
    }

    void check(IBaseResource resource) {
        if (!(resource instanceof Subscription subscription)) {
            return;
        }
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        if (channel.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            throw refused(CHANNEL_NOT_SUPPORTED, "Only rest-hook Subscriptions are delivered by this server");
        }
        if (watchesSubscriptions(subscription.getCriteria())) {
            throw refused(
                    CRITERIA_NOT_ALLOWED,
                    "A Subscription cannot watch Subscriptions: their channel headers hold other clients' secrets",
                    "Subscription.criteria");
        }
        if (endpoints.isEmpty()) {
            throw refused(
                    ENDPOINT_NOT_ALLOWED,
                    "This server accepts no Subscriptions: RASGUARD_SUBSCRIPTION_ENDPOINTS is empty");
        }
        if (!channel.hasEndpoint()
                || channel.getEndpoint().chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                || !endpoints.allowsUnder(channel.getEndpoint())) {
            // The endpoint is not echoed: it is the client's input (README: never log or return submitted values).
            throw refused(
                    ENDPOINT_NOT_ALLOWED,
                    "Subscription.channel.endpoint is not under an endpoint allowed by RASGUARD_SUBSCRIPTION_ENDPOINTS");
        }
    }

    /**
     * Whether a criteria could match Subscriptions: one that names the type, as HAPI's parser reads it or as
     * written (an outside attack: {@code Subscription?status=active} was sent every other client's
     * Subscription, channel headers unmasked). {@code [*]} is left to HAPI, which never matches Subscriptions
     * with it; a payload that is a Subscription is stopped at delivery anyway ({@link #beforeDelivery}).
     */
    static boolean watchesSubscriptions(String criteria) {
        if (criteria == null) {
            return false;
        }
        String trimmed = criteria.trim().toLowerCase(java.util.Locale.ROOT);
        if (trimmed.startsWith("subscription") || trimmed.matches("^\\[[^\\]]*\\bsubscription\\b.*")) {
            return true;
        }
        SubscriptionCriteriaParser.SubscriptionCriteria parsed = SubscriptionCriteriaParser.parse(criteria);
        return parsed != null
                && parsed.getApplicableResourceTypes() != null
                && parsed.getApplicableResourceTypes().stream().anyMatch("Subscription"::equalsIgnoreCase);
    }

    private static boolean isSubscription(String payloadId) {
        return payloadId != null
                && "Subscription".equals(new org.hl7.fhir.r4.model.IdType(payloadId).getResourceType());
    }

    private static UnprocessableEntityException refused(String code, String message) {
        return refused(code, message, "Subscription.channel");
    }

    /** The 422 every refusal of this package answers: an OperationOutcome with our stable code. */
    static UnprocessableEntityException refused(String code, String message, String expression) {
        return new UnprocessableEntityException(
                message,
                ErrorResponses.outcome(OperationOutcome.IssueType.BUSINESSRULE, code, null, message, expression));
    }
}

package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser.SubscriptionCriteria;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Keeps writes that no Subscription can match out of HAPI's subscription pipeline. For every create,
 * update and delete HAPI JPA 8.8.0 persists a ResourceModifiedMessage in the write's transaction; a
 * scheduled pass reads it back, deletes it and matches it against every active Subscription. Only a
 * resource of a type named by some Subscription's criteria can match, and by default
 * ({@code RASGUARD_SUBSCRIPTION_ENDPOINTS} empty) no Subscription can be stored at all: on an ingest
 * of Observations that pipeline was a fifth of the server's CPU and a third of its database writes
 * (issue 19, StoreScaleRun profile).
 *
 * <p>Which types pass: Subscription itself (HAPI's registry learns of Subscriptions through this very
 * pipeline), the types of the criteria of the Subscriptions HAPI has registered, and those of every
 * Subscription written through this process since it started (stored but perhaps not registered yet:
 * this filter never drops a write HAPI could still match; HAPI itself matches only against the
 * Subscriptions its registry has put in service, about a second after their create). A criteria that names several types
 * or all of them ({@code [*]}), or that cannot be read, lets every write pass. Another replica learns
 * of a new Subscription when its HAPI registry does, as before.
 *
 * <p>Hook {@link Pointcut#SUBSCRIPTION_RESOURCE_MODIFIED}: returning false drops the message before it
 * is persisted.
 */
@Interceptor
public final class SubscribedTypesOnly {

    private static final String EVERY_TYPE = "*";
    private static final String SUBSCRIPTION = "Subscription";

    private final Supplier<Collection<SubscriptionCriteria>> registeredCriteria;
    private final Set<String> writtenTypes = ConcurrentHashMap.newKeySet();

    /**
     * @param registeredCriteria the criteria of the Subscriptions in HAPI's registry as its parser read them
     *     when it registered each (read on each write; nothing is parsed again here)
     */
    public SubscribedTypesOnly(Supplier<Collection<SubscriptionCriteria>> registeredCriteria) {
        this.registeredCriteria = registeredCriteria;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        remember(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        remember(resource);
    }

    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean resourceModified(ResourceModifiedMessage message) {
        String payloadId = message.getPayloadId();
        String type = payloadId == null ? null : new IdType(payloadId).getResourceType();
        return type == null || watches(type);
    }

    /** Whether a write of {@code resourceType} could match a Subscription. */
    boolean watches(String resourceType) {
        if (SUBSCRIPTION.equals(resourceType)
                || writtenTypes.contains(EVERY_TYPE)
                || writtenTypes.contains(resourceType)) {
            return true;
        }
        for (SubscriptionCriteria criteria : registeredCriteria.get()) {
            Set<String> types = typesOf(criteria);
            if (types.contains(EVERY_TYPE) || types.contains(resourceType)) {
                return true;
            }
        }
        return false;
    }

    private void remember(IBaseResource resource) {
        if (resource instanceof Subscription subscription) {
            String criteria = subscription.getCriteria();
            writtenTypes.addAll(typesOf(criteria == null ? null : SubscriptionCriteriaParser.parse(criteria)));
        }
    }

    /**
     * The resource types a criteria can match (as HAPI matches them: by the types its parser reads), {@code *}
     * for all, for several or for one the parser cannot read.
     */
    static Set<String> typesOf(SubscriptionCriteria parsed) {
        if (parsed == null
                || parsed.getType() != SubscriptionCriteriaParser.TypeEnum.SEARCH_EXPRESSION
                || parsed.getApplicableResourceTypes() == null
                || parsed.getApplicableResourceTypes().isEmpty()) {
            return Set.of(EVERY_TYPE);
        }
        return parsed.getApplicableResourceTypes();
    }
}

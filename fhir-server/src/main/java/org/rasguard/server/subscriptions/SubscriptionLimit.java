package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The cap on Subscriptions ({@code RASGUARD_MAX_SUBSCRIPTIONS}): HAPI keeps two
 * {@code subscription-delivery-rest-hook} threads per active Subscription, so without a cap any client
 * that may write grows the server's threads without bound (150 Subscriptions: 300 more threads).
 *
 * <p>What counts is what HAPI would deliver for: stored, not deleted, status {@code requested} or
 * {@code active} (HAPI's {@code SubscriptionLoader} loads exactly those and activates the requested).
 * A write that would add one more (a create by any path, or an update that turns an {@code off},
 * {@code error} or deleted Subscription into requested/active) is refused with 422
 * {@code subscription-limit-reached} once that many are stored. An update of a Subscription that already
 * counts is never refused, so lowering the cap stops new ones and keeps those stored.
 *
 * <p>On HAPI JPA's interceptor service, before storage, beside {@link SubscriptionEndpointGuard}. The
 * Subscriptions taken earlier in the same database transaction (the entries of one transaction Bundle)
 * count too: their rows are not stored yet when the next entry is checked (an outside attack took a
 * cap of 50 to 315 with one Bundle). Concurrent creates in different transactions each see the others'
 * uncommitted rows as absent, so the cap may be passed by as many creates as run at the same moment;
 * it bounds growth, it is not exact.
 */
@Interceptor
public final class SubscriptionLimit {

    static final String LIMIT_REACHED = "subscription-limit-reached";

    private final int max;
    private final Supplier<Set<String>> countedIds;

    /**
     * @param max the cap
     * @param countedIds the ids of the stored Subscriptions that count (read from the store at each call)
     */
    public SubscriptionLimit(int max, Supplier<Set<String>> countedIds) {
        this.max = max;
        this.countedIds = countedIds;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        if (!(resource instanceof Subscription subscription) || !counts(subscription)) {
            return;
        }
        Set<String> stored = countedIds.get();
        // Already counted (an update, HAPI's own activation among them): it takes no new slot.
        String id = subscription.getIdElement().getIdPart();
        if (id != null && stored.contains(id)) {
            return;
        }
        AtomicInteger takenInTransaction = takenInThisTransaction();
        int taken = takenInTransaction == null ? 0 : takenInTransaction.get();
        if (stored.size() + taken >= max) {
            throw SubscriptionEndpointGuard.refused(
                    LIMIT_REACHED,
                    "This server holds at most " + max
                            + " requested or active Subscriptions (RASGUARD_MAX_SUBSCRIPTIONS): delete one or set its status to off first",
                    "Subscription.status");
        }
        if (takenInTransaction != null) {
            takenInTransaction.incrementAndGet();
        }
    }

    /**
     * How many Subscriptions this check let into the current database transaction so far, bound to it
     * (Spring's transaction synchronization, which HAPI's transactions run under) and dropped when it
     * ends; null outside a transaction.
     */
    private AtomicInteger takenInThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        AtomicInteger taken = (AtomicInteger) TransactionSynchronizationManager.getResource(this);
        if (taken == null) {
            taken = new AtomicInteger();
            TransactionSynchronizationManager.bindResource(this, taken);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(SubscriptionLimit.this);
                }
            });
        }
        return taken;
    }

    /** Whether HAPI would deliver for it: status requested or active. */
    static boolean counts(Subscription subscription) {
        Subscription.SubscriptionStatus status = subscription.getStatus();
        return status == Subscription.SubscriptionStatus.REQUESTED || status == Subscription.SubscriptionStatus.ACTIVE;
    }
}

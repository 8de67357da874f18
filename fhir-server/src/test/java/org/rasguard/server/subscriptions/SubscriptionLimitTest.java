package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Set;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class SubscriptionLimitTest {

    private static Subscription subscription(String id, Subscription.SubscriptionStatus status) {
        Subscription subscription =
                new Subscription().setCriteria("DetectedIssue?").setStatus(status);
        subscription.setId(id);
        return subscription;
    }

    @Test
    void aRequestedOrActiveSubscriptionBeyondTheCapIs422NamingTheSetting() {
        SubscriptionLimit limit = new SubscriptionLimit(2, () -> Set.of("1", "2"));
        for (Subscription.SubscriptionStatus status : new Subscription.SubscriptionStatus[] {
            Subscription.SubscriptionStatus.REQUESTED, Subscription.SubscriptionStatus.ACTIVE
        }) {
            assertThatThrownBy(() -> limit.creating(subscription(null, status)))
                    .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                        assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionLimit.LIMIT_REACHED);
                        assertThat(e.getMessage()).contains("RASGUARD_MAX_SUBSCRIPTIONS", "at most 2");
                    });
        }
        // A PUT to a new id is a create too.
        assertThatThrownBy(() -> limit.creating(subscription("new", Subscription.SubscriptionStatus.REQUESTED)))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void belowTheCapASubscriptionIsTaken() {
        SubscriptionLimit limit = new SubscriptionLimit(2, () -> Set.of("1"));
        assertThatCode(() -> limit.creating(subscription(null, Subscription.SubscriptionStatus.REQUESTED)))
                .doesNotThrowAnyException();
    }

    @Test
    void offAndErrorSubscriptionsTakeNoSlotButTurningOneOnDoes() {
        SubscriptionLimit limit = new SubscriptionLimit(1, () -> Set.of("1"));
        Subscription off = subscription("7", Subscription.SubscriptionStatus.OFF);
        assertThatCode(() -> limit.creating(off)).doesNotThrowAnyException();
        assertThatCode(() -> limit.creating(subscription("8", Subscription.SubscriptionStatus.ERROR)))
                .doesNotThrowAnyException();
        Subscription turnedOn = subscription("7", Subscription.SubscriptionStatus.REQUESTED);
        assertThatThrownBy(() -> limit.updating(off, turnedOn))
                .isInstanceOfSatisfying(
                        UnprocessableEntityException.class,
                        e -> assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionLimit.LIMIT_REACHED));
    }

    @Test
    void anUpdateOfASubscriptionThatAlreadyCountsIsTakenEvenOverACapLoweredSince() {
        // HAPI's own activation (requested to active) is such an update.
        SubscriptionLimit limit = new SubscriptionLimit(1, () -> Set.of("1", "2", "3"));
        assertThatCode(() -> limit.updating(
                        subscription("2", Subscription.SubscriptionStatus.REQUESTED),
                        subscription("2", Subscription.SubscriptionStatus.ACTIVE)))
                .doesNotThrowAnyException();
    }

    @Test
    void aCapOfZeroRefusesEverySubscriptionThatWouldBeDeliveredAndOtherResourcesAreNotLooked() {
        SubscriptionLimit limit = new SubscriptionLimit(0, () -> {
            throw new AssertionError("the store is read only for a Subscription that counts");
        });
        assertThatCode(() -> limit.creating(new Observation())).doesNotThrowAnyException();
        assertThatCode(() -> limit.creating(subscription(null, Subscription.SubscriptionStatus.OFF)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new SubscriptionLimit(0, Set::of)
                        .creating(subscription(null, Subscription.SubscriptionStatus.REQUESTED)))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    /** An outside attack: one transaction Bundle of 300 Subscriptions passed a cap of 50 (none stored yet). */
    @Test
    void theSubscriptionsOfOneTransactionCountAgainstEachOther() {
        SubscriptionLimit limit = new SubscriptionLimit(3, () -> Set.of("1"));
        TransactionSynchronizationManager.initSynchronization();
        try {
            limit.creating(subscription(null, Subscription.SubscriptionStatus.REQUESTED));
            limit.creating(subscription(null, Subscription.SubscriptionStatus.OFF)); // takes no slot
            limit.creating(subscription(null, Subscription.SubscriptionStatus.ACTIVE));
            assertThatThrownBy(() -> limit.creating(subscription(null, Subscription.SubscriptionStatus.REQUESTED)))
                    .isInstanceOfSatisfying(
                            UnprocessableEntityException.class,
                            e -> assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionLimit.LIMIT_REACHED));
            // The transaction ends: the next one starts from what is stored.
            TransactionSynchronizationManager.getSynchronizations()
                    .forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.initSynchronization();
        try {
            assertThatCode(() -> limit.creating(subscription(null, Subscription.SubscriptionStatus.REQUESTED)))
                    .doesNotThrowAnyException();
        } finally {
            TransactionSynchronizationManager.getSynchronizations()
                    .forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
    }
}

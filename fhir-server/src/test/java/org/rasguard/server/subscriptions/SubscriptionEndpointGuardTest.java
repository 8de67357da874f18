package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.rasguard.cdshooks.FhirServerAllowlist;

class SubscriptionEndpointGuardTest {

    private static Subscription restHook(String endpoint) {
        Subscription subscription =
                new Subscription().setCriteria("DetectedIssue?").setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription
                .getChannel()
                .setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(endpoint);
        return subscription;
    }

    @Test
    void aRestHookUnderAnAllowedPrefixIsTakenAnythingElseIs422WithAStableCode() {
        SubscriptionEndpointGuard guard =
                new SubscriptionEndpointGuard(FhirServerAllowlist.of(List.of("https://ehr.example.org/rasguard")));
        assertThatCode(() -> guard.check(restHook("https://ehr.example.org/rasguard/late")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(restHook("https://attacker.example/rasguard")))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionEndpointGuard.ENDPOINT_NOT_ALLOWED);
                    assertThat(e.getMessage()).doesNotContain("attacker");
                });
        assertThatThrownBy(() -> guard.check(restHook(null))).isInstanceOf(UnprocessableEntityException.class);
        for (String blank : List.of(
                "https://ehr.example.org/rasguard/late\t",
                " https://ehr.example.org/rasguard/late",
                "https://ehr.example.org/rasguard/la te")) {
            assertThatThrownBy(() -> guard.check(restHook(blank)))
                    .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                        assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionEndpointGuard.ENDPOINT_NOT_ALLOWED);
                        assertThat(e.getMessage()).doesNotContain("ehr.example.org");
                    });
        }
        Subscription websocket = restHook("https://ehr.example.org/rasguard/late");
        websocket.getChannel().setType(Subscription.SubscriptionChannelType.WEBSOCKET);
        assertThatThrownBy(() -> guard.check(websocket))
                .isInstanceOfSatisfying(
                        UnprocessableEntityException.class,
                        e -> assertThat(RefusalCodes.code(e))
                                .isEqualTo(SubscriptionEndpointGuard.CHANNEL_NOT_SUPPORTED));
        assertThatCode(() -> guard.check(new Observation())).doesNotThrowAnyException();
    }

    @Test
    void aDeliveryIsCheckedAgainSoANarrowedAllowlistStopsStoredSubscriptions() {
        SubscriptionEndpointGuard guard =
                new SubscriptionEndpointGuard(FhirServerAllowlist.of(List.of("https://ehr.example.org/rasguard")));
        CanonicalSubscription allowed = new CanonicalSubscription();
        allowed.setEndpointUrl("https://ehr.example.org/rasguard/late");
        CanonicalSubscription stale = new CanonicalSubscription();
        stale.setEndpointUrl("https://old-ehr.example.org/late");
        assertThat(guard.beforeDelivery(new ResourceDeliveryMessage(), allowed)).isTrue();
        assertThat(guard.beforeDelivery(new ResourceDeliveryMessage(), stale)).isFalse();
        assertThat(guard.beforeDelivery(new ResourceDeliveryMessage(), null)).isFalse();
    }

    @Test
    void withNoAllowedEndpointEverySubscriptionIsRefused() {
        SubscriptionEndpointGuard guard = new SubscriptionEndpointGuard(FhirServerAllowlist.of(List.of()));
        assertThatThrownBy(() -> guard.check(restHook("https://ehr.example.org/rasguard/late")))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionEndpointGuard.ENDPOINT_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("RASGUARD_SUBSCRIPTION_ENDPOINTS is empty");
                });
    }

    /** An outside attack: a Subscription on Subscriptions was sent the others, channel headers unmasked. */
    @Test
    void aSubscriptionCannotWatchSubscriptionsInAnySpelling() {
        SubscriptionEndpointGuard guard =
                new SubscriptionEndpointGuard(FhirServerAllowlist.of(List.of("https://ehr.example.org/rasguard")));
        for (String criteria : List.of(
                "Subscription?status=active",
                "Subscription?",
                "  subscription?criteria:contains=Observation",
                "[Observation,Subscription]",
                "[subscription]")) {
            Subscription watcher =
                    restHook("https://ehr.example.org/rasguard/late").setCriteria(criteria);
            assertThatThrownBy(() -> guard.check(watcher))
                    .as(criteria)
                    .isInstanceOfSatisfying(
                            UnprocessableEntityException.class,
                            e -> assertThat(RefusalCodes.code(e))
                                    .isEqualTo(SubscriptionEndpointGuard.CRITERIA_NOT_ALLOWED));
        }
        for (String criteria : List.of(
                "DetectedIssue?", "Observation?code=http://loinc.org|21717-3", "Observation?_text=subscription")) {
            Subscription fine =
                    restHook("https://ehr.example.org/rasguard/late").setCriteria(criteria);
            assertThatCode(() -> guard.check(fine)).as(criteria).doesNotThrowAnyException();
        }
    }

    @Test
    void aSubscriptionIsNeverDeliveredAsAPayload() {
        SubscriptionEndpointGuard guard =
                new SubscriptionEndpointGuard(FhirServerAllowlist.of(List.of("https://ehr.example.org/rasguard")));
        CanonicalSubscription allowed = new CanonicalSubscription();
        allowed.setEndpointUrl("https://ehr.example.org/rasguard/late");
        ResourceDeliveryMessage subscription = new ResourceDeliveryMessage();
        subscription.setPayloadId(new org.hl7.fhir.r4.model.IdType("Subscription/7/_history/2"));
        ResourceDeliveryMessage issue = new ResourceDeliveryMessage();
        issue.setPayloadId(new org.hl7.fhir.r4.model.IdType("DetectedIssue/8"));
        assertThat(guard.beforeDelivery(subscription, allowed)).isFalse();
        assertThat(guard.beforeDelivery(issue, allowed)).isTrue();
    }
}

package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

class SubscriptionSearchParametersTest {

    private static SearchParameter over(String base, String expression) {
        SearchParameter parameter = new SearchParameter();
        parameter.addBase(base);
        parameter.setExpression(expression);
        return parameter;
    }

    @Test
    void anIndexOverSubscriptionsInAnyFormIsRefused() {
        assertThat(SubscriptionSearchParameters.overSubscriptions(over("Subscription", "Subscription.channel.header")))
                .isTrue();
        assertThat(SubscriptionSearchParameters.overSubscriptions(over("Resource", "Subscription.channel.header")))
                .isTrue();
        assertThat(SubscriptionSearchParameters.overSubscriptions(
                        over("DomainResource", "(this as Subscription).channel")))
                .isTrue();
        assertThat(SubscriptionSearchParameters.overSubscriptions(over("subscription", "criteria")))
                .isTrue();
    }

    @Test
    void otherSearchParametersPass() {
        assertThat(SubscriptionSearchParameters.overSubscriptions(
                        over("Bundle", "Bundle.entry.resource.ofType(Observation).subject")))
                .isFalse();
        assertThat(SubscriptionSearchParameters.overSubscriptions(over("Observation", "Observation.code")))
                .isFalse();
    }
}

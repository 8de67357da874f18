package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.matcher.subscriber.SubscriptionCriteriaParser;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage.OperationTypeEnum;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

/** Which writes reach HAPI's subscription pipeline, with HAPI's own criteria parser and messages. */
class SubscribedTypesOnlyTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final List<String> registered = new ArrayList<>();
    private final SubscribedTypesOnly filter = new SubscribedTypesOnly(() -> registered.stream()
            .map(criteria -> criteria == null ? null : SubscriptionCriteriaParser.parse(criteria))
            .toList()); // as HAPI's registry holds them: parsed once, when registered

    private boolean passes(org.hl7.fhir.r4.model.Resource resource) {
        return filter.resourceModified(new ResourceModifiedMessage(FHIR, resource, OperationTypeEnum.CREATE));
    }

    private static Observation observation() {
        Observation observation = new Observation();
        observation.setId("Observation/17/_history/1");
        return observation;
    }

    private static DetectedIssue issue() {
        DetectedIssue issue = new DetectedIssue();
        issue.setId("DetectedIssue/4");
        return issue;
    }

    @Test
    void withNoSubscriptionOnlySubscriptionWritesPass() {
        Subscription subscription = new Subscription();
        subscription.setId("Subscription/1");
        assertThat(passes(observation())).isFalse();
        assertThat(passes(issue())).isFalse();
        assertThat(passes(subscription))
                .as("HAPI's registry learns of Subscriptions through the pipeline")
                .isTrue();
    }

    @Test
    void aRegisteredSubscriptionLetsItsTypePassAndNoOther() {
        registered.add("DetectedIssue?code=http://rasguard.org/fhir/CodeSystem/ras-detected-issue|late-ras-result");
        assertThat(passes(issue())).isTrue();
        assertThat(passes(observation())).isFalse();
    }

    @Test
    void aSubscriptionWrittenHereCountsBeforeHapiRegistersIt() {
        filter.created(new Subscription().setCriteria("DetectedIssue?patient=Patient/9"));
        assertThat(registered).isEmpty();
        assertThat(passes(issue()))
                .as("a result written a moment after its Subscription")
                .isTrue();
        assertThat(passes(observation())).isFalse();
        filter.updated(null, new Subscription().setCriteria("Observation?code=http://loinc.org|69548-6"));
        assertThat(passes(observation())).isTrue();
    }

    @Test
    void criteriaOfAllOrSeveralTypesOrUnreadableLetEveryWritePass() {
        for (String criteria : new String[] {"[*]", "[Observation,DetectedIssue]", "", "   "}) {
            registered.clear();
            registered.add(criteria);
            assertThat(passes(observation())).as(criteria).isTrue();
        }
        registered.clear();
        registered.add(null); // a topic Subscription: no criteria string
        assertThat(passes(observation())).isTrue();
    }

    @Test
    void aMessageWithoutAReadableTypePasses() {
        assertThat(filter.resourceModified(new ResourceModifiedMessage())).isTrue();
    }
}

package org.rasguard.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

class ClientSearchParametersTest {

    private static SearchParameter over(String base, String expression) {
        SearchParameter parameter = new SearchParameter();
        parameter.addBase(base);
        parameter.setExpression(expression);
        return parameter;
    }

    @Test
    void anIndexOverSubscriptionsInAnyFormIsRefused() {
        assertThat(ClientSearchParameters.refusal(over("Subscription", "Subscription.channel.header")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
        assertThat(ClientSearchParameters.refusal(over("Resource", "Subscription.channel.header")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
        assertThat(ClientSearchParameters.refusal(over("DomainResource", "(this as Subscription).channel")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
        assertThat(ClientSearchParameters.refusal(over("subscription", "criteria")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
    }

    /** An outside attack: base Resource reaches Subscription.channel.header without naming it. */
    @Test
    void everyTypeBasesAreRefusedWhateverTheExpression() {
        assertThat(ClientSearchParameters.refusal(over("Resource", "Resource.descendants().ofType(string)")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
        assertThat(ClientSearchParameters.refusal(over(" domainresource ", "descendants().where(url='x')")))
                .isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
        SearchParameter twoBases = over("Observation", "Observation.code | Resource.id");
        twoBases.addBase("Resource");
        assertThat(ClientSearchParameters.refusal(twoBases)).isEqualTo(ClientSearchParameters.OVER_SUBSCRIPTIONS);
    }

    /** The retired AuditEvent parameters cannot be put back, nor new ones added. */
    @Test
    void anIndexOverAuditEventsIsRefused() {
        assertThat(ClientSearchParameters.refusal(over("AuditEvent", "AuditEvent.outcome")))
                .isEqualTo(ClientSearchParameters.OVER_AUDIT_EVENTS);
        assertThat(ClientSearchParameters.refusal(over("auditevent", "entity.what")))
                .isEqualTo(ClientSearchParameters.OVER_AUDIT_EVENTS);
        assertThat(ClientSearchParameters.refusal(over("Bundle", "Bundle.entry.resource.ofType(AuditEvent).agent.who")))
                .isEqualTo(ClientSearchParameters.OVER_AUDIT_EVENTS);
    }

    /** An outside attack: a stored composite whose components HAPI cannot resolve made its searches 500. */
    @Test
    void compositesAreRefused() {
        SearchParameter composite = over("Observation", "Observation");
        composite.setType(Enumerations.SearchParamType.COMPOSITE);
        composite.addComponent().setDefinition("http://example.org/sp/missing").setExpression("code");
        assertThat(ClientSearchParameters.refusal(composite)).isEqualTo(ClientSearchParameters.COMPOSITE);
    }

    @Test
    void otherSearchParametersPass() {
        assertThat(ClientSearchParameters.refusal(over("Bundle", "Bundle.entry.resource.ofType(Observation).subject")))
                .isNull();
        assertThat(ClientSearchParameters.refusal(over("Observation", "Observation.code")))
                .isNull();
        assertThat(ClientSearchParameters.refusal(over("DiagnosticReport", "DiagnosticReport.result.resolve()")))
                .isNull();
    }
}

package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

class ChannelHeadersTest {

    private static final String SECRET = "Authorization: Bearer SECRET-EHR-TOKEN";

    private static Subscription withHeaders(String... headers) {
        Subscription subscription =
                new Subscription().setCriteria("DetectedIssue?").setStatus(Subscription.SubscriptionStatus.ACTIVE);
        subscription.setId("Subscription/5/_history/2");
        subscription
                .getChannel()
                .setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint("https://ehr.example.org/hook");
        for (String header : headers) {
            subscription.getChannel().addHeader(header);
        }
        return subscription;
    }

    private static java.util.List<String> headers(Subscription subscription) {
        return subscription.getChannel().getHeader().stream()
                .map(PrimitiveType::getValue)
                .toList();
    }

    @Test
    void aHeaderKeepsItsNameAndLosesItsValue() {
        assertThat(ChannelHeaders.masked(SECRET)).isEqualTo("Authorization: ***");
        assertThat(ChannelHeaders.masked("X-Api-Key:abc:def")).isEqualTo("X-Api-Key: ***");
        assertThat(ChannelHeaders.masked("just-a-token")).isEqualTo("***");
        assertThat(ChannelHeaders.isMasked("Authorization: ***")).isTrue();
        assertThat(ChannelHeaders.isMasked("authorization:***")).isTrue();
        assertThat(ChannelHeaders.isMasked("***")).isTrue();
        assertThat(ChannelHeaders.isMasked(SECRET)).isFalse();
        assertThat(ChannelHeaders.isMasked("X: ****")).isFalse();
    }

    @Test
    void anAnswerIsAMaskedCopyAndTheStoredObjectKeepsItsSecret() {
        Subscription stored = withHeaders(SECRET, "X-Tenant: north");
        Subscription answered = (Subscription) ChannelHeaders.maskedForOutput(stored);
        assertThat(answered).isNotSameAs(stored);
        assertThat(headers(answered)).containsExactly("Authorization: ***", "X-Tenant: ***");
        assertThat(answered.getIdElement().getValue()).isEqualTo("Subscription/5/_history/2");
        assertThat(headers(stored)).containsExactly(SECRET, "X-Tenant: north");
    }

    @Test
    void searchAndHistoryBundlesNestedBundlesAndContainedSubscriptionsAreMasked() {
        Bundle inner = new Bundle().setType(Bundle.BundleType.COLLECTION);
        inner.addEntry().setResource(withHeaders(SECRET));
        Basic container = new Basic();
        container.addContained(withHeaders(SECRET));
        Bundle search = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        search.addEntry().setResource(withHeaders(SECRET));
        search.addEntry().setResource(new Observation());
        search.addEntry().setResource(inner);
        search.addEntry().setResource(container);
        Bundle answered = (Bundle) ChannelHeaders.maskedForOutput(search);
        String encoded =
                ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(answered);
        assertThat(encoded).doesNotContain("SECRET").contains("Authorization: ***");
        assertThat(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(search))
                .contains("SECRET");
    }

    @Test
    void aResponseWithoutHeadersIsLeftAsItIs() {
        Bundle search = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        search.addEntry().setResource(withHeaders());
        assertThat(ChannelHeaders.maskedForOutput(search)).isSameAs(search);
        assertThat(ChannelHeaders.maskedForOutput(null)).isNull();
        ResponseDetails response = new ResponseDetails(withHeaders(SECRET));
        new ChannelHeaderMasking().outgoing(response);
        assertThat(headers((Subscription) response.getResponseResource())).containsExactly("Authorization: ***");
    }

    @Test
    void anUpdateSendingBackTheMaskedValueKeepsTheStoredOne() {
        Subscription previous = withHeaders(SECRET, "X-Tenant: north", "X-Tenant: south");
        Subscription incoming = withHeaders("x-tenant: ***", "Authorization: ***", "X-Tenant: ***", "X-New: given");
        new ChannelHeaders().updating(previous, incoming);
        assertThat(headers(incoming)).containsExactly("X-Tenant: north", SECRET, "X-Tenant: south", "X-New: given");
    }

    @Test
    void aNewValueReplacesTheStoredOne() {
        Subscription incoming = withHeaders("Authorization: Bearer NEW");
        ChannelHeaders.keepStoredValues(withHeaders(SECRET), incoming);
        assertThat(headers(incoming)).containsExactly("Authorization: Bearer NEW");
    }

    @Test
    void aMaskedHeaderWithNothingStoredToKeepIs422() {
        assertThatThrownBy(() -> new ChannelHeaders().creating(withHeaders("Authorization: ***")))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(((OperationOutcome) e.getOperationOutcome())
                                    .getIssueFirstRep()
                                    .getDetails()
                                    .getCodingFirstRep()
                                    .getCode())
                            .isEqualTo(ChannelHeaders.HEADER_MASKED);
                    assertThat(e.getMessage()).contains("header[0]").doesNotContain("Authorization");
                });
        // One stored Authorization header, sent back twice: the second has nothing left to keep.
        assertThatThrownBy(() -> ChannelHeaders.keepStoredValues(
                        withHeaders(SECRET), withHeaders("Authorization: ***", "Authorization: ***")))
                .isInstanceOf(UnprocessableEntityException.class);
        assertThatThrownBy(() -> ChannelHeaders.keepStoredValues(withHeaders(SECRET), withHeaders("X-Other: ***")))
                .isInstanceOf(UnprocessableEntityException.class);
    }
}

package org.rasguard.server.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** An outside attack read and copied channel headers through JSON Patch and FHIRPath Patch. */
class SubscriptionPatchGuardTest {

    private static final SubscriptionPatchGuard GUARD = new SubscriptionPatchGuard();

    private static SystemRequestDetails request(String resourceName, Bundle bundle) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setResourceName(resourceName);
        request.setResource(bundle);
        return request;
    }

    private static Bundle withPatchOf(Bundle.BundleType type, String url) {
        Bundle bundle = new Bundle().setType(type);
        bundle.addEntry()
                .setResource(new Binary())
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl(url);
        return bundle;
    }

    @Test
    void aPatchOfASubscriptionIsRefusedOtherPatchesPass() {
        assertThatThrownBy(() -> GUARD.check(request("Subscription", null), RestOperationTypeEnum.PATCH))
                .isInstanceOfSatisfying(
                        ForbiddenOperationException.class,
                        e -> assertThat(RefusalCodes.code(e)).isEqualTo(SubscriptionPatchGuard.PATCH_NOT_ALLOWED));
        assertThatCode(() -> GUARD.check(request("Observation", null), RestOperationTypeEnum.PATCH))
                .doesNotThrowAnyException();
        assertThatCode(() -> GUARD.check(request("Subscription", null), RestOperationTypeEnum.UPDATE))
                .doesNotThrowAnyException();
    }

    @Test
    void aPatchEntryOfASubscriptionRefusesTheWholeBundleInAnySpelling() {
        for (String url : new String[] {
            "Subscription/12",
            "Subscription?status=active",
            "http://127.0.0.1:8080/fhir/Subscription/12",
            " subscription/12"
        }) {
            for (Bundle.BundleType type :
                    new Bundle.BundleType[] {Bundle.BundleType.TRANSACTION, Bundle.BundleType.BATCH}) {
                RestOperationTypeEnum operation = type == Bundle.BundleType.TRANSACTION
                        ? RestOperationTypeEnum.TRANSACTION
                        : RestOperationTypeEnum.BATCH;
                assertThatThrownBy(() -> GUARD.check(request(null, withPatchOf(type, url)), operation))
                        .as(url)
                        .isInstanceOf(ForbiddenOperationException.class);
            }
        }
        assertThatCode(() -> GUARD.check(
                        request(null, withPatchOf(Bundle.BundleType.TRANSACTION, "Observation/5")),
                        RestOperationTypeEnum.TRANSACTION))
                .doesNotThrowAnyException();
        Bundle put = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        put.addEntry().getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Subscription/12");
        assertThatCode(() -> GUARD.check(request(null, put), RestOperationTypeEnum.TRANSACTION))
                .doesNotThrowAnyException();
    }
}

package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Locale;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;

/**
 * No PATCH of a Subscription, alone or as a transaction or batch entry: 403
 * ({@value #PATCH_NOT_ALLOWED}); change one with PUT of the whole resource ({@link ChannelHeaders} keeps
 * the masked header values). A patch works on the stored resource, headers in plain text: an outside
 * attack copied {@code channel.header} into {@code reason} with a JSON Patch {@code copy} (then every read
 * showed the token), and read it without writing anything through the answer to a JSON Patch {@code test}
 * or a FHIRPath Patch {@code where(startsWith(…))}, a character at a time.
 *
 * <p>On the REST server, before the request is handled: the Bundle of a transaction or batch is parsed by
 * then; nothing of the server's own patches a Subscription.
 */
@Interceptor
public final class SubscriptionPatchGuard {

    static final String PATCH_NOT_ALLOWED = "subscription-patch-not-allowed";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        boolean refused = switch (operation) {
            case PATCH -> "Subscription".equals(request.getResourceName());
            case TRANSACTION, BATCH ->
                request.getResource() instanceof Bundle bundle
                        && bundle.getEntry().stream().anyMatch(SubscriptionPatchGuard::patchesASubscription);
            default -> false;
        };
        if (!refused) {
            return;
        }
        Refusals.record(request, PATCH_NOT_ALLOWED);
        String message =
                "A Subscription cannot be patched (its channel headers hold secrets a patch could read or copy):"
                        + " send the whole resource with PUT, masked headers as read.";
        throw new ForbiddenOperationException(
                message,
                ErrorResponses.outcome(
                        OperationOutcome.IssueType.FORBIDDEN,
                        PATCH_NOT_ALLOWED,
                        "Subscription patch",
                        message,
                        "Subscription"));
    }

    /** A PATCH entry whose URL (relative, absolute or conditional) names the Subscription type. */
    static boolean patchesASubscription(Bundle.BundleEntryComponent entry) {
        if (entry.getRequest().getMethod() != Bundle.HTTPVerb.PATCH
                || !entry.getRequest().hasUrl()) {
            return false;
        }
        String url = entry.getRequest().getUrl().strip();
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        for (String segment : path.split("/")) {
            if (segment.strip().toLowerCase(Locale.ROOT).equals("subscription")) {
                return true;
            }
        }
        return false;
    }
}

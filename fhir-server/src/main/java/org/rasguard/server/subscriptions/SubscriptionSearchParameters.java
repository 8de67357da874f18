package org.rasguard.server.subscriptions;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.SearchParameter;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;

/**
 * No client-made index over Subscriptions: answers mask {@code channel.header} ({@link ChannelHeaderMasking}),
 * but a SearchParameter on {@code Subscription.channel.header} would let a string search (prefix, any case)
 * find the EHR's bearer token a character at a time (an outside attack did). A SearchParameter created or
 * changed through the FHIR API whose base is Subscription, or whose expression names Subscription or
 * {@code channel}, is refused with 403 ({@value #OVER_SUBSCRIPTIONS}); the server's own (the knowledge
 * package's, written with {@link SystemRequestDetails}) pass.
 */
@Interceptor
public final class SubscriptionSearchParameters {

    static final String OVER_SUBSCRIPTIONS = "search-parameter-over-subscriptions";

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    private static void check(IBaseResource resource, RequestDetails request) {
        if (request instanceof SystemRequestDetails
                || !(resource instanceof SearchParameter parameter)
                || !overSubscriptions(parameter)) {
            return;
        }
        Refusals.record(request, OVER_SUBSCRIPTIONS);
        String message = "A SearchParameter over Subscriptions cannot be created or changed through the FHIR API:"
                + " their channel headers hold secrets.";
        throw new ForbiddenOperationException(
                message,
                ErrorResponses.outcome(
                        OperationOutcome.IssueType.FORBIDDEN,
                        OVER_SUBSCRIPTIONS,
                        "Search parameter over Subscriptions",
                        message,
                        "SearchParameter.base"));
    }

    static boolean overSubscriptions(SearchParameter parameter) {
        boolean base =
                parameter.getBase().stream().anyMatch(code -> "Subscription".equalsIgnoreCase(code.getValueAsString()));
        String expression = (parameter.getExpression() == null ? "" : parameter.getExpression()) + " "
                + (parameter.getXpath() == null ? "" : parameter.getXpath());
        String lower = expression.toLowerCase(Locale.ROOT);
        return base || lower.contains("subscription") || lower.contains("channel");
    }
}

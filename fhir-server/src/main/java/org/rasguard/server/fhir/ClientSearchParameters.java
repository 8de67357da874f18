package org.rasguard.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.SearchParameter;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;

/**
 * Which SearchParameters clients may create, change or delete through the FHIR API: none over data the
 * server keeps from them. The server's own (the knowledge package's, the retired AuditEvent ones, written
 * with {@link SystemRequestDetails}) pass. Refused with 403:
 *
 * <ul>
 *   <li>{@value #OVER_SUBSCRIPTIONS}: a base of Subscription, or of {@code Resource} or {@code DomainResource}
 *       (which index every type, Subscription among them), or an expression that names Subscription or
 *       {@code channel}. Answers mask {@code channel.header}, but an index over it lets a string search
 *       (prefix, any case) find an EHR's bearer token a character at a time (two outside attacks did, the
 *       second with base Resource and {@code descendants()}).
 *   <li>{@value #OVER_AUDIT_EVENTS}: a base of AuditEvent, or an expression that names it. The audit trail
 *       indexes only the parameters it is searched by ({@code AuditSearchParameters}); a client that puts a
 *       retired one back (update, delete, or a new one under the built-in URL) switches its index and its
 *       searches on again, and its creation makes HAPI reindex every stored AuditEvent (an outside attack:
 *       lock timeouts on the store while it ran).
 *   <li>{@value #COMPOSITE}: a composite SearchParameter. HAPI stores one whose components it cannot
 *       resolve and then fails every search that names it with a 500 ({@code ConfigurationException} in
 *       {@code JpaParamUtil}: an outside attack); the built-in composites stay searchable.
 * </ul>
 */
@Interceptor
public final class ClientSearchParameters {

    public static final String OVER_SUBSCRIPTIONS = "search-parameter-over-subscriptions";
    public static final String OVER_AUDIT_EVENTS = "search-parameter-over-audit-events";
    public static final String COMPOSITE = "search-parameter-composite";

    /** Bases that hold Subscriptions: the type itself and the two that stand for every type. */
    private static final Set<String> SUBSCRIPTION_BASES = Set.of("subscription", "resource", "domainresource");

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        check(previous, request);
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    private static void check(IBaseResource resource, RequestDetails request) {
        if (request instanceof SystemRequestDetails || !(resource instanceof SearchParameter parameter)) {
            return;
        }
        String refusal = refusal(parameter);
        if (refusal == null) {
            return;
        }
        Refusals.record(request, refusal);
        String message = switch (refusal) {
            case OVER_SUBSCRIPTIONS ->
                "A SearchParameter over Subscriptions (base Subscription, Resource or DomainResource) cannot be"
                        + " created, changed or deleted through the FHIR API: their channel headers hold secrets.";
            case OVER_AUDIT_EVENTS ->
                "A SearchParameter over AuditEvents cannot be created, changed or deleted through the FHIR API:"
                        + " the audit trail is indexed only for the searches the README lists.";
            default ->
                "Composite SearchParameters are not taken from clients: the server cannot check that their"
                        + " components resolve (the built-in composites remain).";
        };
        throw new ForbiddenOperationException(
                message,
                ErrorResponses.outcome(
                        OperationOutcome.IssueType.FORBIDDEN,
                        refusal,
                        switch (refusal) {
                            case OVER_SUBSCRIPTIONS -> "Search parameter over Subscriptions";
                            case OVER_AUDIT_EVENTS -> "Search parameter over AuditEvents";
                            default -> "Composite search parameter";
                        },
                        message,
                        refusal.equals(COMPOSITE) ? "SearchParameter.type" : "SearchParameter.base"));
    }

    /** The refusal's code, or null when a client may write it. */
    static String refusal(SearchParameter parameter) {
        String expression = ((parameter.getExpression() == null ? "" : parameter.getExpression()) + " "
                        + (parameter.getXpath() == null ? "" : parameter.getXpath()))
                .toLowerCase(Locale.ROOT);
        boolean subscriptionBase = parameter.getBase().stream()
                .anyMatch(code -> code.getValueAsString() != null
                        && SUBSCRIPTION_BASES.contains(
                                code.getValueAsString().trim().toLowerCase(Locale.ROOT)));
        if (subscriptionBase || expression.contains("subscription") || expression.contains("channel")) {
            return OVER_SUBSCRIPTIONS;
        }
        boolean auditBase = parameter.getBase().stream()
                .anyMatch(code -> code.getValueAsString() != null
                        && code.getValueAsString().trim().equalsIgnoreCase("AuditEvent"));
        if (auditBase || expression.contains("auditevent")) {
            return OVER_AUDIT_EVENTS;
        }
        return parameter.getType() == Enumerations.SearchParamType.COMPOSITE ? COMPOSITE : null;
    }
}

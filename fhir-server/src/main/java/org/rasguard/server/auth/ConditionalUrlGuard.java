package org.rasguard.server.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Conditional create ({@code If-None-Exist}), update, delete and patch ({@code PUT|DELETE|PATCH Type?query}),
 * alone or as transaction entries, search the store on the token's behalf, and the answer (200, 201,
 * 403, 412, a {@code Location}) tells what matched. So that it tells nothing the token could not read:
 *
 * <ul>
 *   <li>a token that cannot read the type system-wide may use only the type's own search parameters:
 *       a chain ({@code subject.name=…}), a reverse chain ({@code _has:…}), {@code _filter}, {@code _content},
 *       {@code _text}, {@code _list} or {@code _query} would search other resources through it: 403;
 *   <li>a patient-scoped token's conditional URL is narrowed to its patient's compartment (HAPI's
 *       {@link SearchNarrowingInterceptor} with conditional URL narrowing), so other patients' resources are
 *       never a match: its answer is the one it gets when they have none.
 * </ul>
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#ccreate">FHIR R4 conditional create</a>
 */
@Interceptor
final class ConditionalUrlGuard {

    private static final Set<String> BEYOND_THE_TYPE =
            Set.of("_has", "_filter", "_content", "_text", "_list", "_query");

    private final SmartAuthorizationInterceptor authorization;
    private final SearchNarrowingInterceptor narrowing;

    ConditionalUrlGuard(SmartAuthorizationInterceptor authorization) {
        this.authorization = authorization;
        this.narrowing = new SearchNarrowingInterceptor() {
            @Override
            protected AuthorizedList buildAuthorizedList(RequestDetails request) {
                return compartmentOf(request);
            }
        };
        this.narrowing.setNarrowConditionalUrls(true);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean conditionalRequest(
            RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String condition = switch (operation == null ? RestOperationTypeEnum.METADATA : operation) {
            case CREATE -> request.getHeader("If-None-Exist");
            case UPDATE, DELETE, PATCH -> request.getConditionalUrl(operation);
            default -> null;
        };
        if (condition == null || condition.isBlank()) {
            return true;
        }
        refuseSearchesBeyondTheType(authorization.access(request), request.getResourceName(), condition);
        narrowing.hookIncomingRequestPostProcessed(request, servletRequest, servletResponse);
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void transaction(
            ServletRequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        if (request.getRestOperationType() != RestOperationTypeEnum.TRANSACTION
                || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        TokenAccess access = authorization.access(request);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent call = entry.getRequest();
            String url = call.getUrl() == null ? "" : call.getUrl();
            int query = url.indexOf('?');
            String type = (query < 0 ? url : url.substring(0, query)).split("/")[0];
            if (call.hasIfNoneExist()) {
                refuseSearchesBeyondTheType(access, type, call.getIfNoneExist());
            }
            Bundle.HTTPVerb method = call.getMethod();
            if (query >= 0
                    && (method == Bundle.HTTPVerb.PUT
                            || method == Bundle.HTTPVerb.DELETE
                            || method == Bundle.HTTPVerb.PATCH)) {
                refuseSearchesBeyondTheType(access, type, url);
            }
        }
        narrowing.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
    }

    /** The patient's compartment, for a patient-scoped token that does not read the type system-wide; else null. */
    private AuthorizedList compartmentOf(RequestDetails request) {
        TokenAccess access = authorization.access(request);
        String type = request.getResourceName();
        if (!access.patientScoped() || access.readsAll(type == null ? "*" : type)) {
            return null;
        }
        return new AuthorizedList().addCompartment("Patient/" + access.patient());
    }

    static void refuseSearchesBeyondTheType(TokenAccess access, String type, String condition) {
        if (type == null || type.isEmpty() || access.readsAll(type)) {
            return;
        }
        String query = condition.substring(condition.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
            String base = name.split(":", 2)[0];
            if (name.contains(".") || BEYOND_THE_TYPE.contains(base)) {
                throw new ForbiddenOperationException("A conditional URL of a token that cannot read " + type
                        + " may use only " + type + "'s own search parameters (no chains, _has, _filter, _content,"
                        + " _text, _list or _query).");
            }
        }
    }
}

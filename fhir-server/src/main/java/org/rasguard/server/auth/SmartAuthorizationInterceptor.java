package org.rasguard.server.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleConditional;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifierFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.rasguard.server.auth.SmartScopes.Grant;
import org.rasguard.server.auth.SmartScopes.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR API's access control: every request but {@code GET /fhir/metadata} needs a valid bearer
 * token from the configured issuer ({@link AccessTokenVerifier}), else 401; its SMART scopes then
 * become HAPI authorization rules, and anything they do not allow is 403.
 *
 * <ul>
 *   <li>{@code system/} and {@code user/} scopes reach every resource of their type (this server has no
 *       per-user permissions; integrators use system scopes);
 *   <li>{@code patient/} scopes reach only the compartment of the token's {@code patient} claim, and
 *       nothing when the token has none;
 *   <li>a token that may write may post transaction and batch Bundles (each entry is checked against
 *       the same rules) and call {@code $validate};
 *   <li>{@code Patient/$ras-status} needs read access to Observations (system-wide, or that patient's).
 * </ul>
 *
 * Its {@link #companions()} keep what the token may not read out of the answers to what it may do:
 * conditional URLs ({@link ConditionalUrlGuard}), resources in write answers ({@link UnreadableResponseFilter}),
 * and the difference between another patient's id and a missing one ({@link UniformNotFound}).
 */
public final class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(SmartAuthorizationInterceptor.class);
    static final String UNAUTHORIZED = "Authentication is required.";
    private static final String TOKEN = SmartAuthorizationInterceptor.class.getName() + ".token";

    private final AccessTokenVerifier verifier;
    private final String audience;
    private final String publicBaseUrl;
    private final Set<String> resourceTypes;

    /**
     * @param audience the {@code aud} tokens must carry ({@code RASGUARD_FHIR_AUDIENCE}), or null for
     *     the FHIR base URL as called
     * @param publicBaseUrl {@code RASGUARD_PUBLIC_BASE_URL}, or null to take the base from the request
     */
    public SmartAuthorizationInterceptor(
            AccessTokenVerifier verifier, String audience, String publicBaseUrl, FhirContext fhir) {
        super(PolicyEnum.DENY);
        this.verifier = verifier;
        this.audience = audience;
        this.publicBaseUrl = publicBaseUrl;
        this.resourceTypes = Set.copyOf(fhir.getResourceTypes());
    }

    /**
     * Authenticates as soon as HAPI knows the operation, before it reads the body: an unauthenticated
     * caller costs no parsing or validation.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean authenticate(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.METADATA) {
            request.getUserData().put(TOKEN, verify(request));
        }
        return true;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
            return new RuleBuilder().allow().metadata().build();
        }
        TokenAccess access = access(request);
        return rules(access.grants(), access.patient());
    }

    /**
     * The guards that keep what a token cannot read out of the answers to what it may do (issue 16):
     * register them with this interceptor.
     */
    public List<Object> companions() {
        return List.of(new ConditionalUrlGuard(this), new UnreadableResponseFilter(this), new UniformNotFound(this));
    }

    /** The grants and patient of this request's token, verifying it if that has not happened yet (else 401). */
    TokenAccess access(RequestDetails request) {
        TokenAccess known = verifiedAccess(request);
        if (known != null) {
            return known;
        }
        request.getUserData().put(TOKEN, verify(request));
        return verifiedAccess(request);
    }

    /** As {@link #access}, or null when no token of this request has been verified. */
    TokenAccess verifiedAccess(RequestDetails request) {
        return request.getUserData().get(TOKEN) instanceof AccessTokenVerifier.AccessToken token
                ? new TokenAccess(SmartScopes.parse(token.scopes()), token.patient())
                : null;
    }

    /** Whether the token's read rules let it see this resource (as a read answering with it would be judged). */
    boolean mayRead(RequestDetails request, IBaseResource resource) {
        Verdict verdict = applyRulesAndReturnDecision(
                RestOperationTypeEnum.READ, request, null, null, resource, Pointcut.SERVER_OUTGOING_RESPONSE);
        return verdict != null && verdict.getDecision() == PolicyEnum.ALLOW;
    }

    private AccessTokenVerifier.AccessToken verify(RequestDetails request) {
        if (request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails servlet
                && servlet.getServletRequest().getAttribute(FhirAuthFilter.VERIFIED)
                        instanceof AccessTokenVerifier.AccessToken checked) {
            return checked; // by FhirAuthFilter, before the body was read
        }
        try {
            return verifier.verify(CdsAuthFilter.bearer(request.getHeader("Authorization")), expectedAudience(request));
        } catch (TokenRejected e) {
            LOG.info("FHIR request refused with 401: {}", e.reason());
            AuthenticationException unauthorized = new AuthenticationException(UNAUTHORIZED);
            unauthorized.addResponseHeader("WWW-Authenticate", "Bearer");
            throw unauthorized;
        }
    }

    private String expectedAudience(RequestDetails request) {
        if (audience != null) {
            return audience;
        }
        return publicBaseUrl != null ? publicBaseUrl + "/fhir" : request.getFhirServerBase();
    }

    /** The HAPI rules for a token's grants; ends with deny-all. */
    List<IAuthRule> rules(List<Grant> grants, String patient) {
        RuleBuilder rules = new RuleBuilder();
        rules.allow().metadata();
        IdType patientId = patient == null ? null : new IdType("Patient", patient);
        boolean writes = false;
        boolean readsObservations = false;
        boolean readsObservationsOfPatient = false;
        for (Grant grant : grants) {
            if (!grant.resourceType().equals("*") && !resourceTypes.contains(grant.resourceType())) {
                continue;
            }
            boolean compartment = grant.level() == Level.PATIENT;
            if (compartment && patientId == null) {
                continue; // a patient scope without a patient in context reaches nothing
            }
            if (grant.read()) {
                scope(rules.allow().read(), grant, compartment ? patientId : null);
                boolean observations =
                        grant.resourceType().equals("*") || grant.resourceType().equals("Observation");
                readsObservations |= observations && !compartment;
                readsObservationsOfPatient |= observations && compartment;
            }
            if (grant.create() && grant.update()) {
                scope(rules.allow().write(), grant, compartment ? patientId : null);
            } else if (grant.create()) {
                scope(rules.allow().create(), grant, compartment ? patientId : null);
            }
            if (grant.delete()) {
                scope(rules.allow().delete(), grant, compartment ? patientId : null);
            }
            if (!compartment) {
                // Conditional create/update/delete (ifNoneExist, PUT ?identifier=…): the match is let
                // through, the create, update or delete it turns into is checked against the rules above.
                if (grant.create()) {
                    conditional(rules.allow().createConditional(), grant);
                }
                if (grant.update()) {
                    conditional(rules.allow().updateConditional(), grant);
                }
                if (grant.delete()) {
                    conditional(rules.allow().deleteConditional(), grant);
                }
            }
            writes |= grant.writes();
        }
        if (writes) {
            rules.allow().transaction().withAnyOperation().andApplyNormalRules();
            rules.allow().operation().named("$validate").onServer().andAllowAllResponses();
            rules.allow().operation().named("$validate").onAnyType().andAllowAllResponses();
        }
        if (readsObservations) {
            rules.allow()
                    .operation()
                    .named("$ras-status")
                    .onInstancesOfType(Patient.class)
                    .andAllowAllResponses();
        } else if (readsObservationsOfPatient) {
            rules.allow().operation().named("$ras-status").onInstance(patientId).andAllowAllResponses();
        }
        rules.denyAll("Not allowed by the token's scopes");
        return rules.build();
    }

    private static void conditional(IAuthRuleBuilderRuleConditional op, Grant grant) {
        if (grant.resourceType().equals("*")) {
            op.allResources();
        } else {
            op.resourcesOfType(grant.resourceType());
        }
    }

    private static IAuthRuleBuilderRuleOpClassifierFinished scope(
            IAuthRuleBuilderRuleOp op, Grant grant, IdType patient) {
        IAuthRuleBuilderRuleOpClassifier target =
                grant.resourceType().equals("*") ? op.allResources() : op.resourcesOfType(grant.resourceType());
        return patient == null ? target.withAnyId() : target.inCompartment("Patient", patient);
    }
}

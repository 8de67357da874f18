package org.rasguard.server.lateresults;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.rasguard.server.audit.DecisionAuditEvents;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;

/**
 * What the late-result loop trusts is written by this server alone (issue 18): the audit trail's
 * AuditEvents (type in {@value DecisionAuditEvents#TYPE_SYSTEM}: CDS decisions, the reminders they
 * show, feedback) and the late-result DetectedIssues (a code in {@value LateResultIssues#CODE_SYSTEM} or
 * an identifier of {@value LateResultIssues#ISSUE_SYSTEM}). A forged issue would put a critical card on
 * a chart, a forged identifier would make the real issue's conditional create match it, and a forged,
 * changed or deleted decision changes what the late-result, feedback and reminder checks believe. So a
 * create, update, patch or delete of one through the FHIR API is refused with 403
 * ({@value #SERVER_OWNED}), whatever the path (plain, conditional, a transaction or batch entry), and so
 * is an update that would make a stored one into something else (the stored version is checked, not
 * only the new body). A refused transaction entry fails the whole transaction; a refused batch entry is
 * answered 403 with HAPI's own OperationOutcome for it (our message, without our coding).
 *
 * <p>The server's own writes ({@link SystemRequestDetails}: the audit writer, the late-result check,
 * patient-view feedback closing an issue, retention) pass. On HAPI JPA's interceptor service, before
 * storage: it sees every path. Systems are compared ignoring case, surrounding blanks and a trailing
 * slash, and our two AuditEvent type codes are ours in any system, so no variant a search or a reader
 * might take for ours gets through; reads and searches are not touched.
 */
@Interceptor
public final class ServerOwnedResources {

    static final String SERVER_OWNED = "server-owned-resource";

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        refuseUnlessServer(request, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        refuseUnlessServer(request, previous);
        refuseUnlessServer(request, resource);
    }

    /** Also the only pointcut a conditional delete reaches (as {@code LateResultDetector} found); the resource is the stored one. */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource, RequestDetails request) {
        refuseUnlessServer(request, resource);
    }

    private static void refuseUnlessServer(RequestDetails request, IBaseResource resource) {
        if (request instanceof SystemRequestDetails || !isServerOwned(resource)) {
            return;
        }
        Refusals.record(request, SERVER_OWNED);
        throw refused(resource);
    }

    /** Whether the resource is one only this server may write (see the class comment); false for null. */
    static boolean isServerOwned(IBaseResource resource) {
        if (resource instanceof AuditEvent event) {
            return ours(event.getType().getSystem(), DecisionAuditEvents.TYPE_SYSTEM) || oursByCode(event.getType());
        }
        if (resource instanceof DetectedIssue issue) {
            return issue.getCode().getCoding().stream().anyMatch(c -> ours(c.getSystem(), LateResultIssues.CODE_SYSTEM))
                    || issue.getIdentifier().stream().anyMatch(i -> ours(i.getSystem(), LateResultIssues.ISSUE_SYSTEM));
        }
        return false;
    }

    /** Spaces of any kind and invisible format characters (zero-width space, soft hyphen, bidi marks). */
    private static final java.util.regex.Pattern INVISIBLE = java.util.regex.Pattern.compile("[\\p{Z}\\p{Cf}\\s]+");

    /** Our system, ignoring case, blanks and invisible characters anywhere, and a trailing {@code /} or {@code #}. */
    private static boolean ours(String system, String ourSystem) {
        return system != null
                && INVISIBLE
                        .matcher(system)
                        .replaceAll("")
                        .replaceAll("[/#]+$", "")
                        .equalsIgnoreCase(ourSystem);
    }

    /**
     * A type coded as our decisions and feedback are, in any system or none: a look-alike would be listed
     * beside ours by the README's searches that do not name the system ({@code entity-name}), so an outside
     * attack could place a forged "overridden" feedback next to a real decision.
     */
    private static boolean oursByCode(org.hl7.fhir.r4.model.Coding type) {
        String code =
                type.getCode() == null ? "" : INVISIBLE.matcher(type.getCode()).replaceAll("");
        return code.equalsIgnoreCase(DecisionAuditEvents.DECISION)
                || code.equalsIgnoreCase(DecisionAuditEvents.FEEDBACK);
    }

    private static ForbiddenOperationException refused(IBaseResource resource) {
        boolean audit = resource instanceof AuditEvent;
        String message = audit
                ? "AuditEvents of RAS Guard's audit trail (type " + DecisionAuditEvents.TYPE_SYSTEM
                        + ") are written by the server"
                        + " only: they cannot be created, changed or deleted through the FHIR API."
                : "Late-result DetectedIssues (code system " + LateResultIssues.CODE_SYSTEM + ", identifier "
                        + LateResultIssues.ISSUE_SYSTEM
                        + ") are written by the server only: they cannot be created, changed or deleted through the FHIR API"
                        + " (a clinician closes one through the patient-view card's feedback).";
        return new ForbiddenOperationException(
                message,
                ErrorResponses.outcome(
                        OperationOutcome.IssueType.FORBIDDEN,
                        SERVER_OWNED,
                        "Server-owned resource",
                        message,
                        audit ? "AuditEvent.type" : "DetectedIssue"));
    }
}

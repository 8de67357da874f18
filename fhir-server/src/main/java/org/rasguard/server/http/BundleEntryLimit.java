package org.rasguard.server.http;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.function.BiPredicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Bounds what one transaction or batch Bundle may ask of the server (issue 16, row 10: a batch of 2000
 * GET entries was 36 s of server time and a 13.5 MB answer):
 *
 * <ul>
 *   <li>more than {@code RASGUARD_MAX_BUNDLE_ENTRIES} entries: 413 with an OperationOutcome (code
 *       {@code too-many-entries}), before any entry runs;
 *   <li>each GET (or HEAD) entry is a search or read of its own, so it is charged to the client's rate
 *       limit like a request of its own (the Bundle's POST already was); over the rate: 429.
 * </ul>
 */
@Interceptor
public final class BundleEntryLimit {

    private final int maxEntries;
    private final BiPredicate<String, Integer> rateCharge;

    /**
     * @param rateCharge draws requests from a client's rate limit by address; false when the client is over it
     */
    public BundleEntryLimit(int maxEntries, BiPredicate<String, Integer> rateCharge) {
        this.maxEntries = maxEntries;
        this.rateCharge = rateCharge;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if ((operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH)
                || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        int entries = bundle.getEntry().size();
        if (entries > maxEntries) {
            refuse(request, "too-many-entries");
            String message = "The Bundle has " + entries + " entries; this server accepts at most " + maxEntries
                    + " in one transaction or batch (RASGUARD_MAX_BUNDLE_ENTRIES). Split it into several.";
            throw new PayloadTooLargeException(
                    message, outcome(OperationOutcome.IssueType.TOOLONG, "too-many-entries", message));
        }
        int reads = (int) bundle.getEntry().stream()
                .filter(entry -> entry.getRequest().getMethod() == Bundle.HTTPVerb.GET
                        || entry.getRequest().getMethod() == Bundle.HTTPVerb.HEAD)
                .count();
        String client = request instanceof ServletRequestDetails servlet
                ? servlet.getServletRequest().getRemoteAddr()
                : null;
        if (reads > 0 && !rateCharge.test(client, reads)) {
            refuse(request, "too-many-requests");
            String message =
                    "The Bundle's " + reads + " read entries are over this client's rate limit; try again later.";
            UnclassifiedServerFailureException tooMany = new UnclassifiedServerFailureException(
                    429, message, outcome(OperationOutcome.IssueType.THROTTLED, "too-many-requests", message));
            tooMany.addResponseHeader("Retry-After", "1");
            throw tooMany;
        }
    }

    private static void refuse(RequestDetails request, String code) {
        Refusals.record(request, code);
    }

    private static OperationOutcome outcome(OperationOutcome.IssueType type, String code, String message) {
        return ErrorResponses.outcome(type, code, null, message, null);
    }
}

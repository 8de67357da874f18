package org.rasguard.cdshooks;

/**
 * A CDS Hooks call that cannot be answered with cards: the HTTP status, the FHIR issue type and our
 * stable error code, written as an OperationOutcome by the HTTP edge. The message is for a human and
 * never quotes request content (it could hold PHI or a token).
 */
public final class CdsError extends RuntimeException {

    private final int status;
    private final String issueType;
    private final String code;

    private CdsError(int status, String issueType, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.issueType = issueType;
        this.code = code;
    }

    /** 400: the request breaks the CDS Hooks or hook contract. */
    public static CdsError badRequest(String code, String message) {
        return new CdsError(400, "invalid", code, message);
    }

    /** 404: no such service. */
    public static CdsError unknownService() {
        return new CdsError(404, "not-found", "unknown-service", "No CDS service with this id.");
    }

    /** 412: data the decision needs could be had neither from prefetch, the client's FHIR server nor our store. */
    public static CdsError preconditionFailed(String code, String message) {
        return new CdsError(412, "not-found", code, message);
    }

    public int status() {
        return status;
    }

    public String issueType() {
        return issueType;
    }

    /** Our stable machine code, e.g. {@code missing-hook-instance}. */
    public String code() {
        return code;
    }
}

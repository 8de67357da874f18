package org.rasguard.cdshooks;

import java.util.stream.Collectors;
import org.rasguard.decision.Undecidable;

/**
 * A CDS Hooks call that cannot be answered with cards: our stable error code and its {@link Kind},
 * which gives the HTTP status and the FHIR issue type the HTTP edge writes as an OperationOutcome.
 * The decision core knows no HTTP: its {@link Undecidable} is mapped here ({@link #of(Undecidable, String)}).
 * The message is for a human and never quotes request content (it could hold PHI or a token).
 */
public final class CdsError extends RuntimeException {

    /** What went wrong, as CDS Hooks 2.0 and HTTP name it. */
    public enum Kind {
        /** The request breaks the CDS Hooks or hook contract. */
        BAD_REQUEST(400, "invalid"),
        /** No such service. */
        UNKNOWN_SERVICE(404, "not-found"),
        /** Data the decision needs could be had neither from prefetch, the client's FHIR server nor our store. */
        DATA_UNAVAILABLE(412, "not-found");

        private final int status;
        private final String issueType;

        Kind(int status, String issueType) {
            this.status = status;
            this.issueType = issueType;
        }
    }

    private final Kind kind;
    private final String code;

    private CdsError(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    /** 400: the request breaks the CDS Hooks or hook contract. */
    public static CdsError badRequest(String code, String message) {
        return new CdsError(Kind.BAD_REQUEST, code, message);
    }

    /** 404: no such service. */
    public static CdsError unknownService() {
        return new CdsError(Kind.UNKNOWN_SERVICE, "unknown-service", "No CDS service with this id.");
    }

    /** 412: data the decision needs could be had neither from prefetch, the client's FHIR server nor our store. */
    public static CdsError preconditionFailed(String code, String message) {
        return new CdsError(Kind.DATA_UNAVAILABLE, code, message);
    }

    /** 412: a draft order's drug could be found nowhere, so it cannot be decided. */
    static CdsError medicationUnresolved() {
        return preconditionFailed(
                "medication-unresolved",
                "A draft order's medicationReference could not be resolved from draftOrders, contained "
                        + "resources, prefetch or the FHIR server, so its drug is unknown.");
    }

    /**
     * The decision's failure as the client sees it: 412, naming the prefetch keys of what was missing.
     *
     * @param whyNoServer why the client's FHIR server could not supply it
     */
    static CdsError of(Undecidable undecidable, String whyNoServer) {
        String names = undecidable.needed().stream()
                .flatMap(needed -> PrefetchKey.carrying(needed).stream())
                .map(PrefetchKey::key)
                .collect(Collectors.joining(", "));
        return preconditionFailed(
                undecidable.code(),
                "The decision needs " + names + ", which could not be had: not usable in prefetch, and " + whyNoServer
                        + ".");
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status: 400, 404 or 412. */
    public int status() {
        return kind.status;
    }

    /** The FHIR issue type of the OperationOutcome. */
    public String issueType() {
        return kind.issueType;
    }

    /** Our stable machine code, e.g. {@code missing-hook-instance}. */
    public String code() {
        return code;
    }
}

package org.rasguard.server.auth;

/**
 * Why a token was refused, for our log and our tests only: the caller always gets the same bare 401.
 * The reason never quotes the token.
 */
public final class TokenRejected extends Exception {

    /** The check that failed. */
    public enum Reason {
        MISSING, MALFORMED, ALGORITHM, TYPE, KID, ISSUER, JKU, SIGNATURE, AUDIENCE, EXPIRED, NOT_YET_VALID,
        ISSUED_IN_FUTURE, LIFETIME, JTI, TENANT, REPLAY, REPLAY_STORE
    }

    private final Reason reason;

    public TokenRejected(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

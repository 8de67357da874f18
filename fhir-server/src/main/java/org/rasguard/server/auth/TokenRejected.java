package org.rasguard.server.auth;

/**
 * Why a token was refused, for our log and our tests only: the caller always gets the same bare 401.
 * The reason never quotes the token.
 */
public final class TokenRejected extends Exception {

    /** The check that failed. */
    public enum Reason {
        MISSING,
        MALFORMED,
        ALGORITHM,
        TYPE,
        KID,
        ISSUER,
        JKU,
        SIGNATURE,
        AUDIENCE,
        EXPIRED,
        NOT_YET_VALID,
        ISSUED_IN_FUTURE,
        LIFETIME,
        JTI,
        TENANT,
        REPLAY,
        REPLAY_STORE
    }

    private final Reason reason;
    private final String keySet;

    public TokenRejected(Reason reason) {
        this(reason, null);
    }

    /** @param keySet which configured key set the signature failed against (issuer and source), or null */
    public TokenRejected(Reason reason, String keySet) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.keySet = keySet;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The key set a {@link Reason#SIGNATURE} failure was checked against, as configured ({@code issuer key set
     * file:///…} or its URL): our own settings, never token content; null when no key set was involved.
     */
    public String keySet() {
        return keySet;
    }

    /** The same failure, naming the key set it was checked against. */
    TokenRejected against(String keySetDescription) {
        return new TokenRejected(reason, keySetDescription);
    }
}

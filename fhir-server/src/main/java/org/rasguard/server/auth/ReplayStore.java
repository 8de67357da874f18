package org.rasguard.server.auth;

import java.time.Instant;

/** Remembers the {@code jti} of every accepted CDS client JWT until it expires. */
public interface ReplayStore {

    /**
     * Records a token id.
     *
     * @param issuer the token's {@code iss} (a {@code jti} is unique per issuer)
     * @param jti the token's {@code jti}
     * @param forgetAfter when the token can no longer be used anyway (its {@code exp} plus the clock skew)
     * @return true the first time, false for a replay
     * @throws IllegalStateException when the store cannot tell (then the token must be refused)
     */
    boolean firstUse(String issuer, String jti, Instant forgetAfter);
}

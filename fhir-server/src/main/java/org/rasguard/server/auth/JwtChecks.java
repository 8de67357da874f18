package org.rasguard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.rasguard.server.auth.TokenRejected.Reason;

/**
 * The checks both kinds of bearer JWT share. Signatures are nimbus-jose-jwt's: the header algorithm
 * must be on our explicit list (so {@code none} and every HMAC algorithm are refused before any key
 * is looked at), and the key is chosen from the issuer's key set by {@code kid}, algorithm family and
 * {@code use}, never from the token itself ({@code jwk}, {@code x5c} headers are ignored).
 */
final class JwtChecks {

    /** Allowance for clocks that disagree, on {@code exp}, {@code nbf} and {@code iat}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private JwtChecks() {}

    /** Parses a compact JWS; anything else (a JWE, an unsecured {@code alg: none} JWT, junk) is MALFORMED. */
    static SignedJWT parse(String token) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected(Reason.MISSING);
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejected(Reason.MALFORMED);
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejected(Reason.MALFORMED);
        }
    }

    static void checkAlgorithm(SignedJWT jwt, Set<JWSAlgorithm> algorithms) throws TokenRejected {
        if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
            throw new TokenRejected(Reason.ALGORITHM);
        }
    }

    /** The claims, unverified: only to choose the issuer's keys before the signature is checked. */
    static JWTClaimsSet unverifiedClaims(SignedJWT jwt) throws TokenRejected {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejected(Reason.MALFORMED);
        }
    }

    /** Verifies the signature with a key from {@code keys}; returns the (now trusted) claims. */
    static JWTClaimsSet verifySignature(
            SignedJWT jwt,
            Set<JWSAlgorithm> algorithms,
            JWKSource<SecurityContext> keys,
            Set<JOSEObjectType> acceptedTypes)
            throws TokenRejected {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(acceptedTypes));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> {}); // checked by the callers, with our clock
        try {
            return processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw new TokenRejected(Reason.SIGNATURE);
        }
    }

    /** {@code aud} (a string or an array) holds {@code expected}; a trailing slash on either side is ignored. */
    static void checkAudience(JWTClaimsSet claims, String expected) throws TokenRejected {
        List<String> audience = claims.getAudience();
        String want = stripSlash(expected);
        if (want == null || audience == null || audience.stream().noneMatch(a -> want.equals(stripSlash(a)))) {
            throw new TokenRejected(Reason.AUDIENCE);
        }
    }

    /** {@code exp} present and not passed, {@code nbf} and {@code iat} not in the future, all with {@link #CLOCK_SKEW}. */
    static void checkTimes(JWTClaimsSet claims, Instant now, boolean iatRequired, Duration maxLifetime)
            throws TokenRejected {
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.minus(CLOCK_SKEW).isBefore(exp.toInstant())) {
            throw new TokenRejected(Reason.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new TokenRejected(Reason.NOT_YET_VALID);
        }
        Date iat = claims.getIssueTime();
        if (iat == null ? iatRequired : iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new TokenRejected(Reason.ISSUED_IN_FUTURE);
        }
        if (maxLifetime != null && exp.toInstant().isAfter(now.plus(maxLifetime).plus(CLOCK_SKEW))) {
            throw new TokenRejected(Reason.LIFETIME);
        }
    }

    static String stripSlash(String url) {
        if (url == null) {
            return null;
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

package org.rasguard.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rasguard.server.auth.TokenRejected.Reason;

/**
 * Checks an OAuth2 access token for the FHIR API: a JWT (RFC 9068 or plain) signed by the one
 * configured issuer ({@code RASGUARD_FHIR_ISSUER}) with a key from {@code RASGUARD_FHIR_JWKS},
 * {@code aud} naming this server, {@code exp}/{@code nbf}/{@code iat} within the clock skew. A bearer
 * token is used many times, so no {@code jti} check here; its {@code exp} may be at most
 * {@code RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS} ahead (an hour by default, as CDS client tokens), so a
 * token leaked or minted for a century does not work for one (issue 16, row 12). The scopes and the SMART {@code patient}
 * context claim are returned for {@link SmartScopes}.
 */
public final class AccessTokenVerifier {

    private static final Set<JOSEObjectType> TYPES = new HashSet<>(Arrays.asList(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));

    /** A verified token: who, what scopes, and the patient in context (SMART launch), if any. */
    public record AccessToken(String subject, String clientId, List<String> scopes, String patient) {}

    private final String issuer;
    private final JWKSource<SecurityContext> keys;
    private final Set<JWSAlgorithm> algorithms;
    private final Clock clock;
    private final java.time.Duration maxLifetime;

    public AccessTokenVerifier(
            String issuer,
            JWKSource<SecurityContext> keys,
            Set<JWSAlgorithm> algorithms,
            Clock clock,
            java.time.Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
        this.issuer = issuer;
        this.keys = keys;
        this.algorithms = Set.copyOf(algorithms);
        this.clock = clock;
    }

    public AccessToken verify(String token, String expectedAudience) throws TokenRejected {
        SignedJWT jwt = JwtChecks.parse(token);
        JwtChecks.checkAlgorithm(jwt, algorithms);
        if (!issuer.equals(JwtChecks.unverifiedClaims(jwt).getIssuer())) {
            throw new TokenRejected(Reason.ISSUER);
        }
        JWTClaimsSet claims = JwtChecks.verifySignature(jwt, algorithms, keys, TYPES);
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenRejected(Reason.ISSUER);
        }
        JwtChecks.checkAudience(claims, expectedAudience);
        JwtChecks.checkTimes(claims, clock.instant(), false, maxLifetime);
        return new AccessToken(
                claims.getSubject(),
                string(claims.getClaim("client_id")),
                scopes(claims),
                string(claims.getClaim("patient")));
    }

    /** {@code scope} as a space-separated string (RFC 9068) or {@code scp} as an array or string. */
    static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        if (scope instanceof String text) {
            return Arrays.stream(text.trim().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        if (scope instanceof Collection<?> items) {
            return items.stream()
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        }
        return List.of();
    }

    private static String string(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}

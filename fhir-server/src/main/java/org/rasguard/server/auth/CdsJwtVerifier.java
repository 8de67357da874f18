package org.rasguard.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.rasguard.server.auth.TokenRejected.Reason;
import org.rasguard.server.config.SecuritySettings;

/**
 * Checks the JWT a CDS client (an EHR) sends in {@code Authorization: Bearer} on every call,
 * following CDS Hooks 2.0 "Trusting CDS Clients" and its best-practice checklist:
 *
 * <ol>
 *   <li>a compact JWS with {@code alg} on our list (RS384 and ES384 unless configured otherwise; never
 *       {@code none}, never HMAC), {@code typ} JWT or absent, and a {@code kid};
 *   <li>{@code iss} one of the configured issuers;
 *   <li>the key from that issuer's configured key set, or from the {@code jku} header only when that
 *       URL is on the issuer's list; even then the configured set is tried first, offline (a {@code file:}
 *       set, or the cached copy of a fetched one), and the {@code jku} URL is fetched only for a key
 *       ({@code kid}) the configured set does not hold;
 *   <li>{@code aud} the exact URL called;
 *   <li>{@code exp}, {@code iat} and {@code nbf} within {@link JwtChecks#CLOCK_SKEW}, and {@code exp}
 *       no further than {@link #MAX_LIFETIME} ahead;
 *   <li>{@code tenant} on the list, where one is configured;
 *   <li>{@code jti} never seen before ({@link ReplayStore}), recorded only once all else passed.
 * </ol>
 *
 * Extra claims (Epic sends {@code sub} and {@code nbf}) are tolerated. Pure apart from the key
 * sources and the replay store it is given; thread-safe.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#trusting-cds-clients">CDS Hooks 2.0: Trusting CDS Clients</a>
 */
public final class CdsJwtVerifier {

    /** Longest accepted token life; the best practices keep {@code jti}s "no more than an hour". */
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);

    private static final Set<JOSEObjectType> TYPES = new HashSet<>(Arrays.asList(JOSEObjectType.JWT, null));

    /** A token that passed every check. */
    public record Verified(String issuer, String jti, String tenant, Instant expires) {}

    /** One key set and where it comes from ({@code file:///…} or a URL, as configured), for the log. */
    record KeySet(String source, JWKSource<SecurityContext> keys) {}

    /** One issuer's keys: the configured set, and the set behind each allowed {@code jku} (by URL). */
    record IssuerKeys(KeySet configured, Map<String, KeySet> byJku) {

        /** Key sets without a source to name (tests). */
        static IssuerKeys of(JWKSource<SecurityContext> configured, Map<String, JWKSource<SecurityContext>> byJku) {
            KeySet own = new KeySet("configured", configured);
            Map<String, KeySet> named = new LinkedHashMap<>();
            byJku.forEach((url, keys) -> named.put(url, keys == configured ? own : new KeySet(url, keys)));
            return new IssuerKeys(own, named);
        }
    }

    private final Map<String, IssuerKeys> issuers;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> tenants;
    private final ReplayStore replay;
    private final Clock clock;

    CdsJwtVerifier(
            Map<String, IssuerKeys> issuers,
            Set<JWSAlgorithm> algorithms,
            Set<String> tenants,
            ReplayStore replay,
            Clock clock) {
        this.issuers = Map.copyOf(issuers);
        this.algorithms = Set.copyOf(algorithms);
        this.tenants = Set.copyOf(tenants);
        this.replay = replay;
        this.clock = clock;
    }

    /** A verifier over the configured issuers, with key sets from {@code keySources} (one per distinct URL). */
    public static CdsJwtVerifier create(
            SecuritySettings settings,
            Function<URI, JWKSource<SecurityContext>> keySources,
            ReplayStore replay,
            Clock clock) {
        Map<URI, KeySet> sources = new LinkedHashMap<>();
        Function<URI, KeySet> keySet =
                url -> sources.computeIfAbsent(url, u -> new KeySet(u.toString(), keySources.apply(u)));
        Map<String, IssuerKeys> issuers = new LinkedHashMap<>();
        for (SecuritySettings.CdsIssuer issuer : settings.cdsIssuers().values()) {
            Map<String, KeySet> byJku = new LinkedHashMap<>();
            for (URI url : issuer.allowedJku()) {
                byJku.put(url.toString(), keySet.apply(url));
            }
            issuers.put(issuer.issuer(), new IssuerKeys(keySet.apply(issuer.jwks()), byJku));
        }
        return new CdsJwtVerifier(issuers, settings.algorithms(), settings.cdsTenants(), replay, clock);
    }

    /**
     * @param token the bearer token, or null when the request had none
     * @param expectedAudience the URL the client called: base URL plus path, no query
     * @throws TokenRejected with the failed check; the caller answers 401 whatever it is
     */
    public Verified verify(String token, String expectedAudience) throws TokenRejected {
        SignedJWT jwt = JwtChecks.parse(token);
        JwtChecks.checkAlgorithm(jwt, algorithms);
        JOSEObjectType type = jwt.getHeader().getType();
        if (type != null && !JOSEObjectType.JWT.equals(type)) {
            throw new TokenRejected(Reason.TYPE);
        }
        if (jwt.getHeader().getKeyID() == null || jwt.getHeader().getKeyID().isBlank()) {
            throw new TokenRejected(Reason.KID);
        }
        String claimedIssuer = JwtChecks.unverifiedClaims(jwt).getIssuer();
        IssuerKeys keys = claimedIssuer == null ? null : issuers.get(claimedIssuer);
        if (keys == null) {
            throw new TokenRejected(Reason.ISSUER);
        }
        KeySet keySet = keys.configured();
        URI jku = jwt.getHeader().getJWKURL();
        if (jku != null) {
            KeySet named = keys.byJku().get(jku.toString());
            if (named == null) {
                throw new TokenRejected(Reason.JKU);
            }
            // The configured copy speaks for every key it holds: a listed jku is fetched only for one it lacks.
            if (named != keys.configured() && !holdsKey(keys.configured(), jwt)) {
                keySet = named;
            }
        }

        JWTClaimsSet claims;
        try {
            claims = JwtChecks.verifySignature(jwt, algorithms, keySet.keys(), TYPES);
        } catch (TokenRejected e) {
            throw e.against(claimedIssuer + " key set " + keySet.source());
        }
        Instant now = clock.instant();
        if (!claimedIssuer.equals(claims.getIssuer())) {
            throw new TokenRejected(Reason.ISSUER);
        }
        JwtChecks.checkAudience(claims, expectedAudience);
        JwtChecks.checkTimes(claims, now, true, MAX_LIFETIME);
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > 512) {
            throw new TokenRejected(Reason.JTI);
        }
        String tenant;
        try {
            tenant = claims.getStringClaim("tenant");
        } catch (ParseException e) {
            throw new TokenRejected(Reason.TENANT);
        }
        if (!tenants.isEmpty() && (tenant == null || !tenants.contains(tenant))) {
            throw new TokenRejected(Reason.TENANT);
        }
        Instant expires = claims.getExpirationTime().toInstant();
        boolean first;
        try {
            first = replay.firstUse(claimedIssuer, jti, expires.plus(JwtChecks.CLOCK_SKEW));
        } catch (RuntimeException e) {
            throw new TokenRejected(Reason.REPLAY_STORE);
        }
        if (!first) {
            throw new TokenRejected(Reason.REPLAY);
        }
        return new Verified(claimedIssuer, jti, tenant, expires);
    }

    /** Whether the key set has a key the token's header selects ({@code kid}, algorithm); false if it cannot be read. */
    private boolean holdsKey(KeySet keySet, SignedJWT jwt) {
        try {
            return !new JWSVerificationKeySelector<>(algorithms, keySet.keys())
                    .selectJWSKeys(jwt.getHeader(), null)
                    .isEmpty();
        } catch (KeySourceException e) {
            return false;
        }
    }

    /** Whether {@code iss} is configured; lets the caller log an issuer without echoing arbitrary input. */
    public boolean knowsIssuer(String issuer) {
        return issuer != null && issuers.containsKey(issuer);
    }
}

package org.rasguard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Real keys and signed JWTs for the security tests: RSA 2048 for RS256/RS384, EC P-384 for ES384 (and
 * P-256 for ES256), plus the attacker's forgeries (unsigned, HMAC keyed with the public key).
 */
public final class TestJwts {

    private TestJwts() {}

    /**
     * An RSA 2048 signing key under {@code kid}. The key pairs are real and come from a ring of
     * {@value #RSA_RING} generated once per JVM: any {@value #RSA_RING} calls in a row give distinct keys (a
     * test never needs more), and a test JVM no longer spends a second per key on prime search (the tests
     * run on the C1 compiler), which made {@code CdsJwtVerifierTest} take 89 s for 4 s of checks.
     */
    public static RSAKey rsa(String kid) {
        KeyPair pair;
        synchronized (RSA_PAIRS) {
            if (RSA_PAIRS.size() < RSA_RING) {
                try {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    RSA_PAIRS.add(generator.generateKeyPair());
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
            pair = RSA_PAIRS.get(rsaCalls++ % RSA_RING);
        }
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey(pair.getPrivate())
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .build();
    }

    private static final int RSA_RING = 16;
    private static final List<KeyPair> RSA_PAIRS = new ArrayList<>();
    private static int rsaCalls;

    public static ECKey ec(String kid) {
        return ec(kid, Curve.P_384);
    }

    public static ECKey ec(String kid, Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK Set JSON of some keys, as an issuer publishes it. */
    public static String publicSet(JWK... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** Claims of a valid CDS client token: iss, aud, iat now, exp in 5 minutes, a fresh jti. */
    public static JWTClaimsSet.Builder cdsClaims(String issuer, String audience, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signs with the key's own kid and a default algorithm for its type (RS384 / ES384). */
    public static String sign(JWK key, JWTClaimsSet claims) {
        return sign(key, key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384, claims, header -> {});
    }

    public static String sign(
            JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
        JWSHeader.Builder builder =
                new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
        header.accept(builder);
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(builder.build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with a jku header naming where its key set is. */
    public static String signWithJku(JWK key, JWTClaimsSet claims, String jku) {
        return sign(
                key,
                key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384,
                claims,
                header -> header.jwkURL(URI.create(jku)));
    }

    /** {@code alg: none}: header and claims, no signature. */
    public static String unsigned(String kid, JWTClaimsSet claims) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}")
                .toString();
        return header + "." + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The classic key-confusion forgery: HS256 with the issuer's public RSA key as the HMAC secret. */
    public static String hmacWithPublicKey(RSAKey key, JWTClaimsSet claims) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT)
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the signature with that of another token: a valid-looking JWS that does not verify. */
    public static String withForeignSignature(String token, String other) {
        return token.substring(0, token.lastIndexOf('.') + 1) + other.substring(other.lastIndexOf('.') + 1);
    }

    /** Claims of an OAuth2 access token for the FHIR API. */
    public static JWTClaimsSet.Builder accessClaims(String issuer, String audience, String scope, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject("integration-client")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", scope);
    }

    public static Map<String, Object> map(String key, Object value) {
        return Map.of(key, value);
    }
}

package org.rasguard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rasguard.server.auth.TokenRejected.Reason;
import org.rasguard.server.config.SecuritySettings;

/** Every check of a CDS client JWT, with real RSA and EC keys and a fixed clock; no server. */
class CdsJwtVerifierTest {

    private static final String ISS = "https://ehr.example.org";
    private static final String OTHER_ISS = "https://other-ehr.example.org";
    private static final String AUD = "https://cds.example.org/cds-services/ras-guard-order-sign";
    private static final String JWKS = "https://ehr.example.org/jwks.json";
    private static final String ROTATED_JWKS = "https://ehr.example.org/jwks-2.json";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final RSAKey rsa = TestJwts.rsa("rsa-1");
    private final ECKey ec = TestJwts.ec("ec-1");
    private final RSAKey rotated = TestJwts.rsa("rsa-2");
    private final RSAKey otherIssuerKey = TestJwts.rsa("other-1");
    private final Set<String> seen = new HashSet<>();
    private final ReplayStore replay = (issuer, jti, forgetAfter) -> seen.add(issuer + " " + jti);

    private CdsJwtVerifier verifier(Set<JWSAlgorithm> algorithms, Set<String> tenants) {
        JWKSource<SecurityContext> configured =
                new ImmutableJWKSet<>(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));
        JWKSource<SecurityContext> rotatedSet = new ImmutableJWKSet<>(new JWKSet(rotated.toPublicJWK()));
        Map<String, CdsJwtVerifier.IssuerKeys> issuers = Map.of(
                ISS, CdsJwtVerifier.IssuerKeys.of(configured, Map.of(JWKS, configured, ROTATED_JWKS, rotatedSet)),
                OTHER_ISS,
                        CdsJwtVerifier.IssuerKeys.of(
                                new ImmutableJWKSet<>(new JWKSet(otherIssuerKey.toPublicJWK())), Map.of()));
        return new CdsJwtVerifier(issuers, algorithms, tenants, replay, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private CdsJwtVerifier verifier() {
        return verifier(SecuritySettings.DEFAULT_ALGORITHMS, Set.of());
    }

    private JWTClaimsSet.Builder claims() {
        return TestJwts.cdsClaims(ISS, AUD, NOW);
    }

    private Reason rejection(CdsJwtVerifier verifier, String token, String audience) {
        try {
            verifier.verify(token, audience);
        } catch (TokenRejected e) {
            return e.reason();
        }
        throw new AssertionError("accepted");
    }

    private Reason rejection(String token) {
        return rejection(verifier(), token, AUD);
    }

    @Test
    void aValidRs384TokenPasses() throws Exception {
        JWTClaimsSet claims = claims().subject("client-id")
                .notBeforeTime(Date.from(NOW))
                .claim("extra", 42)
                .build();
        CdsJwtVerifier.Verified verified = verifier().verify(TestJwts.sign(rsa, claims), AUD);
        assertThat(verified.issuer()).isEqualTo(ISS);
        assertThat(verified.jti()).isEqualTo(claims.getJWTID());
    }

    @Test
    void aValidEs384TokenPasses() throws Exception {
        assertThat(verifier().verify(TestJwts.sign(ec, claims().build()), AUD).issuer())
                .isEqualTo(ISS);
    }

    @Test
    void anAudienceArrayHoldingTheUrlPassesAndATrailingSlashIsIgnored() throws Exception {
        verifier()
                .verify(
                        TestJwts.sign(
                                rsa,
                                claims().audience(List.of("https://elsewhere", AUD))
                                        .build()),
                        AUD);
        verifier().verify(TestJwts.sign(rsa, claims().audience(AUD + "/").build()), AUD);
    }

    @Test
    void rs256AndEs256OnlyWhenConfigured() throws Exception {
        ECKey p256 = TestJwts.ec("ec-1", Curve.P_256);
        String rs256 = TestJwts.sign(rsa, JWSAlgorithm.RS256, claims().build(), header -> {});
        assertThat(rejection(rs256)).isEqualTo(Reason.ALGORITHM);

        CdsJwtVerifier lenient = verifier(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256), Set.of());
        lenient.verify(rs256, AUD);
        String es256 = TestJwts.sign(p256, JWSAlgorithm.ES256, claims().build(), header -> {});
        assertThat(rejection(es256)).isEqualTo(Reason.ALGORITHM);
        // ES256 allowed, but the configured key with that kid is P-384: the signature cannot verify.
        assertThat(rejection(lenient, es256, AUD)).isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void aBadSignatureIsRefused() {
        String valid = TestJwts.sign(rsa, claims().build());
        String other = TestJwts.sign(rsa, claims().issuer("tampered").build());
        assertThat(rejection(TestJwts.withForeignSignature(valid, other))).isEqualTo(Reason.SIGNATURE);
        // Signed by a key the issuer never published, under a published kid.
        assertThat(rejection(TestJwts.sign(TestJwts.rsa("rsa-1"), claims().build())))
                .isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void algNoneIsRefused() {
        assertThat(rejection(TestJwts.unsigned("rsa-1", claims().build()))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() {
        assertThat(rejection(TestJwts.hmacWithPublicKey(rsa, claims().build()))).isEqualTo(Reason.ALGORITHM);
    }

    @Test
    void theWrongAudienceIsRefused() {
        assertThat(rejection(TestJwts.sign(
                        rsa,
                        claims().audience("https://cds.example.org/cds-services")
                                .build())))
                .isEqualTo(Reason.AUDIENCE);
        assertThat(rejection(verifier(), TestJwts.sign(rsa, claims().build()), AUD + "/feedback"))
                .isEqualTo(Reason.AUDIENCE);
        assertThat(rejection(TestJwts.sign(rsa, claims().audience((String) null).build())))
                .isEqualTo(Reason.AUDIENCE);
    }

    @Test
    void expiryIsCheckedWithASmallSkew() throws Exception {
        assertThat(rejection(TestJwts.sign(
                        rsa,
                        claims().issueTime(Date.from(NOW.minusSeconds(900)))
                                .expirationTime(Date.from(NOW.minusSeconds(61)))
                                .build())))
                .isEqualTo(Reason.EXPIRED);
        verifier()
                .verify(
                        TestJwts.sign(
                                rsa,
                                claims().issueTime(Date.from(NOW.minusSeconds(300)))
                                        .expirationTime(Date.from(NOW.minusSeconds(30)))
                                        .build()),
                        AUD);
        assertThat(rejection(TestJwts.sign(rsa, claims().expirationTime(null).build())))
                .isEqualTo(Reason.EXPIRED);
    }

    @Test
    void iatInTheFutureAndNbfInTheFutureAreRefused() {
        assertThat(rejection(TestJwts.sign(
                        rsa, claims().issueTime(Date.from(NOW.plusSeconds(120))).build())))
                .isEqualTo(Reason.ISSUED_IN_FUTURE);
        assertThat(rejection(TestJwts.sign(rsa, claims().issueTime(null).build())))
                .isEqualTo(Reason.ISSUED_IN_FUTURE);
        assertThat(rejection(TestJwts.sign(
                        rsa,
                        claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build())))
                .isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void aTokenLivingLongerThanAnHourIsRefused() {
        assertThat(rejection(TestJwts.sign(
                        rsa,
                        claims().expirationTime(Date.from(NOW.plusSeconds(7200)))
                                .build())))
                .isEqualTo(Reason.LIFETIME);
    }

    @Test
    void aReplayedJtiIsRefusedAndAMissingOneToo() throws Exception {
        String token = TestJwts.sign(rsa, claims().build());
        CdsJwtVerifier verifier = verifier();
        verifier.verify(token, AUD);
        assertThat(rejection(verifier, token, AUD)).isEqualTo(Reason.REPLAY);
        assertThat(rejection(TestJwts.sign(rsa, claims().jwtID(null).build()))).isEqualTo(Reason.JTI);
    }

    @Test
    void aRefusedTokenDoesNotBurnItsJti() throws Exception {
        JWTClaimsSet claims = claims().build();
        assertThat(rejection(verifier(), TestJwts.sign(rsa, claims), "https://wrong"))
                .isEqualTo(Reason.AUDIENCE);
        verifier().verify(TestJwts.sign(rsa, claims), AUD);
    }

    @Test
    void anUnavailableReplayStoreFailsClosed() {
        CdsJwtVerifier verifier = new CdsJwtVerifier(
                Map.of(
                        ISS,
                        CdsJwtVerifier.IssuerKeys.of(new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK())), Map.of())),
                SecuritySettings.DEFAULT_ALGORITHMS,
                Set.of(),
                (issuer, jti, forgetAfter) -> {
                    throw new IllegalStateException("database down");
                },
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(rejection(verifier, TestJwts.sign(rsa, claims().build()), AUD))
                .isEqualTo(Reason.REPLAY_STORE);
    }

    @Test
    void anUnknownIssuerIsRefusedAndAnotherIssuersKeyDoesNotSpeakForThisOne() {
        assertThat(rejection(TestJwts.sign(
                        rsa, claims().issuer("https://evil.example").build())))
                .isEqualTo(Reason.ISSUER);
        assertThat(rejection(TestJwts.sign(rsa, claims().issuer(null).build()))).isEqualTo(Reason.ISSUER);
        // A configured issuer's own key cannot sign as another configured issuer.
        assertThat(rejection(TestJwts.sign(otherIssuerKey, claims().build()))).isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void jkuIsFollowedOnlyWhenOnTheIssuersList() throws Exception {
        verifier().verify(TestJwts.signWithJku(rotated, claims().build(), ROTATED_JWKS), AUD);
        assertThat(rejection(TestJwts.signWithJku(rotated, claims().build(), "https://evil.example/jwks.json")))
                .isEqualTo(Reason.JKU);
        // Without jku the rotated key is not in the configured set.
        assertThat(rejection(TestJwts.sign(rotated, claims().build()))).isEqualTo(Reason.SIGNATURE);
    }

    @Test
    void anUnknownOrMissingKidIsRefused() {
        assertThat(rejection(TestJwts.sign(TestJwts.rsa("nobody"), claims().build())))
                .isEqualTo(Reason.SIGNATURE);
        String noKid = TestJwts.sign(rsa, JWSAlgorithm.RS384, claims().build(), header -> header.keyID(null));
        assertThat(rejection(noKid)).isEqualTo(Reason.KID);
    }

    @Test
    void aTypeOtherThanJwtIsRefused() {
        String typed = TestJwts.sign(
                rsa,
                JWSAlgorithm.RS384,
                claims().build(),
                header -> header.type(new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        assertThat(rejection(typed)).isEqualTo(Reason.TYPE);
    }

    @Test
    void tenantIsCheckedWhenConfigured() throws Exception {
        CdsJwtVerifier verifier = verifier(SecuritySettings.DEFAULT_ALGORITHMS, Set.of("hospital-a"));
        verifier.verify(
                TestJwts.sign(rsa, claims().claim("tenant", "hospital-a").build()), AUD);
        assertThat(rejection(
                        verifier,
                        TestJwts.sign(
                                rsa, claims().claim("tenant", "hospital-b").build()),
                        AUD))
                .isEqualTo(Reason.TENANT);
        assertThat(rejection(verifier, TestJwts.sign(rsa, claims().build()), AUD))
                .isEqualTo(Reason.TENANT);
    }

    @Test
    void junkIsMalformedOrMissing() {
        assertThat(rejection(null)).isEqualTo(Reason.MISSING);
        assertThat(rejection("")).isEqualTo(Reason.MISSING);
        assertThat(rejection("not.a.jwt")).isEqualTo(Reason.MALFORMED);
        assertThat(rejection("a".repeat(20_000))).isEqualTo(Reason.MALFORMED);
        assertThat(rejection("eyJhbGciOiJSUzM4NCJ9.e30")).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void claimsOfTheWrongTypeAreRefused() {
        String token = TestJwts.sign(rsa, claims().claim("tenant", 12).build());
        CdsJwtVerifier verifier = verifier(SecuritySettings.DEFAULT_ALGORITHMS, Set.of("12"));
        assertThat(rejection(verifier, token, AUD)).isEqualTo(Reason.TENANT);
    }

    /**
     * A verifier whose issuer has a file-like configured set holding {@code rsa} and may name {@code jku}
     * = {@link #ROTATED_JWKS}, a set that counts every time it is asked (a fetch) and fails like an
     * unreachable URL.
     */
    private CdsJwtVerifier verifierWithUnreachableJku(java.util.concurrent.atomic.AtomicInteger fetches) {
        CdsJwtVerifier.KeySet file = new CdsJwtVerifier.KeySet(
                "file:///etc/rasguard/ehr-jwks.json", new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK())));
        JWKSource<SecurityContext> unreachable = (selector, context) -> {
            fetches.incrementAndGet();
            throw new com.nimbusds.jose.KeySourceException("connection refused");
        };
        CdsJwtVerifier.KeySet remote = new CdsJwtVerifier.KeySet(ROTATED_JWKS, unreachable);
        return new CdsJwtVerifier(
                Map.of(ISS, new CdsJwtVerifier.IssuerKeys(file, Map.of(ROTATED_JWKS, remote))),
                SecuritySettings.DEFAULT_ALGORITHMS,
                Set.of(),
                replay,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aListedJkuIsVerifiedAgainstTheConfiguredCopyOfflineWhenItHoldsTheKey() throws Exception {
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        CdsJwtVerifier verifier = verifierWithUnreachableJku(fetches);
        assertThat(verifier.verify(TestJwts.signWithJku(rsa, claims().build(), ROTATED_JWKS), AUD)
                        .issuer())
                .isEqualTo(ISS);
        assertThat(fetches).as("the jku URL was never fetched").hasValue(0);
    }

    @Test
    void aForgedSignatureUnderAKidOfTheCopyFailsAgainstTheCopyAndNamesIt() {
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        RSAKey impostor = TestJwts.rsa(rsa.getKeyID()); // the same kid, another key
        String token = TestJwts.signWithJku(impostor, claims().build(), ROTATED_JWKS);
        assertThatThrownBy(() -> verifierWithUnreachableJku(fetches).verify(token, AUD))
                .isInstanceOfSatisfying(TokenRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE);
                    assertThat(e.keySet()).isEqualTo(ISS + " key set file:///etc/rasguard/ehr-jwks.json");
                });
        assertThat(fetches)
                .as("a kid the copy holds is never looked up elsewhere")
                .hasValue(0);
    }

    @Test
    void aKidTheCopyLacksIsFetchedFromTheListedJkuAndAFailureNamesThatUrl() {
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        String token = TestJwts.signWithJku(rotated, claims().build(), ROTATED_JWKS);
        assertThatThrownBy(() -> verifierWithUnreachableJku(fetches).verify(token, AUD))
                .isInstanceOfSatisfying(TokenRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE);
                    assertThat(e.keySet())
                            .isEqualTo(ISS + " key set " + ROTATED_JWKS)
                            .doesNotContain(token);
                });
        assertThat(fetches).hasPositiveValue();
    }
}

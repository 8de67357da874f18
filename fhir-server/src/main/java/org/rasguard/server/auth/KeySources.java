package org.rasguard.server.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;

/**
 * Where public keys come from: a {@code file:} URL is read once at start (a static key set; rotate by
 * editing the file and restarting), an http(s) URL is fetched by nimbus-jose-jwt's
 * {@link JWKSourceBuilder}: cached for {@link #CACHE_TTL}, fetched again when a token names a
 * {@code kid} the cache does not hold (key rotation), at most twice per {@link #RATE_LIMIT} so that
 * tokens with made-up {@code kid}s cannot make us hammer the issuer, with hard timeouts and a size cap.
 * Private key material in a set is dropped: only public keys are ever used.
 */
public final class KeySources {

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration RATE_LIMIT = Duration.ofSeconds(30);
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 3_000;
    static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private KeySources() {}

    public static JWKSource<SecurityContext> of(URI url) {
        if ("file".equalsIgnoreCase(url.getScheme())) {
            try {
                return new ImmutableJWKSet<>(JWKSet.load(Path.of(url).toFile()).toPublicJWKSet());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ParseException e) {
                throw new IllegalArgumentException("Not a JWK set: " + url, e);
            }
        }
        DefaultResourceRetriever retriever =
                new DefaultResourceRetriever(CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES, true);
        try {
            return JWKSourceBuilder.<SecurityContext>create(url.toURL(), retriever)
                    .cache(CACHE_TTL.toMillis(), READ_TIMEOUT_MILLIS + CONNECT_TIMEOUT_MILLIS)
                    .refreshAheadCache(false)
                    .rateLimited(RATE_LIMIT.toMillis())
                    .retrying(false)
                    .outageTolerant(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Not a URL: " + url, e);
        }
    }
}

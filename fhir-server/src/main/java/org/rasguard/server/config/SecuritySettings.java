package org.rasguard.server.config;

import static org.rasguard.server.config.Env.list;
import static org.rasguard.server.config.Env.value;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The security settings of the server ({@code RASGUARD_AUTH}, {@code RASGUARD_CDS_ISSUERS}, …), read
 * and checked with the rest of {@link org.rasguard.server.config.ServerConfig}. Also holds the start-up rule:
 * a server that listens on anything but loopback must authenticate both the CDS service and the FHIR
 * API, unless the operator says {@code RASGUARD_AUTH=disabled}.
 *
 * @param authDisabled {@code RASGUARD_AUTH=disabled}: nothing is authenticated, wherever the server listens
 * @param publicBaseUrl the server's URL as its clients call it (no trailing slash), or null to take it
 *     from each request; JWT audiences are checked against it
 * @param cdsIssuers the CDS clients whose JWTs are accepted, by {@code iss}; empty: the CDS service is open
 * @param cdsTenants accepted {@code tenant} claims; empty: not checked
 * @param algorithms the accepted JWS algorithms (never {@code none}, never HMAC)
 * @param fhirIssuer the OAuth2 issuer of FHIR API access tokens, or null: the FHIR API is open
 * @param fhirJwks the key set of {@code fhirIssuer}
 * @param fhirAudience the {@code aud} FHIR access tokens must carry, or null for the FHIR base URL
 * @param rateLimitPerSecond requests per second allowed per client address; 0 for no limit
 * @param fhirMaxTokenLifetime the longest an accepted FHIR access token may still live ({@code exp} ahead of now)
 * @param allowedHosts the host names ({@code Host} header, without port, lower case) the server answers to;
 *     empty: any. See {@link #allowedHosts(List, String, boolean)}
 */
public record SecuritySettings(
        boolean authDisabled,
        String publicBaseUrl,
        Map<String, CdsIssuer> cdsIssuers,
        Set<String> cdsTenants,
        Set<JWSAlgorithm> algorithms,
        String fhirIssuer,
        URI fhirJwks,
        String fhirAudience,
        int rateLimitPerSecond,
        java.time.Duration fhirMaxTokenLifetime,
        Set<String> allowedHosts) {

    /** The variables read here, in README order. */
    public static final List<String> VARIABLES = List.of(
            "RASGUARD_AUTH",
            "RASGUARD_PUBLIC_BASE_URL",
            "RASGUARD_CDS_ISSUERS",
            "RASGUARD_CDS_TENANTS",
            "RASGUARD_JWT_ALGORITHMS",
            "RASGUARD_FHIR_ISSUER",
            "RASGUARD_FHIR_JWKS",
            "RASGUARD_FHIR_AUDIENCE",
            "RASGUARD_RATE_LIMIT_PER_SECOND",
            "RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS",
            "RASGUARD_ALLOWED_HOSTS");

    /** Host names a browser only sends for this machine: never the name an attacker's DNS rebinding uses. */
    public static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** The CDS tokens' cap ({@link CdsJwtVerifier#MAX_LIFETIME}) unless configured otherwise. */
    static final long DEFAULT_FHIR_MAX_TOKEN_LIFETIME_SECONDS = 3600;

    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final Set<JWSAlgorithm> SELECTABLE_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    static final int DEFAULT_RATE_LIMIT = 200;

    /**
     * One CDS client (an EHR) that may call the service.
     *
     * @param issuer its {@code iss}
     * @param jwks where its public keys are (https, {@code file:}, or http on loopback for local use)
     * @param allowedJku the key-set URLs a token may name in its {@code jku} header: {@code jwks} and
     *     any further ones configured for this issuer
     */
    public record CdsIssuer(String issuer, URI jwks, List<URI> allowedJku) {}

    /** Whether calls to {@code /cds-services} need a CDS client JWT. */
    public boolean cdsAuthRequired() {
        return !authDisabled && !cdsIssuers.isEmpty();
    }

    /** Whether the FHIR API needs an OAuth2 bearer token. */
    public boolean fhirAuthRequired() {
        return !authDisabled && fhirIssuer != null;
    }

    /** An open server: the defaults, for tests of other parts. */
    public static SecuritySettings open() {
        return new SecuritySettings(
                false,
                null,
                Map.of(),
                Set.of(),
                DEFAULT_ALGORITHMS,
                null,
                null,
                null,
                0,
                java.time.Duration.ofSeconds(DEFAULT_FHIR_MAX_TOKEN_LIFETIME_SECONDS),
                LOOPBACK_HOSTS);
    }

    /** Reads and checks the settings; adds every problem found to {@code problems}. */
    public static SecuritySettings from(Function<String, String> env, String host, List<String> problems) {
        String auth = value(env, "RASGUARD_AUTH", "enabled").toLowerCase(Locale.ROOT);
        if (!auth.equals("enabled") && !auth.equals("disabled")) {
            problems.add("RASGUARD_AUTH='" + auth + "' is not enabled or disabled");
        }
        boolean disabled = auth.equals("disabled");

        String publicBaseUrl = value(env, "RASGUARD_PUBLIC_BASE_URL", null);
        if (publicBaseUrl != null) {
            while (publicBaseUrl.endsWith("/")) {
                publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
            }
            URI uri = uri(publicBaseUrl);
            if (uri == null
                    || !("http".equals(lower(uri.getScheme())) || "https".equals(lower(uri.getScheme())))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                problems.add("RASGUARD_PUBLIC_BASE_URL='" + publicBaseUrl
                        + "' is not an http(s) URL without query or fragment");
            }
        }

        Map<String, CdsIssuer> issuers = cdsIssuers(value(env, "RASGUARD_CDS_ISSUERS", ""), problems);
        Set<String> tenants = new LinkedHashSet<>(list(env, "RASGUARD_CDS_TENANTS"));
        Set<JWSAlgorithm> algorithms = algorithms(env, problems);

        String fhirIssuer = value(env, "RASGUARD_FHIR_ISSUER", null);
        String fhirJwksRaw = value(env, "RASGUARD_FHIR_JWKS", null);
        URI fhirJwks = null;
        if ((fhirIssuer == null) != (fhirJwksRaw == null)) {
            problems.add("RASGUARD_FHIR_ISSUER and RASGUARD_FHIR_JWKS go together: set both or neither");
        } else if (fhirJwksRaw != null) {
            fhirJwks = keySetUrl("RASGUARD_FHIR_JWKS", fhirJwksRaw, problems);
        }
        String fhirAudience = value(env, "RASGUARD_FHIR_AUDIENCE", null);

        int rateLimit = DEFAULT_RATE_LIMIT;
        String rawRate = value(env, "RASGUARD_RATE_LIMIT_PER_SECOND", null);
        if (rawRate != null) {
            try {
                rateLimit = Integer.parseInt(rawRate);
                if (rateLimit < 0 || rateLimit > 1_000_000) {
                    problems.add("RASGUARD_RATE_LIMIT_PER_SECOND=" + rawRate
                            + " is out of range (0..1000000; 0 = no limit)");
                }
            } catch (NumberFormatException e) {
                problems.add("RASGUARD_RATE_LIMIT_PER_SECOND='" + rawRate + "' is not a whole number");
            }
        }

        long lifetime = DEFAULT_FHIR_MAX_TOKEN_LIFETIME_SECONDS;
        String rawLifetime = value(env, "RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS", null);
        if (rawLifetime != null) {
            try {
                lifetime = Long.parseLong(rawLifetime);
                if (lifetime < 60 || lifetime > 86_400) {
                    problems.add(
                            "RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS=" + rawLifetime + " is out of range (60..86400)");
                }
            } catch (NumberFormatException e) {
                problems.add("RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS='" + rawLifetime + "' is not a whole number");
            }
        }
        List<String> hosts = list(env, "RASGUARD_ALLOWED_HOSTS");
        for (String allowed : hosts) {
            if (!allowed.matches("(?i)[a-z0-9.-]+|\\[[0-9a-f:.]+\\]")) {
                problems.add(
                        "RASGUARD_ALLOWED_HOSTS: '" + allowed + "' is not a host name or address (no scheme, no port)");
            }
        }
        boolean authenticated = !disabled && !issuers.isEmpty() && fhirIssuer != null;

        if (disabled && (!issuers.isEmpty() || fhirIssuer != null)) {
            problems.add(
                    "RASGUARD_AUTH=disabled contradicts RASGUARD_CDS_ISSUERS / RASGUARD_FHIR_ISSUER: remove one or the other");
        }
        if (!disabled && !isLoopback(host) && (issuers.isEmpty() || fhirIssuer == null)) {
            List<String> missing = new ArrayList<>();
            if (issuers.isEmpty()) {
                missing.add("RASGUARD_CDS_ISSUERS");
            }
            if (fhirIssuer == null) {
                missing.add("RASGUARD_FHIR_ISSUER and RASGUARD_FHIR_JWKS");
            }
            problems.add("RASGUARD_HOST=" + host + " is not a loopback address, and the server does not serve other"
                    + " networks without authentication: set " + String.join(" and ", missing)
                    + " (README, Security), or RASGUARD_AUTH=disabled to run without it at your own risk");
        }
        return new SecuritySettings(
                disabled,
                publicBaseUrl,
                Map.copyOf(issuers),
                Set.copyOf(tenants),
                Set.copyOf(algorithms),
                fhirIssuer,
                fhirJwks,
                fhirAudience,
                rateLimit,
                java.time.Duration.ofSeconds(lifetime),
                allowedHosts(hosts, publicBaseUrl, authenticated));
    }

    /**
     * The Host names served (issue 16, row 7: DNS rebinding). A browser on the operator's machine that
     * opens an attacker's page can be made to send requests to this server under the attacker's host
     * name; refusing unknown names keeps that page from the data. Loopback names are always served;
     * {@code RASGUARD_ALLOWED_HOSTS} and the host of {@code RASGUARD_PUBLIC_BASE_URL} when set; without
     * them, any name only when both the CDS service and the FHIR API authenticate every call.
     *
     * @return lower-case names; empty for any
     */
    static Set<String> allowedHosts(List<String> configured, String publicBaseUrl, boolean authenticated) {
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK_HOSTS);
        configured.forEach(host -> hosts.add(host.toLowerCase(Locale.ROOT)));
        URI base = publicBaseUrl == null ? null : uri(publicBaseUrl);
        if (base != null && base.getHost() != null) {
            hosts.add(base.getHost().toLowerCase(Locale.ROOT));
        }
        if (authenticated && configured.isEmpty() && base == null) {
            return Set.of();
        }
        return Set.copyOf(hosts);
    }

    /** {@code iss=url[|url…]} entries separated by commas; the first URL is the key set, all are allowed as jku. */
    private static Map<String, CdsIssuer> cdsIssuers(String raw, List<String> problems) {
        Map<String, CdsIssuer> issuers = new LinkedHashMap<>();
        for (String entry : raw.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1) {
                problems.add("RASGUARD_CDS_ISSUERS: '" + trimmed + "' is not issuer=JWKS-URL");
                continue;
            }
            String issuer = trimmed.substring(0, equals).trim();
            List<URI> urls = new ArrayList<>();
            for (String url : trimmed.substring(equals + 1).split("\\|")) {
                URI checked = keySetUrl("RASGUARD_CDS_ISSUERS", url.trim(), problems);
                if (checked != null) {
                    urls.add(checked);
                }
            }
            if (urls.isEmpty()) {
                continue;
            }
            if (issuers.putIfAbsent(issuer, new CdsIssuer(issuer, urls.get(0), List.copyOf(urls))) != null) {
                problems.add("RASGUARD_CDS_ISSUERS: issuer '" + issuer + "' is listed twice");
            }
        }
        return issuers;
    }

    /** A key-set URL: https, a readable {@code file:} JWK set, or http to a loopback host (local use). */
    private static URI keySetUrl(String variable, String raw, List<String> problems) {
        URI uri = uri(raw);
        String scheme = uri == null ? null : lower(uri.getScheme());
        if (uri == null || scheme == null) {
            problems.add(variable + ": '" + raw + "' is not a URL (https:, or file: for a static key set)");
            return null;
        }
        switch (scheme) {
            case "https" -> {
                if (uri.getHost() == null) {
                    problems.add(variable + ": '" + raw + "' has no host");
                    return null;
                }
            }
            case "http" -> {
                if (uri.getHost() == null || !isLoopback(uri.getHost())) {
                    problems.add(variable + ": '" + raw
                            + "' must be https (http only to a loopback address, for local use)");
                    return null;
                }
            }
            case "file" -> {
                try {
                    JWKSet set = JWKSet.load(Path.of(uri).toFile());
                    if (set.getKeys().isEmpty()) {
                        problems.add(variable + ": " + raw + " holds no keys");
                    }
                } catch (IOException | ParseException | IllegalArgumentException e) {
                    problems.add(variable + ": " + raw + " is not a readable JWK set ("
                            + e.getClass().getSimpleName() + ")");
                    return null;
                }
            }
            default -> {
                problems.add(variable + ": '" + raw + "' must be https: or file:");
                return null;
            }
        }
        return uri;
    }

    private static Set<JWSAlgorithm> algorithms(Function<String, String> env, List<String> problems) {
        List<String> names = list(env, "RASGUARD_JWT_ALGORITHMS");
        if (names.isEmpty()) {
            return DEFAULT_ALGORITHMS;
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.toUpperCase(Locale.ROOT));
            if (SELECTABLE_ALGORITHMS.contains(algorithm)) {
                algorithms.add(algorithm);
            } else {
                problems.add(
                        "RASGUARD_JWT_ALGORITHMS: '" + name + "' is not accepted (choose among RS256, RS384, RS512,"
                                + " PS256, PS384, PS512, ES256, ES384, ES512; none and HMAC never are)");
            }
        }
        return algorithms;
    }

    /** Whether a host name or address is loopback; an unresolvable one is not. */
    public static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bare);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static URI uri(String raw) {
        try {
            return new URI(raw);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}

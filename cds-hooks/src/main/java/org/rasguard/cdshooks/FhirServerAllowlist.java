package org.rasguard.cdshooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client FHIR servers this service may call ({@code RASGUARD_CDS_FHIR_SERVERS}). A request's
 * {@code fhirServer} is called only when it equals an entry (scheme and host case-insensitive, a
 * trailing slash ignored); anything else, including a different path or port, is never connected to,
 * so a caller cannot make the service send a token or a query to a server of its choosing.
 *
 * <p>Entries are https unless written explicitly as {@code http://}; an entry without a scheme is
 * https. Empty (the default): never call out.
 */
public final class FhirServerAllowlist {

    private final Set<String> bases;

    private FhirServerAllowlist(Set<String> bases) {
        this.bases = Set.copyOf(bases);
    }

    public static FhirServerAllowlist none() {
        return new FhirServerAllowlist(Set.of());
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not an http(s) base URL
     */
    public static FhirServerAllowlist of(List<String> entries) {
        Set<String> bases = new LinkedHashSet<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed;
            bases.add(normalize(withScheme)
                    .orElseThrow(() -> new IllegalArgumentException("'" + trimmed + "' is not an http(s) base URL")));
        }
        return new FhirServerAllowlist(bases);
    }

    public boolean allows(String fhirServer) {
        return fhirServer != null && normalize(fhirServer).map(bases::contains).orElse(false);
    }

    /**
     * Whether {@code url} is one of the entries or lies under one ({@code https://ehr.example/hooks} allows
     * {@code https://ehr.example/hooks/rasguard}, not {@code https://ehr.example/hooks-other} nor
     * {@code https://ehr.example/hooks/../admin}): for entries that are URL prefixes, such as the
     * Subscription endpoints of {@code RASGUARD_SUBSCRIPTION_ENDPOINTS}. The same rules as {@link #allows}
     * (scheme, host, port; no user info, query or fragment), and a path with dot segments, an encoded slash,
     * dot or backslash, or a backslash is never allowed: it could mean another path to the receiving server.
     */
    public boolean allowsUnder(String url) {
        if (url == null || url.contains("\\")) {
            return false;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        // Encoded dots, slashes and backslashes, an encoded percent (%252e is a dot after a second decoding)
        // and path parameters (;jsessionid=…, which some servers strip before routing) are refused outright.
        if (lower.contains("%2e")
                || lower.contains("%2f")
                || lower.contains("%5c")
                || lower.contains("%25")
                || url.contains(";")) {
            return false;
        }
        java.util.Optional<String> normalized = normalize(url);
        if (normalized.isEmpty()) {
            return false;
        }
        String candidate = normalized.get();
        String path = URI.create(candidate).getRawPath();
        if (path != null
                && java.util.Arrays.stream(path.split("/"))
                        .anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
            return false;
        }
        return bases.stream().anyMatch(base -> candidate.equals(base) || candidate.startsWith(base + "/"));
    }

    public boolean isEmpty() {
        return bases.isEmpty();
    }

    static java.util.Optional<String> normalize(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("https".equals(scheme) || "http".equals(scheme))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return java.util.Optional.empty();
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            return java.util.Optional.of(
                    scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }
}

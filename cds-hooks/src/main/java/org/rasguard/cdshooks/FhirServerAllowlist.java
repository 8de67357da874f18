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

    public boolean isEmpty() {
        return bases.isEmpty();
    }

    static java.util.Optional<String> normalize(String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("https".equals(scheme) || "http".equals(scheme)) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return java.util.Optional.empty();
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            return java.util.Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (defaultPort ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }
}

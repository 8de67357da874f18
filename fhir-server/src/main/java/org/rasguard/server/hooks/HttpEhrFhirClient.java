package org.rasguard.server.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.cdshooks.EhrFetch;
import org.rasguard.cdshooks.EhrFhirClient;
import org.rasguard.cdshooks.EhrServer;
import org.rasguard.cdshooks.SearchCompleteness;

/**
 * Reads from a CDS client's FHIR server with {@link HttpClient}: bearer token, FHIR JSON, a hard
 * timeout per request, no redirects (a redirect could carry the token elsewhere), {@code next} links
 * followed only under the server's base URL as the server will resolve them ({@link #underBase}) and at
 * most {@link #MAX_PAGES} pages. Never logs a URL,
 * a token or a body.
 */
final class HttpEhrFhirClient implements EhrFhirClient {

    static final int MAX_PAGES = 20;
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private final HttpClient http;
    private final FhirContext fhir;
    private final Duration requestTimeout;

    HttpEhrFhirClient(FhirContext fhir, Duration connectTimeout, Duration requestTimeout) {
        this.fhir = fhir;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public CompletableFuture<EhrFetch> get(EhrServer server, String relativeOrAbsoluteUrl) {
        String url = relativeOrAbsoluteUrl.contains("://")
                ? relativeOrAbsoluteUrl
                : server.baseUrl() + "/" + relativeOrAbsoluteUrl;
        URI checked = underBase(server.baseUrl(), url);
        if (checked == null) {
            return CompletableFuture.completedFuture(new EhrFetch.Failed("link outside the FHIR server"));
        }
        return page(server, checked, new ArrayList<>(), 1, new int[] {0}, null)
                .exceptionally(e -> new EhrFetch.Failed(
                        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause().getClass().getSimpleName()
                                : e.getClass().getSimpleName()));
    }

    /**
     * One page of a read or search; {@code matches} counts the search's matches so far and {@code total}
     * is what its first page announced, both handed to the caller, which judges completeness
     * ({@link SearchCompleteness}).
     */
    private CompletableFuture<EhrFetch> page(
            EhrServer server, URI url, List<Resource> sofar, int pageNumber, int[] matches, Integer total) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(requestTimeout)
                    .header("Accept", "application/fhir+json")
                    .GET();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new EhrFetch.Failed("bad URL"));
        }
        if (server.accessToken() != null) {
            request.header("Authorization", "Bearer " + server.accessToken());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenCompose(response -> {
                    int status = response.statusCode();
                    if (status == 404 || status == 410) {
                        return CompletableFuture.completedFuture(
                                pageNumber == 1 ? new EhrFetch.NotFound() : new EhrFetch.Failed("HTTP " + status));
                    }
                    if (status < 200 || status > 299) {
                        return CompletableFuture.completedFuture(new EhrFetch.Failed("HTTP " + status));
                    }
                    if (response.body().length > MAX_BODY_BYTES) {
                        return CompletableFuture.completedFuture(new EhrFetch.Failed("answer too large"));
                    }
                    Resource resource;
                    try {
                        resource = (Resource) fhir.newJsonParser()
                                .setParserErrorHandler(new LenientErrorHandler(false))
                                .parseResource(new String(response.body(), StandardCharsets.UTF_8));
                    } catch (DataFormatException | ClassCastException e) {
                        return CompletableFuture.completedFuture(new EhrFetch.Failed("not FHIR JSON"));
                    }
                    if (resource instanceof OperationOutcome) {
                        return CompletableFuture.completedFuture(new EhrFetch.Failed("OperationOutcome"));
                    }
                    if (!(resource instanceof Bundle bundle)) {
                        sofar.add(resource);
                        return CompletableFuture.completedFuture(new EhrFetch.Found(sofar));
                    }
                    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                        if (entry.hasResource() && !(entry.getResource() instanceof OperationOutcome)) {
                            sofar.add(entry.getResource());
                        }
                    }
                    matches[0] += SearchCompleteness.matches(bundle);
                    Integer announced = total != null ? total : SearchCompleteness.announcedTotal(bundle);
                    Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
                    if (next == null || !next.hasUrl()) {
                        return CompletableFuture.completedFuture(new EhrFetch.Found(sofar, announced, matches[0]));
                    }
                    if (pageNumber >= MAX_PAGES) {
                        return CompletableFuture.completedFuture(
                                new EhrFetch.Failed("more than " + MAX_PAGES + " pages"));
                    }
                    URI nextUrl = underBase(server.baseUrl(), next.getUrl());
                    if (nextUrl == null) {
                        return CompletableFuture.completedFuture(
                                new EhrFetch.Failed("next link outside the FHIR server"));
                    }
                    return page(server, nextUrl, sofar, pageNumber + 1, matches, announced);
                });
    }

    /**
     * The URL to send, when it is under the allowed base ({@code base/…} or {@code base?…}); else null,
     * and the token goes nowhere. The check is made on the URL the EHR (or a proxy in front of it) will
     * resolve: percent-encoded unreserved characters are decoded first (RFC 3986 §6.2.2.2, so
     * {@code %2e%2e} is {@code ..}), then dot segments removed (§5.2.4), and that normalized URL is the
     * one sent. Refused outright: an encoded slash or backslash ({@code %2f}, {@code %5c}), a double
     * encoding ({@code %25}), path parameters ({@code ..;/}), a backslash, user info, a scheme other
     * than http(s).
     */
    static URI underBase(String base, String url) {
        URI target;
        URI allowed;
        try {
            target = resolvable(new URI(url));
            allowed = resolvable(new URI(base));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        if (target == null
                || allowed == null
                || !target.getScheme().equalsIgnoreCase(allowed.getScheme())
                || !target.getHost().equalsIgnoreCase(allowed.getHost())
                || port(target) != port(allowed)) {
            return null;
        }
        String basePath = allowed.getRawPath().replaceAll("/+$", "");
        String path = target.getRawPath();
        boolean under = path.startsWith(basePath + "/") || (path.equals(basePath) && target.getRawQuery() != null);
        return under ? target : null;
    }

    private static final Pattern REFUSED_IN_PATH = Pattern.compile("(?i)%2f|%5c|%25|%00|\\\\|;");
    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");

    /** The URL with unreserved escapes decoded and dot segments removed; null when it may not be sent at all. */
    private static URI resolvable(URI uri) throws URISyntaxException {
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || uri.getRawUserInfo() != null
                || uri.getHost() == null) {
            return null;
        }
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (REFUSED_IN_PATH.matcher(rawPath).find()) {
            return null;
        }
        Matcher escape = ESCAPE.matcher(rawPath);
        StringBuilder decoded = new StringBuilder();
        while (escape.find()) {
            char c = (char) Integer.parseInt(escape.group(1), 16);
            boolean unreserved =
                    Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~';
            escape.appendReplacement(
                    decoded,
                    Matcher.quoteReplacement(
                            unreserved ? String.valueOf(c) : escape.group().toUpperCase(Locale.ROOT)));
        }
        escape.appendTail(decoded);
        URI normalized = new URI(scheme.toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + decoded
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .normalize();
        // A path that climbs above the root ("/../x") is left with its ".." by normalize(): not ours to send.
        return normalized.getRawPath().startsWith("/..") ? null : normalized;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}

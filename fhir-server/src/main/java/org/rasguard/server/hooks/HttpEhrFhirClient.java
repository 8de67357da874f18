package org.rasguard.server.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.hooks.EhrFetch;
import org.rasguard.hooks.EhrFhirClient;
import org.rasguard.hooks.EhrServer;

/**
 * Reads from a CDS client's FHIR server with {@link HttpClient}: bearer token, FHIR JSON, a hard
 * timeout per request, no redirects (a redirect could carry the token elsewhere), {@code next} links
 * followed only under the server's base URL and at most {@link #MAX_PAGES} pages. Never logs a URL,
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
        if (!underBase(server, url)) {
            return CompletableFuture.completedFuture(new EhrFetch.Failed("link outside the FHIR server"));
        }
        return page(server, url, new ArrayList<>(), 1)
                .exceptionally(e -> new EhrFetch.Failed(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName()));
    }

    private CompletableFuture<EhrFetch> page(EhrServer server, String url, List<Resource> sofar, int pageNumber) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                    .header("Accept", "application/fhir+json").GET();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new EhrFetch.Failed("bad URL"));
        }
        if (server.accessToken() != null) {
            request.header("Authorization", "Bearer " + server.accessToken());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenCompose(response -> {
            int status = response.statusCode();
            if (status == 404 || status == 410) {
                return CompletableFuture.completedFuture(pageNumber == 1 ? new EhrFetch.NotFound() : new EhrFetch.Failed("HTTP " + status));
            }
            if (status < 200 || status > 299) {
                return CompletableFuture.completedFuture(new EhrFetch.Failed("HTTP " + status));
            }
            if (response.body().length > MAX_BODY_BYTES) {
                return CompletableFuture.completedFuture(new EhrFetch.Failed("answer too large"));
            }
            Resource resource;
            try {
                resource = (Resource) fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false))
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
            Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
            if (next == null || !next.hasUrl()) {
                return CompletableFuture.completedFuture(new EhrFetch.Found(sofar));
            }
            if (pageNumber >= MAX_PAGES) {
                return CompletableFuture.completedFuture(new EhrFetch.Failed("more than " + MAX_PAGES + " pages"));
            }
            if (!underBase(server, next.getUrl())) {
                return CompletableFuture.completedFuture(new EhrFetch.Failed("next link outside the FHIR server"));
            }
            return page(server, next.getUrl(), sofar, pageNumber + 1);
        });
    }

    /** Only URLs under the allowed base get the token: {@code base/…} or {@code base?…}. */
    static boolean underBase(EhrServer server, String url) {
        String base = server.baseUrl();
        String normalized;
        try {
            URI uri = URI.create(url).normalize();
            if (uri.getRawUserInfo() != null) {
                return false;
            }
            normalized = uri.toString();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return normalized.startsWith(base + "/") || normalized.startsWith(base + "?");
    }
}

package org.rasguard.server.it;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Plain HTTP calls against a running server, with the FHIR JSON parser for reading answers. */
public final class Http {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {}

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public <T extends IBaseResource> T resource(Class<T> type) {
            return FHIR.newJsonParser().parseResource(type, body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .GET());
    }

    public static Response post(String url, String body) {
        return post(url, body, "application/fhir+json");
    }

    public static Response post(String url, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public static Response put(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public static Response delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
    }

    public static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(
                    request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String encode(IBaseResource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    public static String urlEncode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package org.rasguard.server.ui;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves the clinician page: {@code /} (the HTML), the few static files under {@code /ui/} and the
 * drug list {@code /ui/api/drugs}, all from the jar (nothing from any other origin).
 *
 * <p>Every answer carries a strict Content-Security-Policy (only this origin; no inline script or
 * style; no framing), {@code nosniff}, no referrer, and {@code Cache-Control: no-cache} with an
 * ETag, so a browser revalidates cheaply and never runs a stale script after an upgrade. Anything
 * else under {@code /ui/} is a 404 OperationOutcome, any method but GET/HEAD a 405.
 */
public final class ClinicianPageServlet extends HttpServlet {

    /** No origin but this one, for anything; no inline code; no plugins, no base or framing tricks. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private record Asset(byte[] body, String contentType, String etag) {}

    private final transient Map<String, Asset> assets;

    ClinicianPageServlet(String drugsJson) {
        Map<String, Asset> map = new LinkedHashMap<>();
        map.put("/", asset(resource("index.html"), "text/html;charset=utf-8"));
        map.put("/ui/app.css", asset(resource("app.css"), "text/css;charset=utf-8"));
        map.put("/ui/app.js", asset(resource("app.js"), "text/javascript;charset=utf-8"));
        map.put("/ui/cds-client.js", asset(resource("cds-client.js"), "text/javascript;charset=utf-8"));
        map.put("/ui/markdown.js", asset(resource("markdown.js"), "text/javascript;charset=utf-8"));
        Asset icon = asset(resource("favicon.svg"), "image/svg+xml");
        map.put("/ui/favicon.svg", icon);
        map.put("/favicon.ico", icon); // browsers ask for it whatever the page says
        map.put("/ui/api/drugs", asset(drugsJson.getBytes(StandardCharsets.UTF_8), "application/json;charset=utf-8"));
        this.assets = Map.copyOf(map);
    }

    /** The paths served, for the mapping in {@link ClinicianPage}. */
    java.util.Set<String> paths() {
        return assets.keySet();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Asset asset = assets.get(request.getRequestURI());
        if (asset == null) {
            response.sendError(404);
            return;
        }
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", asset.etag());
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType(asset.contentType());
        response.setContentLength(asset.body().length);
        response.getOutputStream().write(asset.body());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        notAllowed(response);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        notAllowed(response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        notAllowed(response);
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", "GET, HEAD, OPTIONS");
        response.setStatus(204);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws jakarta.servlet.ServletException, IOException {
        if (request.getMethod().equals("PATCH")) {
            notAllowed(response);
            return;
        }
        super.service(request, response);
    }

    private static void notAllowed(HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "GET, HEAD, OPTIONS");
        response.sendError(405);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ClinicianPageServlet.class.getClassLoader().getResourceAsStream("ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("ui/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(byte[] body, String contentType) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(body, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

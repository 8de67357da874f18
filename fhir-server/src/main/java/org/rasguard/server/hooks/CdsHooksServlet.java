package org.rasguard.server.hooks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rasguard.cdshooks.CdsError;
import org.rasguard.cdshooks.CdsHooksService;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.http.Correlation;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.MediaTypes;
import org.rasguard.server.http.Refusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationContext;

/**
 * The HTTP edge of the CDS Hooks service, thin on purpose: routing, status codes and
 * OperationOutcome error bodies. Everything else is {@link CdsHooksService} (module cds-hooks).
 *
 * <ul>
 *   <li>{@code GET /cds-services}: discovery
 *   <li>{@code POST /cds-services/{id}}: a call; 200 cards, 400 bad request, 404 unknown service, 412 data unobtainable
 *   <li>{@code POST /cds-services/{id}/feedback}: feedback, stored as AuditEvents
 *   <li>every decided call: counted in the metrics and recorded as an AuditEvent ({@link DecisionRecorder});
 *       its hookInstance becomes the request's correlation id
 *   <li>{@code OPTIONS}: 204 with {@code Allow}; CORS (preflights included) is answered in front of every
 *       servlet, for {@code /fhir} too ({@link org.rasguard.server.http.CrossOrigin})
 * </ul>
 *
 * Never logs a body, a token or a patient id: failures are logged by error code and exception class.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/">CDS Hooks 2.0</a>
 */
public final class CdsHooksServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(CdsHooksServlet.class);
    private static final String JSON = "application/json;charset=utf-8";

    private final transient CdsHooksService service;
    private final String publicBaseUrl;

    /** @param publicBaseUrl {@code RASGUARD_PUBLIC_BASE_URL}, or null to take our FHIR base from each request */
    CdsHooksServlet(CdsHooksService service, String publicBaseUrl) {
        this.service = service;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** The servlet over the service {@link CdsHooksConfig} built (one per server). */
    public static CdsHooksServlet create(ApplicationContext context, ServerConfig config) {
        return new CdsHooksServlet(
                context.getBean(CdsHooksService.class), config.security().publicBaseUrl());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            write(response, 200, JSON, service.discovery());
        } else if (CdsServices.byId(segment(path)).isPresent() && path.indexOf('/', 1) < 0) {
            response.setHeader("Allow", "POST, OPTIONS");
            error(response, 405, "not-supported", "method-not-allowed", "A CDS service is called with POST.");
        } else {
            error(response, CdsError.unknownService());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String[] parts = path.substring(1).split("/", -1);
        // Only JSON media types (CDS Hooks 2.0 calls and feedback are application/json): a text/plain or
        // form body is what a cross-site page can post without a CORS preflight (issue 16, row 8).
        if (!MediaTypes.isJson(request.getContentType())) {
            Refusals.record(request, "unsupported-media-type");
            error(response, 415, "not-supported", "unsupported-media-type", "Send the request as application/json.");
            return;
        }
        try {
            byte[] body = request.getInputStream().readAllBytes();
            if (parts.length == 1 && !parts[0].isEmpty()) {
                String answer = service.call(parts[0], body, ownFhirBases(request));
                Correlation.replace(request, response, MDC.get(Correlation.MDC_KEY)); // the hookInstance from here on
                write(response, 200, JSON, answer);
            } else if (parts.length == 2 && parts[1].equals("feedback")) {
                write(response, 200, JSON, service.feedback(parts[0], body));
            } else {
                error(response, CdsError.unknownService());
            }
        } catch (CdsError e) {
            Correlation.replace(request, response, MDC.get(Correlation.MDC_KEY));
            if (e.status() < 500) {
                Refusals.record(request, e.code()); // the request's log line says it
            }
            error(response, e);
        } catch (RuntimeException e) {
            Correlation.replace(request, response, MDC.get(Correlation.MDC_KEY));
            // No stack trace: exception messages from parsers can quote request content.
            LOG.error(
                    "CDS call failed: {} at {}",
                    safeMessage(e),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            error(
                    response,
                    500,
                    "exception",
                    "internal-error",
                    "The service could not answer this call (correlation id " + MDC.get(Correlation.MDC_KEY) + ").");
        }
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", "GET, POST, OPTIONS");
        response.setStatus(204);
    }

    /**
     * This server's FHIR bases: a call naming it as fhirServer uses our patient ids. From
     * RASGUARD_PUBLIC_BASE_URL, else from the address the connection came in on (never the Host
     * header, which a client chooses: it would make any fhirServer "this server").
     */
    private List<String> ownFhirBases(HttpServletRequest request) {
        if (publicBaseUrl != null) {
            return List.of(publicBaseUrl + "/fhir");
        }
        String address = request.getLocalAddr();
        String host = address.contains(":") ? "[" + address + "]" : address;
        String port = ":" + request.getLocalPort() + "/fhir";
        String own = request.getScheme() + "://" + host + port;
        boolean loopback = address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
        return loopback ? List.of(own, request.getScheme() + "://localhost" + port) : List.of(own);
    }

    private static String segment(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    /** Only our own exceptions' messages are known to hold no request data. */
    private static String safeMessage(RuntimeException e) {
        return e instanceof IllegalStateException
                        && e.getMessage() != null
                        && e.getMessage().startsWith("Response breaks")
                ? e.getMessage()
                : e.getClass().getName();
    }

    private static void error(HttpServletResponse response, CdsError e) throws IOException {
        error(response, e.status(), e.issueType(), e.code(), e.getMessage());
    }

    private static void error(HttpServletResponse response, int status, String issueType, String code, String message)
            throws IOException {
        write(response, status, ErrorResponses.FHIR_JSON, ErrorResponses.operationOutcome(issueType, code, message));
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}

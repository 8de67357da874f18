package org.rasguard.server.hooks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.rasguard.server.http.ErrorResponses;

/**
 * The HTTP edge of the CDS Hooks service at {@code /cds-services}. Discovery lists no service yet;
 * the services themselves arrive with the CDS Hooks issue.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#discovery">CDS Hooks 2.0: Discovery</a>
 */
public final class CdsHooksServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            write(response, 200, "application/json", "{\"services\":[]}");
        } else {
            write(response, 404, ErrorResponses.FHIR_JSON,
                    ErrorResponses.operationOutcome("not-found", "unknown-service", "No CDS service with this id."));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        write(response, 404, ErrorResponses.FHIR_JSON,
                ErrorResponses.operationOutcome("not-found", "unknown-service", "No CDS service with this id."));
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}

package org.rasguard.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request body over the configured limit with 413 and an OperationOutcome, whether the
 * client declared its length or streamed it chunked. A body within the limit is buffered once and
 * handed on, which is what HAPI's RestfulServer does anyway.
 */
public final class RequestBodyLimitFilter extends HttpFilter {

    private final long maxBytes;

    public RequestBodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= 2 * maxBytes) {
                // Read what the client is sending anyway, so it hears the 413 rather than a reset connection.
                request.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            tooLarge(response);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        try {
            if (FormBodies.parseIfForm(request)) { // a chunked form: the container's form size limit applies
                chain.doFilter(request, response);
                return;
            }
        } catch (IllegalArgumentException e) {
            tooLarge(response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBytes);
        if (body == null) {
            tooLarge(response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /**
     * The whole stream, or null when it is longer than {@code limit}. An over-long body is still read
     * (and dropped) up to twice the limit, so a client that is still sending gets the 413 instead of
     * a reset connection; past that the connection is closed on it.
     */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(chunk)) != -1) {
            total += read;
            if (total > limit) {
                while (total <= 2 * limit && (read = in.read(chunk)) != -1) {
                    total += read;
                }
                return null;
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }

    private static void tooLarge(HttpServletResponse response) throws IOException {
        response.setStatus(413);
        response.setContentType(ErrorResponses.FHIR_JSON);
        response.setHeader("Connection", "close");
        response.getOutputStream().write(ErrorResponses.forStatus(413, null).getBytes(StandardCharsets.UTF_8));
    }
}

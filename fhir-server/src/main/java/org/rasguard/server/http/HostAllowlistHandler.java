package org.rasguard.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Serves only requests whose {@code Host} names this server (issue 16, row 7: DNS rebinding). A page
 * on {@code attacker.example} whose name the attacker then points at 127.0.0.1 makes the victim's
 * browser talk to a loopback-only server under the attacker's name, past the same-origin policy;
 * checking the name is the defence (the Fetch standard leaves it to servers). Anything else gets
 * 421 Misdirected Request (RFC 9110 15.5.20) with an OperationOutcome.
 *
 * <p>{@code /health} and {@code /metrics} are outside it: orchestrators probe by address, and neither
 * holds patient data.
 */
public final class HostAllowlistHandler extends Handler.Wrapper {

    private static final byte[] REFUSAL = ErrorResponses.operationOutcome(
                    "forbidden", "host-not-allowed", "This server does not answer to that host name.")
            .getBytes(StandardCharsets.UTF_8);

    private final Set<String> allowed;

    /** @param allowed lower-case host names without port; empty: every name */
    public HostAllowlistHandler(Handler next, Set<String> allowed) {
        super(next);
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (allowed.isEmpty() || allowed.contains(host(request))) {
            return super.handle(request, response, callback);
        }
        request.setAttribute(Refusals.CODE_ATTRIBUTE, "host-not-allowed");
        response.setStatus(421);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorResponses.FHIR_JSON);
        response.write(true, BufferUtil.toBuffer(REFUSAL), callback);
        return true;
    }

    /** The Host header's name (IPv6 literals keep their brackets), lower case; the connection's address when absent. */
    static String host(Request request) {
        String host = request.getHttpURI().getHost();
        if (host == null || host.isEmpty()) {
            host = Request.getServerName(request);
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host.toLowerCase(Locale.ROOT);
    }
}

package org.rasguard.server.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One server for the integration suite (one per test JVM: failsafe runs two), started on first use
 * with a fresh data directory and stopped when the JVM exits ({@link PerTestJvm}). Test classes that
 * are not about restarts share it through {@code @ExtendWith(SharedServer.class)} and a
 * {@link ServerProcess} parameter.
 */
public final class SharedServer implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServerProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return PerTestJvm.get("shared-server", ServerProcess.class, SharedServer::startShared);
    }

    private static ServerProcess startShared() {
        try {
            Path dataDir = Files.createTempDirectory("rasguard-it-");
            // The port is chosen up front so the CDS service can be told to read "its EHR" from itself:
            // a CDS call without prefetch then falls back to fhirServer = this server's /fhir.
            int port = freePort();
            Map<String, String> environment = new HashMap<>(TestDatabase.fresh());
            environment.put("RASGUARD_PORT", String.valueOf(port));
            environment.put("RASGUARD_CDS_FHIR_SERVERS", "http://127.0.0.1:" + port + "/fhir");
            // The example patients (ClinicianPageIT); their MRNs (RG-100x) are used by no other test.
            environment.put("RASGUARD_DEMO_DATA", "true");
            return new ServerProcess(dataDir, environment).start();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the shared server", e);
        }
    }

    /** A port free right now (the server binds it a moment later). */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

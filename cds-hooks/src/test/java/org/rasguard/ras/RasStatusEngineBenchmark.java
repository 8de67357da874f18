package org.rasguard.ras;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * How long one assessment takes for a patient with a large panel report: 200 Observations (variants
 * of other genes, implications derived from them, KRAS and NRAS negatives and a KRAS test with its
 * tested-for list) under one DiagnosticReport. Not a test: run {@link #main} by hand, e.g.
 * {@code java -cp target/test-classes:target/classes:<test classpath> org.rasguard.ras.RasStatusEngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RasStatusEngineBenchmark {

    private static final String LOINC = "http://loinc.org";
    private static final int OBSERVATIONS = 200;

    private RasStatusEngine engine;
    private List<IBaseResource> patient;

    @Setup
    public void setUp() {
        engine = new RasStatusEngine(RasCase.VOCABULARY, RasPolicy.defaults());
        patient = patientWith200Observations();
    }

    @Benchmark
    public RasAssessment assessPatientWith200Observations() {
        return engine.assess(patient);
    }

    static List<IBaseResource> patientWith200Observations() {
        List<IBaseResource> resources = new ArrayList<>();
        DiagnosticReport report = new DiagnosticReport();
        report.setId("panel");
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        report.setCode(new CodeableConcept(new Coding(LOINC, "51969-4", "Genetic analysis report")));
        resources.add(report);
        List<Observation> observations = new ArrayList<>();
        observations.add(geneLevelAbsent("kras-neg", "HGNC:6407", "KRAS"));
        observations.add(geneLevelAbsent("nras-neg", "HGNC:7989", "NRAS"));
        Observation krasTest = observation("kras-test", new Coding(LOINC, "21702-6", null));
        krasTest.setValue(new CodeableConcept(new Coding(LOINC, "LA11883-8", "Not detected")));
        krasTest.addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "21703-4", null)))
                .setValue(new StringType(
                        "G12A, G12C, G12D, G12R, G12S, G12V, G13D, A59T, Q61H, Q61K, Q61L, Q61R, K117N, A146T"));
        observations.add(krasTest);
        int variants = 0;
        while (observations.size() < OBSERVATIONS) {
            Observation variant = variant(
                    "v" + variants, "HGNC:" + (1000 + variants), "GENE" + variants, "p.Arg" + (100 + variants) + "His");
            observations.add(variant);
            if (variants % 4 == 0 && observations.size() < OBSERVATIONS) {
                Observation implication = observation(
                        "ti" + variants,
                        new Coding(
                                "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                                "therapeutic-implication",
                                null));
                implication.addDerivedFrom(new Reference("Observation/v" + variants));
                implication
                        .addComponent()
                        .setCode(new CodeableConcept(new Coding(LOINC, "51963-7", null)))
                        .setValue(new CodeableConcept().setText("Cetuximab"));
                implication
                        .addComponent()
                        .setCode(new CodeableConcept(new Coding(
                                "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                                "therapeutic-implication",
                                null)))
                        .setValue(new CodeableConcept(new Coding(LOINC, "LA6677-4", "Responsive")));
                observations.add(implication);
            }
            variants++;
        }
        for (Observation observation : observations) {
            report.addResult(
                    new Reference("Observation/" + observation.getIdElement().getIdPart()));
        }
        resources.addAll(observations);
        return resources;
    }

    private static Observation observation(String id, Coding code) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(code));
        observation.setEffective(new DateTimeType("2024-03-01"));
        return observation;
    }

    private static Observation variant(String id, String hgnc, String symbol, String proteinHgvs) {
        Observation variant = observation(id, new Coding(LOINC, "69548-6", "Genetic variant assessment"));
        variant.setValue(new CodeableConcept(new Coding(LOINC, "LA9633-4", "Present")));
        variant.setMethod(new CodeableConcept(new Coding(LOINC, "LA26398-0", "Sequencing")));
        variant.addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "48018-6", null)))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", hgnc, symbol)));
        variant.addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "48005-3", null)))
                .setValue(new CodeableConcept(new Coding("http://varnomen.hgvs.org", proteinHgvs, null)));
        return variant;
    }

    private static Observation geneLevelAbsent(String id, String hgnc, String symbol) {
        Observation absent = observation(id, new Coding(LOINC, "69548-6", "Genetic variant assessment"));
        absent.setValue(new CodeableConcept(new Coding(LOINC, "LA9634-2", "Absent")));
        absent.setMethod(new CodeableConcept(new Coding(LOINC, "LA26398-0", "Sequencing")));
        absent.addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "48018-6", null)))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", hgnc, symbol)));
        return absent;
    }

    /** Runs the benchmark; JMH command-line options (e.g. {@code -wi 10 -i 10}) override the annotations. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        new Runner(new OptionsBuilder()
                        .parent(new CommandLineOptions(args))
                        .include(RasStatusEngineBenchmark.class.getSimpleName())
                        .build())
                .run();
    }
}

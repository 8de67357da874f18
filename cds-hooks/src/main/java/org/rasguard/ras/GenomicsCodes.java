package org.rasguard.ras;

import java.util.Set;

/**
 * The structural codes of the genomics FHIR shapes: which Observation is a variant, which component
 * holds the gene or the HGVS expression, and the like. They are part of the FHIR shape defined by
 * HL7 Genomics Reporting 3.0.0 (STU3, and the STU2 / STU1 shapes that mCODE 4.0.0 still uses), not
 * a clinical code list, which is why they live here and not in a ValueSet of the knowledge package.
 *
 * @see <a href="https://hl7.org/fhir/uv/genomics-reporting/STU3/sequencing.html">GR 3.0.0 Variant</a>
 * @see <a href="https://hl7.org/fhir/uv/genomics-reporting/STU3/implications.html">GR 3.0.0 implications</a>
 */
final class GenomicsCodes {

    static final String LOINC = "http://loinc.org";
    /** GR "codes to be determined" CodeSystem of the implication profiles. */
    static final String TBD_CODES = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";

    /** Observation.code of the GR Variant profile: "Genetic variant assessment". */
    static final String VARIANT = "69548-6";
    /** Variant value (LL1971-2, required binding): the defined variant was found. */
    static final String PRESENT = "LA9633-4";
    /** Variant value (LL1971-2): the defined variant was not found (a pertinent negative). */
    static final String ABSENT = "LA9634-2";

    /** Component "Gene studied [ID]". */
    static final String GENE_STUDIED = "48018-6";
    /**
     * GR STU2 overall-interpretation Observation (genomics.md §4: code 51968-6, answers LL541-4 Positive,
     * Negative, Inconclusive, Failure; the shape verified against the GR sources).
     */
    static final String OVERALL_INTERPRETATION = "51968-6";
    /** GR copy-number 82155-3 (genomics.md, the STU2/STU3 component list); sent as a result of its own too. */
    static final String COPY_NUMBER = "82155-3";
    /** Component "Sample variant allelic frequency" (genomics.md §4: sample-allelic-frequency). */
    static final String ALLELIC_FREQUENCY = "81258-6";
    /** Component "Transcript reference sequence [ID]" (genomics.md §4: representative-transcript-ref-seq). */
    static final String TRANSCRIPT_REFERENCE = "51958-7";
    /** Components whose value names a change, in HGVS or as text: c.HGVS, p.HGVS, g.HGVS, variation code. */
    static final Set<String> HGVS_COMPONENTS = Set.of("48004-6", "48005-3", "81290-9", "81252-9");
    /**
     * Components that define one particular variant (HGVS, variation code, ISCN, coordinates, alleles).
     * An Absent Variant that carries one of them rules out that variant only, not the gene (GR 3.0.0
     * sequencing.html, "Variant Assessment").
     */
    static final Set<String> VARIANT_DEFINING_COMPONENTS = Set.of(
            "48004-6", "48005-3", "81290-9", "81252-9", "81291-7", "81254-5", "81302-2", "81301-4", "69547-8",
            "69551-0");
    /**
     * Other Variant components (GR 3.0.0 sequencing.html and the STU2 / mCODE variant): locations,
     * reference sequences, alleles, allele frequency and depth, source class, allelic state,
     * change types, significance. An HL7 v2 converter that splits a variant into separate
     * Observations writes them under these codes.
     */
    static final Set<String> VARIANT_DETAIL_COMPONENTS = Set.of(
            "48001-2", "62374-4", "48000-4", "48013-7", "51958-7", "81291-7", "81254-5", "81302-2", "81301-4",
            "92822-6", "69547-8", "69551-0", "48019-4", "48002-0", "81258-6", "82121-5", "53034-5", "94186-4",
            "82155-3", "53037-8", "48006-1");
    /** Observation.code "Master HL7 genetic variant reporting panel", the panel an HL7 v2 genetic result is sent under. */
    static final String V2_VARIANT_PANEL = "81247-9";
    /** Component and (STU1) Observation.code "Genetic variation clinical significance". */
    static final String CLINICAL_SIGNIFICANCE = "53037-8";
    /** Component "Medication assessed" of a therapeutic implication. */
    static final String MEDICATION_ASSESSED = "51963-7";
    /** STU1 Observation.code of a therapeutic implication, with the answer at top level. */
    static final String STU1_THERAPEUTIC_IMPLICATION = "51961-1";
    /** STU2 / mCODE RegionStudied Observation.code "DNA region of interest panel". */
    static final String REGION_STUDIED = "53041-0";

    /** Observation.code of a TherapeuticImplication (STU2, STU3) and name of its answer component (STU3). */
    static final String THERAPEUTIC_IMPLICATION = "therapeutic-implication";
    /** STU2 name of the therapeutic-implication answer component. */
    static final String PREDICTED_THERAPEUTIC_IMPLICATION = "predicted-therapeutic-implication";

    static final String DIAGNOSTIC_IMPLICATION = "diagnostic-implication";

    /** The HGNC system of GR STU2 / STU3, the one our ras-genes ValueSet uses. */
    static final String HGNC = "http://www.genenames.org";
    /**
     * Systems that carry HGNC gene ids (genomics.md §3.1): STU2/STU3 {@code http://www.genenames.org},
     * STU1 {@code .../geneId} (with and without www), the HGNC OID, and the same URLs written with
     * https or without www, as senders copy them from the HGNC web site.
     */
    static final Set<String> HGNC_SYSTEMS = Set.of(
            "http://www.genenames.org",
            "https://www.genenames.org",
            "http://genenames.org",
            "https://genenames.org",
            "http://www.genenames.org/geneId",
            "https://www.genenames.org/geneId",
            "http://genenames.org/geneId",
            "https://genenames.org/geneId",
            "urn:oid:2.16.840.1.113883.6.281");
    /** HGNC gene groups are groups, never a gene (GR hgnc-vs). */
    static final String HGNC_GENE_GROUP_SYSTEM = "http://www.genenames.org/genegroup";
    /** NCBI Gene, the GR fallback when no HGNC id exists; our ValueSets use the https form. */
    static final String NCBI_GENE = "https://www.ncbi.nlm.nih.gov/gene";

    static final Set<String> NCBI_GENE_SYSTEMS = Set.of(NCBI_GENE, "http://www.ncbi.nlm.nih.gov/gene");

    /** FHIR R4 core observation-genetics extensions (superseded by GR, still emitted by converters). */
    static final String GENETICS_EXTENSION_PREFIX = "http://hl7.org/fhir/StructureDefinition/observation-genetics";

    static final String GENETICS_GENE_EXTENSION = GENETICS_EXTENSION_PREFIX + "Gene";

    private GenomicsCodes() {}
}

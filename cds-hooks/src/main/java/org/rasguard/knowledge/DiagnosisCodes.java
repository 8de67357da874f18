package org.rasguard.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The codes of one diagnosis ValueSet. SNOMED CT and other codes match as given. ICD-10-CM and WHO
 * ICD-10 codes also match by category: a three-character category that the ValueSet lists without
 * any of its subcodes stands for the whole category (C13 accepts C13.9), while a category listed with
 * subcodes stands only for itself, so removing a subcode from the ValueSet removes it (C18 lists
 * C18.0-C18.9). ICD codes (ICD-10-CM, ICD-10, ICD-O-3 topography) match with or without the dot
 * (C187 = C18.7), and their systems also under their OIDs.
 *
 * @see <a href="https://terminology.hl7.org/ICD.html">Using ICD with HL7 standards</a>
 */
final class DiagnosisCodes {

    static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";
    static final String ICD_O_3 = "http://terminology.hl7.org/CodeSystem/icd-o-3";

    /**
     * The OID forms of the ICD systems (HL7 Terminology: CodeSystem icd10CM 2.16.840.1.113883.6.90,
     * NamingSystem icd10 2.16.840.1.113883.6.3, CodeSystem icd-o-3 2.16.840.1.113883.6.43.1).
     */
    static final Map<String, String> SYSTEM_ALIASES = Map.of(
            "urn:oid:2.16.840.1.113883.6.90", ICD_10_CM,
            "urn:oid:2.16.840.1.113883.6.3", ICD_10,
            "urn:oid:2.16.840.1.113883.6.43.1", ICD_O_3);

    private static final Set<String> ICD_SYSTEMS = Set.of(ICD_10_CM, ICD_10, ICD_O_3);
    private static final Set<String> CATEGORY_SYSTEMS = Set.of(ICD_10_CM, ICD_10);
    private static final Pattern DOTLESS_ICD = Pattern.compile("[A-Z]\\d[0-9A-Z][0-9A-Z]{1,4}");

    private final Set<Code> codes;
    private final List<String> designations;

    private DiagnosisCodes(Set<Code> codes, List<String> designations) {
        this.codes = codes;
        this.designations = designations;
    }

    static DiagnosisCodes of(KnowledgeBase knowledge, String valueSetUrl) {
        List<String> designations = new ArrayList<>();
        knowledge.valueSet(valueSetUrl).ifPresent(valueSet -> {
            for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
                include.getConcept()
                        .forEach(concept -> concept.getDesignation().forEach(d -> designations.add(d.getValue())));
            }
        });
        return new DiagnosisCodes(knowledge.codes(valueSetUrl), List.copyOf(designations));
    }

    /** The words of the ValueSet's concepts (site words of the colorectal ValueSet). */
    List<String> designations() {
        return designations;
    }

    boolean matches(CodeableConcept concept) {
        return concept.getCoding().stream().anyMatch(this::matches);
    }

    boolean matches(Coding coding) {
        if (!coding.hasSystem() || !coding.hasCode()) {
            return false;
        }
        String system = system(coding);
        String code = code(system, coding.getCode());
        if (codes.contains(new Code(system, code, null))) {
            return true;
        }
        return CATEGORY_SYSTEMS.contains(system) && isInWholeCategory(system, code);
    }

    /** The canonical system of a coding (an ICD OID becomes its URI). */
    static String system(Coding coding) {
        return coding.getSystem() == null
                ? null
                : SYSTEM_ALIASES.getOrDefault(
                        coding.getSystem().trim(), coding.getSystem().trim());
    }

    /** Whether the coding is in one of the ICD systems, under any of their names. */
    static boolean isIcd(Coding coding) {
        String system = system(coding);
        return coding.hasCode() && system != null && ICD_SYSTEMS.contains(system);
    }

    /** An ICD code with its dot: "c187" becomes "C18.7"; other systems' codes only trimmed. */
    static String code(String system, String code) {
        String trimmed = code.trim();
        if (system == null || !ICD_SYSTEMS.contains(system)) {
            return trimmed;
        }
        String upper = trimmed.toUpperCase(Locale.ROOT);
        return DOTLESS_ICD.matcher(upper).matches() ? upper.substring(0, 3) + "." + upper.substring(3) : upper;
    }

    private boolean isInWholeCategory(String system, String icdCode) {
        int dot = icdCode.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String category = icdCode.substring(0, dot);
        return codes.contains(new Code(system, category, null))
                && codes.stream()
                        .noneMatch(code ->
                                system.equals(code.system()) && code.code().startsWith(category + "."));
    }
}

package org.rasguard.indication;

import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The codes of one diagnosis ValueSet. SNOMED CT and other codes match as given. ICD-10-CM codes also
 * match by category: a three-character category that the ValueSet lists without any of its subcodes
 * stands for the whole category (C13 accepts C13.9), while a category listed with subcodes stands only
 * for itself, so removing a subcode from the ValueSet removes it (C18 lists C18.0-C18.9).
 *
 * @see <a href="https://terminology.hl7.org/ICD.html">Using ICD with HL7 standards</a>
 */
final class DiagnosisCodes {

    static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";

    private final Set<Code> codes;

    private DiagnosisCodes(Set<Code> codes) {
        this.codes = codes;
    }

    static DiagnosisCodes of(KnowledgeBase knowledge, String valueSetUrl) {
        return new DiagnosisCodes(knowledge.codes(valueSetUrl));
    }

    boolean matches(CodeableConcept concept) {
        return concept.getCoding().stream().anyMatch(this::matches);
    }

    private boolean matches(Coding coding) {
        if (!coding.hasSystem() || !coding.hasCode()) {
            return false;
        }
        String code = coding.getCode().trim();
        if (codes.contains(new Code(coding.getSystem(), code, null))) {
            return true;
        }
        return ICD_10_CM.equals(coding.getSystem()) && isInWholeCategory(code);
    }

    private boolean isInWholeCategory(String icdCode) {
        int dot = icdCode.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String category = icdCode.substring(0, dot);
        return codes.contains(new Code(ICD_10_CM, category, null)) && codes.stream()
                .noneMatch(code -> ICD_10_CM.equals(code.system()) && code.code().startsWith(category + "."));
    }
}

package org.rasguard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndicationMatcherTest {

    private static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    private static final String SNOMED = "http://snomed.info/sct";

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());
    private static final IndicationMatcher MATCHER = IndicationMatcher.from(KNOWLEDGE);

    private static CodeableConcept coded(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C18", "C18.0", "C18.2", "C18.7", "C19", "C20"})
    void colonRectosigmoidAndRectumAreColorectalCancer(String icd) {
        assertThat(MATCHER.isColorectalCancer(coded(ICD_10_CM, icd))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C21.1", "C78.7", "C18.99"})
    void analCancerLiverMetastasesAndUnlistedSubcodesAreNotColorectalCancer(String icd) {
        assertThat(MATCHER.isColorectalCancer(coded(ICD_10_CM, icd))).isFalse();
    }

    @Test
    void colorectalSnomedCodesMatchButMetastasisToTheColonDoesNot() {
        assertThat(MATCHER.isColorectalCancer(coded(SNOMED, "363406005"))).isTrue();
        assertThat(MATCHER.isColorectalCancer(coded(SNOMED, "363351006"))).isTrue();
        assertThat(MATCHER.isColorectalCancer(coded(SNOMED, "94260004"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C01", "C13.9", "C32.0", "C10.3"})
    void headAndNeckCategoriesIncludeTheirSubcodes(String icd) {
        assertThat(MATCHER.isHeadAndNeckScc(coded(ICD_10_CM, icd))).isTrue();
    }

    @Test
    void headAndNeckScc() {
        assertThat(MATCHER.isHeadAndNeckScc(coded(SNOMED, "716659002"))).isTrue();
        assertThat(MATCHER.isHeadAndNeckScc(coded(ICD_10_CM, "C44.02"))).isFalse();
        assertThat(MATCHER.isHeadAndNeckScc(coded(ICD_10_CM, "C18.7"))).isFalse();
    }

    @Test
    void removingASubcodeFromACopyOfTheValueSetRemovesIt() {
        ValueSet colorectal = KNOWLEDGE
                .valueSet(IndicationMatcher.COLORECTAL_CANCER)
                .orElseThrow()
                .copy();
        colorectal
                .getCompose()
                .getInclude()
                .forEach(include -> include.getConcept()
                        .removeIf(concept -> concept.getCode().equals("C18.1")));
        List<IBaseResource> artifacts = new ArrayList<>(KNOWLEDGE.artifacts().stream()
                .filter(artifact -> !artifact.getUrl().equals(IndicationMatcher.COLORECTAL_CANCER))
                .toList());
        artifacts.add(colorectal);
        IndicationMatcher matcher = IndicationMatcher.from(KnowledgeBase.of(artifacts, List.of()));

        assertThat(matcher.isColorectalCancer(coded(ICD_10_CM, "C18.1"))).isFalse();
        assertThat(matcher.isColorectalCancer(coded(ICD_10_CM, "C18.7"))).isTrue();
    }

    @ParameterizedTest(name = "{0}|{1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "http://hl7.org/fhir/sid/icd-10-cm, C187",
        "http://hl7.org/fhir/sid/icd-10-cm, c18.7",
        "urn:oid:2.16.840.1.113883.6.90, C189",
        "http://hl7.org/fhir/sid/icd-10, C20",
        "http://hl7.org/fhir/sid/icd-10, C184",
        "urn:oid:2.16.840.1.113883.6.3, C18.2",
        "http://terminology.hl7.org/CodeSystem/icd-o-3, C19.9",
        "urn:oid:2.16.840.1.113883.6.43.1, C209"
    })
    void icdCodesMatchWithoutTheDotAndUnderTheirOids(String system, String code) {
        assertThat(MATCHER.isColorectalCancer(coded(system, code))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "Adenocarcinoma of the sigmoid colon",
                "metastatic rectal cancer",
                "Ca caecum",
                "colorectal carcinoma, stage IV",
                "Adenocarcinoma of descending colon, metastatic to liver",
                "Liver metastases from sigmoid colon adenocarcinoma",
                "Secondary malignant neoplasm of liver; primary rectal adenocarcinoma"
            })
    void colorectalCancerInWordsIsColorectal(String text) {
        assertThat(MATCHER.place(new CodeableConcept().setText(text)))
                .isEqualTo(IndicationMatcher.Placement.COLORECTAL);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "Malignant neoplasm, site unspecified",
                "Secondary malignant neoplasm of colon",
                "metastatic to the colon",
                "carcinoma of unknown primary",
                "Secondary malignant neoplasm of large intestine and rectum",
                "Breast cancer metastatic to the sigmoid colon"
            })
    void aCancerWithoutAColorectalPrimaryInWordsIsUnplaced(String text) {
        assertThat(MATCHER.place(new CodeableConcept().setText(text)))
                .isEqualTo(IndicationMatcher.Placement.UNPLACED_CANCER);
    }

    @Test
    void placesCodesOutsideTheValueSets() {
        assertThat(MATCHER.place(coded(ICD_10_CM, "C78.7"))).isEqualTo(IndicationMatcher.Placement.UNPLACED_CANCER);
        assertThat(MATCHER.place(coded(ICD_10_CM, "C801"))).isEqualTo(IndicationMatcher.Placement.UNPLACED_CANCER);
        assertThat(MATCHER.place(coded(ICD_10_CM, "C34.11"))).isEqualTo(IndicationMatcher.Placement.NOT_COLORECTAL);
        assertThat(MATCHER.place(coded(ICD_10_CM, "I10"))).isEqualTo(IndicationMatcher.Placement.NOT_COLORECTAL);
        assertThat(MATCHER.place(coded(SNOMED, "1287654009"))).isEqualTo(IndicationMatcher.Placement.UNPLACED_CANCER);
        assertThat(MATCHER.place(new CodeableConcept(new Coding(SNOMED, "59621000", "Essential hypertension"))))
                .isEqualTo(IndicationMatcher.Placement.NOT_COLORECTAL);
        assertThat(MATCHER.place(new CodeableConcept().setText("Benign polyp of sigmoid colon")))
                .isEqualTo(IndicationMatcher.Placement.NOT_COLORECTAL);
    }
}

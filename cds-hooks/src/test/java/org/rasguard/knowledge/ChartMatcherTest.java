package org.rasguard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How chart text is read for the patient-view reminders: M1, stage IV, metastatic sites, negations. */
class ChartMatcherTest {

    private static final ChartMatcher CHART =
            ChartMatcher.from(KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached()));

    @ParameterizedTest(name = "M1 in \"{0}\": {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "M1|true",
                "cM1a|true",
                "pM1c|true",
                "T3N1M1b|true",
                "pT4a N2 M1|true",
                "M0|false",
                "cM0|false",
                "MX|false",
                "M1x|false",
                "T3N1|false",
                "pT3N1bM1a|true",
                "ypT3 ypN2aM1c|true",
                "pT3N1bM0|false",
                "suspected M1|false"
            })
    void readsTheMCategory(String text, boolean m1) {
        assertThat(CHART.saysM1(text)).isEqualTo(m1);
    }

    @ParameterizedTest(name = "stage IV in \"{0}\": {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Stage IV|true",
                "stage IVB|true",
                "Stage 4|true",
                "IVA|true",
                "4|true",
                "Stage III|false",
                "Stage IIIC|false",
                "stage I|false",
                "14|false",
                "STAGE-IV|true",
                "Stage: IV|true",
                "stage four|true",
                "IV-B|true",
                "possible stage IV|false",
                "Stage IV ruled out|false"
            })
    void readsStageIv(String text, boolean stageIv) {
        assertThat(CHART.saysStageIv(text)).isEqualTo(stageIv);
    }

    @ParameterizedTest(name = "metastatic diagnosis \"{0}\": {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Liver metastases|true",
                "Metastatic adenocarcinoma of the sigmoid colon|true",
                "No evidence of metastatic disease|false",
                "Non-metastatic rectal cancer|false",
                "without metastases|false",
                "Adenocarcinoma of the sigmoid colon|false",
                "liver mets|true",
                "mCRC|true",
                "CRC with peritoneal carcinomatosis|true",
                "Oligometastatic rectal cancer|true",
                "Secondary malignant neoplasm|true",
                "mCRC KRAS negative|true",
                "No response to FOLFOX; progressive liver metastases|true",
                "Sigmoid cancer without perforation, with lung metastases|true",
                "Liver metastases ruled out|false",
                "No evidence of distant metastases|false",
                "No liver, lung or bone metastases|false",
                "Distant metastasis: none|false",
                "Metastatic workup: negative|false",
                "metastases have been excluded|false",
                "Suspected liver metastases|false",
                "R/O metastatic disease|false",
                "Liver lesion: hemangioma vs. metastasis|false",
                "Lung nodules ?metastases|false",
                "liver metastases?|false",
                "metastasis cannot be excluded|false",
                "Negative for metastatic carcinoma|false",
                "Non metastatic adenocarcinoma|false"
            })
    void readsMetastasisInWordsUnlessNegated(String text, boolean metastatic) {
        assertThat(CHART.isMetastaticDiagnosis(new CodeableConcept().setText(text)))
                .isEqualTo(metastatic);
    }

    @ParameterizedTest(name = "{0}|{1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "http://hl7.org/fhir/sid/icd-10-cm|C78.7|true",
                "http://hl7.org/fhir/sid/icd-10-cm|C787|true",
                "http://hl7.org/fhir/sid/icd-10-cm|C79.51|true",
                "http://hl7.org/fhir/sid/icd-10-cm|C77.0|true",
                "urn:oid:2.16.840.1.113883.6.3|C78.0|true",
                "http://hl7.org/fhir/sid/icd-10-cm|C18.7|false",
                "http://hl7.org/fhir/sid/icd-10-cm|C80.1|false"
            })
    void readsMetastaticCodesByCategory(String system, String code, boolean metastatic) {
        assertThat(CHART.isMetastaticDiagnosis(new CodeableConcept(new Coding(system, code, null))))
                .isEqualTo(metastatic);
    }

    @ParameterizedTest(name = "specimen site \"{0}\": metastatic {1}, colorectal {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Liver, segment VI|true|false",
                "Sigmoid colon|false|true",
                "Lymph node, mesenteric|true|false",
                "Rectum|false|true",
                "Peritoneal nodule|true|false",
                "Tissue|false|false",
                "Resection, mCRC, sigmoid colon|false|true",
                "Liver mets, core biopsy|true|false"
            })
    void readsSpecimenSites(String text, boolean metastatic, boolean colorectal) {
        assertThat(CHART.namesMetastaticSite(text)).isEqualTo(metastatic);
        assertThat(CHART.namesColorectalSite(text)).isEqualTo(colorectal);
    }
}

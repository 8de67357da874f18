package org.rasguard.cdshooks;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.rasguard.decision.Needed;
import org.rasguard.knowledge.ChartMatcher;

/**
 * What the decision needs from the client's record, as prefetch keys and FHIR query templates. The
 * same query, with the patient id filled in, is the fallback search on the client's FHIR server when
 * the key was not prefetched.
 *
 * <p>Observations are limited to the {@code laboratory} category (where genomic results are filed,
 * Genomics Reporting IG) so that years of vital signs are not paged through on every order.
 * Reports are read whole: a molecular report may hold its finding only in words (conclusion,
 * presentedForm, narrative), with no result Observation at all. The decision does not require the
 * reports key: when it cannot be had, the results decide as before.
 *
 * <p>The three history keys (earlier MedicationRequests, MedicationAdministrations, MedicationStatements,
 * with the Medications they name) show an earlier anti-EGFR course: a wild-type result from before it
 * is a re-challenge ({@link org.rasguard.decision.Rechallenge}). They are needed only when they would
 * change the card.
 */
public enum PrefetchKey {
    PATIENT("patient", "Patient/{{context.patientId}}"),
    CONDITIONS("conditions", "Condition?patient={{context.patientId}}"),
    OBSERVATIONS(
            "observations",
            "Observation?patient={{context.patientId}}&category=laboratory&_include=Observation:specimen"),
    MEDICATIONS("medications", "MedicationRequest?patient={{context.patientId}}&status=active"),
    REPORTS(
            "reports",
            "DiagnosticReport?patient={{context.patientId}}&_include=DiagnosticReport:result&_include=DiagnosticReport:specimen"),
    MEDICATION_HISTORY(
            "medicationHistory",
            "MedicationRequest?patient={{context.patientId}}&status=completed,stopped&_include=MedicationRequest:medication"),
    ADMINISTRATIONS(
            "medicationAdministrations",
            "MedicationAdministration?patient={{context.patientId}}&_include=MedicationAdministration:medication"),
    STATEMENTS(
            "medicationStatements",
            "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication"),
    /** patient-view: a RAS test already ordered suppresses the testing reminders. */
    SERVICE_REQUESTS("serviceRequests", "ServiceRequest?patient={{context.patientId}}&status=active"),
    /** patient-view: biopsies, with or without a RAS result (a later biopsy of a metastasis). */
    SPECIMENS("specimens", "Specimen?patient={{context.patientId}}"),
    /** patient-view: TNM distant metastasis Observations ({@code :in}, CDS Hooks 2.0 §Prefetch query restrictions). */
    STAGING("staging", "Observation?patient={{context.patientId}}&code:in=" + ChartMatcher.TNM_DISTANT_METASTASIS);

    /** The keys that carry the medication history (the re-challenge rule). */
    static final java.util.List<PrefetchKey> HISTORY =
            java.util.List.of(MEDICATION_HISTORY, ADMINISTRATIONS, STATEMENTS);
    /** The keys of the order-select and order-sign services. */
    public static final Set<PrefetchKey> ORDER = Collections.unmodifiableSet(EnumSet.of(
            PATIENT, CONDITIONS, OBSERVATIONS, MEDICATIONS, REPORTS, MEDICATION_HISTORY, ADMINISTRATIONS, STATEMENTS));
    /** The keys of the patient-view service. */
    public static final Set<PrefetchKey> CHART = Collections.unmodifiableSet(
            EnumSet.of(PATIENT, CONDITIONS, OBSERVATIONS, REPORTS, SERVICE_REQUESTS, SPECIMENS, STAGING));

    private static final String PATIENT_TOKEN = "{{context.patientId}}";

    private final String key;
    private final String template;

    PrefetchKey(String key, String template) {
        this.key = key;
        this.template = template;
    }

    public String key() {
        return key;
    }

    public String template() {
        return template;
    }

    /** True for the instance read (a single resource, {@code null} when there is none). */
    public boolean isRead() {
        return !template.contains("?");
    }

    /** The template with the patient id filled in; the id must already be a valid FHIR id. */
    public String query(String patientId) {
        return template.replace(PATIENT_TOKEN, patientId);
    }

    /** The keys that carry what the decision needs. */
    public static java.util.List<PrefetchKey> carrying(Needed needed) {
        return switch (needed) {
            case DIAGNOSES -> java.util.List.of(CONDITIONS);
            case RESULTS -> java.util.List.of(OBSERVATIONS);
            case ACTIVE_MEDICATIONS -> java.util.List.of(MEDICATIONS);
            case TREATMENT_HISTORY -> HISTORY;
        };
    }

    /** The templates of these keys, in discovery order. */
    public static Map<String, String> templates(Set<PrefetchKey> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        keys.forEach(key -> out.put(key.key, key.template));
        return out;
    }
}

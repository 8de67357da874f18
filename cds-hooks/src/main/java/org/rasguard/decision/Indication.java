package org.rasguard.decision;

import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.rasguard.knowledge.IndicationMatcher;

/**
 * What the patient's diagnoses say about why an anti-EGFR antibody is ordered.
 *
 * <p>Conditions recorded in error or refuted are ignored. Colorectal cancer counts in any clinical
 * status (a resolved primary still matters for metastatic disease). Head and neck SCC counts only
 * while not inactive, resolved or in remission: it is the one diagnosis that switches the RAS check
 * off, so it must be current, and only when no active cancer diagnosis could be colorectal (a
 * diagnosis the matcher cannot place is not "not colorectal").
 */
public enum Indication {
    /** A colorectal cancer diagnosis (with or without head and neck SCC): the RAS rule applies. */
    COLORECTAL,
    /** Head and neck SCC and no colorectal cancer: cetuximab is given without RAS testing; no RAS card. */
    HEAD_AND_NECK_ONLY,
    /** No diagnosis on record: the RAS rule applies. */
    NONE_ON_RECORD,
    /**
     * Head and neck SCC together with an active cancer diagnosis the matcher cannot place (an
     * unspecified, ill-defined or secondary site, or an unknown code): it could be colorectal, so the
     * RAS rule applies (fail safe).
     */
    HEAD_AND_NECK_WITH_UNPLACED_CANCER,
    /** Diagnoses, but neither colorectal cancer nor head and neck SCC: the RAS rule applies (fail safe). */
    OTHER;

    private static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    /** Whether the RAS rule is applied to an anti-EGFR order. */
    public boolean appliesRasRule() {
        return this != HEAD_AND_NECK_ONLY;
    }

    public static Indication of(List<Condition> conditions, IndicationMatcher matcher) {
        boolean any = false;
        boolean colorectal = false;
        boolean headAndNeck = false;
        boolean unplaced = false;
        for (Condition condition : conditions) {
            if (has(condition.getVerificationStatus(), VERIFICATION, "entered-in-error", "refuted")) {
                continue;
            }
            any = true;
            boolean active = !has(condition.getClinicalStatus(), CLINICAL, "inactive", "resolved", "remission");
            IndicationMatcher.Placement placement = matcher.place(condition.getCode());
            colorectal |= placement == IndicationMatcher.Placement.COLORECTAL;
            headAndNeck |= matcher.isHeadAndNeckScc(condition.getCode()) && active;
            unplaced |= placement == IndicationMatcher.Placement.UNPLACED_CANCER && active;
        }
        if (colorectal) {
            return COLORECTAL;
        }
        if (headAndNeck && unplaced) {
            return HEAD_AND_NECK_WITH_UNPLACED_CANCER;
        }
        if (headAndNeck) {
            return HEAD_AND_NECK_ONLY;
        }
        return any ? OTHER : NONE_ON_RECORD;
    }

    /** Whether the concept carries one of these codes of this system. */
    static boolean has(CodeableConcept concept, String system, String... codes) {
        for (Coding coding : concept.getCoding()) {
            if (system.equals(coding.getSystem())) {
                for (String code : codes) {
                    if (code.equals(coding.getCode())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

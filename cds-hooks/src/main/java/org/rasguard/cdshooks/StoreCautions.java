package org.rasguard.cdshooks;

/**
 * What a card or {@code $ras-status} says when our store's evidence of a patient may be incomplete
 * or was not consulted. Cautions keep a wild-type result from being trusted; notes only inform.
 */
public final class StoreCautions {

    public static final String NOT_CONSULTED =
            "RAS Guard's genomics store was not consulted: the EHR's patient identifiers could not be read";
    public static final String NO_IDENTIFIER =
            "RAS Guard's genomics store was not consulted: the EHR's patient carries no identifier it matches on";
    public static final String DISAGREES =
            "a patient record in RAS Guard's genomics store shares an identifier with this patient but disagrees on another, so it was not used";
    public static final String AMBIGUOUS =
            "the patient holds two values in one identifier system, so RAS Guard's genomics store could not be matched on it";
    public static final String SEVERAL = "several patient records in RAS Guard's genomics store match";

    private StoreCautions() {}

    /** What reading the store said about its answer: cut short at {@code cap}, results about someone else left out. */
    public static java.util.List<String> ofReading(EvidenceStore.StoredEvidence stored, int cap) {
        java.util.List<String> cautions = new java.util.ArrayList<>();
        if (stored.truncated()) {
            cautions.add(truncated(cap));
        }
        if (!stored.leftOut().isEmpty()) {
            cautions.add(leftOut(stored.leftOut().size()));
        }
        return cautions;
    }

    /** Names the cap, so that an operator knows what to raise. */
    public static String truncated(int cap) {
        return "more genomic results in RAS Guard's store than the " + cap
                + " it reads (RASGUARD_EVIDENCE_MAX_RESOURCES)";
    }

    public static String ehrLeftOut(int count) {
        return count == 1
                ? "1 result sent by the EHR is not clearly about this patient and was left out"
                : count + " results sent by the EHR are not clearly about this patient and were left out";
    }

    public static String leftOut(int count) {
        return count == 1
                ? "1 result linked from this patient's results is about another patient and was left out"
                : count + " results linked from this patient's results are about another patient and were left out";
    }
}

package org.rasguard.ras;

import java.util.regex.Pattern;

/**
 * Notes that record why a result was amended or corrected ("amended to correct the patient's date
 * of birth; exon 4 unchanged") speak about the amendment, not about what the test covered: their
 * exon and codon words are not read as coverage. Fail safe: an amendment note that limits or
 * negates anything ("exon 4 not re-analysed", "codon 146 failed") is still read, so it can only
 * narrow a negative.
 */
final class AmendmentNotes {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern AMENDMENT = Pattern.compile(
            "\\b(?:amend(?:ed|ment)?|correct(?:ed|ion)|revis(?:ed|ion)|re-?issued|addend(?:um|a)|erratum|corrigendum)\\b",
            FLAGS);
    private static final Pattern LIMITING = Pattern.compile(
            "\\b(?:not|no|non|never|without|except|excluding|excluded|only|limited|fail(?:ed|ure)?|insufficient|unable|cannot"
                    + "|uncovered|unsequenced|partial(?:ly)?|removed|withdrawn)\\b|n't\\b",
            FLAGS);

    private AmendmentNotes() {}

    /** True for a note that records an amendment and limits nothing: it is left out of coverage text. */
    static boolean isAdministrative(String note) {
        return note != null
                && AMENDMENT.matcher(note).find()
                && !LIMITING.matcher(note).find();
    }
}

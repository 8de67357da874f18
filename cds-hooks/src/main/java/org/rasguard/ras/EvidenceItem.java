package org.rasguard.ras;

import java.time.Instant;

/**
 * One piece of evidence about one gene, with what a card needs to say what was found, when and where.
 *
 * @param reference the resource, e.g. {@code Observation/123}, a Bundle fullUrl, or
 *     {@code DiagnosticReport/7#var1} for a contained resource
 * @param gene the gene it speaks about
 * @param call what it says about the gene
 * @param preliminary true when it, its report or its group is preliminary: it may show a mutation but never wild-type
 * @param effective Observation.effective (or the report's), as reported; null if absent
 * @param issued Observation.issued (or the report's), as reported; null if absent
 * @param observedAt effective, else issued, as an instant; used to find results newer than a negative
 * @param specimen the specimen type or description, or the specimen reference; null if none
 * @param report the reference of the DiagnosticReport that lists it, or null
 * @param status the resource's own status code
 * @param detail what it said, in words (no patient identifiers)
 * @param plasmaExtended a negative with extended coverage on a specimen known to be plasma / ctDNA (its
 *     call is {@link EvidenceCall#CTDNA_NEGATIVE} unless the policy counts such negatives): the kind of
 *     result after an anti-EGFR course that clears the re-challenge warning
 */
public record EvidenceItem(
        String reference,
        Gene gene,
        EvidenceCall call,
        boolean preliminary,
        String effective,
        String issued,
        Instant observedAt,
        String specimen,
        String report,
        String status,
        String detail,
        boolean plasmaExtended) {

    public EvidenceItem(
            String reference,
            Gene gene,
            EvidenceCall call,
            boolean preliminary,
            String effective,
            String issued,
            Instant observedAt,
            String specimen,
            String report,
            String status,
            String detail) {
        this(
                reference,
                gene,
                call,
                preliminary,
                effective,
                issued,
                observedAt,
                specimen,
                report,
                status,
                detail,
                false);
    }
}

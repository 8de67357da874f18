package org.rasguard.ras;

/**
 * The clinical switches of the RAS status engine. The defaults ({@link #defaults()}) are the ones
 * the issue sets; change them only with the clinical owners.
 *
 * @param geneLevelAbsentWithoutMethodIsExtended a Genomics Reporting gene-level pertinent negative
 *     (Variant Absent, gene studied, no variant-defining component) that states no method counts as
 *     extended coverage. Default true: such statements come from panel / sequencing reports. A
 *     stated method that is not sequencing (e.g. PCR) is never extended.
 * @param singleGeneNegativeWithoutCoverageIsExtended a single-gene or KRAS+NRAS test result that is
 *     negative and states neither a sequencing method, a full-gene test nor a tested-for list
 *     counts as extended. Default false: targeted kits often cover codons 12/13 only.
 * @param inferNegativesFromRegionsStudied a final report whose RegionStudied (LOINC 53041-0) lists a
 *     RAS gene, with no present variant of that gene in the report, counts as an extended negative
 *     for it. Default false: absence is only inferred, not stated.
 * @param ctDnaNegativesCount a negative from plasma / ctDNA counts like a tissue negative. Default
 *     false: low-shedding tumours give false negatives; such a negative is indeterminate.
 */
public record RasPolicy(
        boolean geneLevelAbsentWithoutMethodIsExtended,
        boolean singleGeneNegativeWithoutCoverageIsExtended,
        boolean inferNegativesFromRegionsStudied,
        boolean ctDnaNegativesCount) {

    public static RasPolicy defaults() {
        return new RasPolicy(true, false, false, false);
    }
}

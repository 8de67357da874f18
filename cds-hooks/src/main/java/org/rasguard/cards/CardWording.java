package org.rasguard.cards;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rasguard.decision.EarlierCourse;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.BrafInhibitor;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.RasStatus;

/**
 * What each card says: its summary (under 140 characters) and its markdown detail (the finding, the
 * evidence, why, and what to do instead). All card wording is here, one method per card, for
 * clinical review; the evidence bullets come from {@link EvidenceLines}.
 */
final class CardWording {

    static final int MAX_SUMMARY = 139;

    /** A card's text before the invisible characters are taken out. */
    record Text(String summary, String detail) {}

    private CardWording() {}

    /**
     * @param rechallengeEvidence the trials behind the re-challenge rule, as the knowledge package cites them
     * @param phrases how reasons and calls are said inside a sentence (ig-resources)
     */
    static Text of(CardInput input, List<String> rechallengeEvidence, CardPhrases phrases) {
        return switch (input.kind()) {
            case RAS_RECHALLENGE -> rechallenge(phrases, input, rechallengeEvidence);
            case RAS_MUTANT -> mutant(phrases, input, false);
            case G12C_WITHOUT_PARTNER -> mutant(phrases, input, true);
            case RAS_UNKNOWN -> unknown(phrases, input);
            case G12C_APPROVED_COMBINATION -> approvedCombination(phrases, input);
            case G12C_NOT_DOCUMENTED -> g12cNotDocumented(phrases, input);
            case BRAF_V600E_APPROVED_COMBINATION -> brafCombination(phrases, input);
            case RAS_WILD_TYPE -> wildType(phrases, input);
            case LATE_RAS_RESULT, RAS_TESTING_METASTATIC, METASTASIS_RAS_TESTING ->
                    throw new IllegalArgumentException("A patient-view card is worded by ChartCards, not per order: " + input.kind());
        };
    }

    // ------------------------------------------------------------------ the cards

    private static Text mutant(CardPhrases phrases, CardInput input, boolean g12cWithoutPartner) {
        String drug = name(input.drug());
        String variants = EvidenceLines.mutationNames(input.assessment());
        String summary = fit(drug + (g12cWithoutPartner ? " alone" : "") + " not recommended: ", variants, " (RAS-mutant)");
        StringBuilder detail = new StringBuilder();
        detail.append("**RAS-mutant colorectal cancer: ").append(drug.toLowerCase(Locale.ROOT)).append(" is not indicated")
                .append(g12cWithoutPartner ? " on its own" : "").append(".**\n\n");
        detail.append("**Evidence**\n\n").append(EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases))
                .append('\n');
        detail.append("**Why**: anti-EGFR antibodies (cetuximab, panitumumab) do not work in RAS-mutant metastatic colorectal "
                + "cancer; the FDA labels and the EU SmPCs exclude it, and ASCO and NCCN advise against any anti-EGFR antibody "
                + "with a KRAS or NRAS mutation in exon 2, 3 or 4.\n\n");
        if (g12cWithoutPartner) {
            String partner = name(input.partner());
            detail.append("**KRAS G12C**: ").append(drug.toLowerCase(Locale.ROOT)).append(" is approved for KRAS G12C-mutated "
                    + "colorectal cancer only together with ").append(partner.toLowerCase(Locale.ROOT))
                    .append(", after fluoropyrimidine-, oxaliplatin- and irinotecan-based chemotherapy. Add ")
                    .append(partner.toLowerCase(Locale.ROOT)).append(" or remove this order.\n\n");
        }
        detail.append(alternatives());
        return new Text(summary, detail.toString());
    }

    private static Text unknown(CardPhrases phrases, CardInput input) {
        String drug = name(input.drug());
        List<String> reasons = unknownReasons(phrases, input);
        String summary = fit(drug + ": RAS status unknown (", String.join("; ", reasons), ")");
        StringBuilder detail = new StringBuilder();
        detail.append("**RAS (KRAS and NRAS) status is unknown: ").append(String.join("; ", reasons)).append(".**\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? "- No KRAS or NRAS result was found.\n" : found).append('\n');
        detail.append("**Extended RAS testing**: before cetuximab or panitumumab, test KRAS and NRAS exons 2, 3 and 4 "
                + "(codons 12, 13, 59, 61, 117 and 146), as ASCO and NCCN recommend. A KRAS exon 2 result alone is not "
                + "a RAS wild-type result.\n\n");
        detail.append("**Labels**: the FDA label of Vectibix and the EU SmPCs of Erbitux and Vectibix exclude patients whose "
                + "RAS status is unknown; the antibodies are indicated for RAS wild-type metastatic colorectal cancer, as "
                + "determined by an FDA-approved test.\n");
        return new Text(summary, detail.toString());
    }

    private static Text approvedCombination(CardPhrases phrases, CardInput input) {
        String drug = name(input.drug());
        String partner = name(input.partner());
        String summary = fit(drug + " with " + partner.toLowerCase(Locale.ROOT) + ": approved combination for ", "KRAS G12C", "");
        String detail = "**" + drug + " with " + partner.toLowerCase(Locale.ROOT) + " is an approved combination for KRAS "
                + "G12C-mutated metastatic colorectal cancer.**\n\n"
                + "**Evidence**\n\n" + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases) + '\n'
                + "Confirm that KRAS G12C was found by an FDA-approved test and that the patient has had fluoropyrimidine-, "
                + "oxaliplatin- and irinotecan-based chemotherapy. " + drug + " without " + partner.toLowerCase(Locale.ROOT)
                + " is not indicated in RAS-mutant colorectal cancer.\n";
        return new Text(summary, detail);
    }

    private static Text g12cNotDocumented(CardPhrases phrases, CardInput input) {
        String drug = name(input.drug());
        String partner = name(input.partner()).toLowerCase(Locale.ROOT);
        String summary = fit(drug + " with " + partner + ": ", "KRAS G12C not documented", "");
        StringBuilder detail = new StringBuilder();
        detail.append("**").append(drug).append(" with ").append(partner).append(" is approved only for KRAS G12C-mutated "
                + "colorectal cancer, as determined by an FDA-approved test; no final result shows KRAS G12C.**\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(phrases, input)) + ")" : "wild-type").append(".\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? "- No KRAS or NRAS result was found.\n" : found).append('\n');
        detail.append("Confirm KRAS G12C before the combination: extended RAS testing (KRAS and NRAS exons 2, 3 and 4) "
                + "reports it. Without KRAS G12C, ").append(partner).append(" has no indication here, and ")
                .append(drug.toLowerCase(Locale.ROOT)).append(" needs a RAS wild-type result.\n");
        return new Text(summary, detail.toString());
    }

    private static Text brafCombination(CardPhrases phrases, CardInput input) {
        String drug = name(input.drug());
        String partner = name(BrafInhibitor.ENCORAFENIB).toLowerCase(Locale.ROOT);
        String summary = fit(drug + " with " + partner + ": approved combination for ", "BRAF V600E", "");
        StringBuilder detail = new StringBuilder();
        detail.append("**").append(drug).append(" with ").append(partner).append(" is an approved combination for BRAF "
                + "V600E-mutated metastatic colorectal cancer.**\n\n");
        detail.append("**BRAF V600E**: ").append(String.join(", ", input.assessment().brafV600eEvidence().stream()
                .map(EvidenceLines::source).toList())).append(".\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(phrases, input)) + ")" : "not confirmed (" + String.join("; ", unknownReasons(phrases, input)) + ")")
                .append(". BRAF V600E tumours are usually RAS wild type, so the combination is not flagged; a KRAS or NRAS "
                        + "mutation, once found, would still exclude ").append(drug.toLowerCase(Locale.ROOT)).append(".\n");
        return new Text(summary, detail.toString());
    }

    private static Text rechallenge(CardPhrases phrases, CardInput input, List<String> evidence) {
        String drug = name(input.drug());
        EarlierCourse course = input.rechallenge().course();
        String earlier = name(course.drug()).toLowerCase(Locale.ROOT);
        String summary = fit(drug + " re-challenge: no plasma (ctDNA) RAS result since the earlier " + earlier + " course; ",
                "test first", "");
        StringBuilder detail = new StringBuilder();
        detail.append("**RAS status may have changed under the earlier anti-EGFR treatment.** No plasma (ctDNA) RAS wild-type "
                + "result (KRAS and NRAS) was taken after the earlier ").append(earlier).append(" course ended");
        detail.append(course.possiblyOngoing() ? " (its end is not recorded, so it counts as going on until now)"
                : " (" + MarkdownText.escape(course.endText()) + ")");
        detail.append(course.reference() == null ? "" : "; course: " + EvidenceLines.source(course.reference())).append(".\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found).append('\n');
        detail.append("**Before re-challenge**: test KRAS and NRAS again in plasma (ctDNA), after the earlier course. A plasma "
                + "RAS wild-type result (KRAS and NRAS, extended coverage) taken after the course clears this warning; a "
                + "mutation found there excludes ").append(drug.toLowerCase(Locale.ROOT)).append(". A tissue result, even a "
                + "new one, does not stand in for it: both trials below selected patients for re-challenge on ctDNA, and "
                + "CHRONOS excluded 31% of patients with RAS wild-type tissue for resistance mutations in ctDNA.\n\n");
        detail.append("**Evidence**\n\n");
        evidence.forEach(line -> detail.append("- ").append(line).append('\n'));
        return new Text(summary, detail.toString());
    }

    private static Text wildType(CardPhrases phrases, CardInput input) {
        String drug = name(input.drug());
        String date = EvidenceLines.newestDate(input.assessment(), EvidenceCall.NEGATIVE);
        String summary = fit(drug + ": RAS wild-type (KRAS and NRAS, extended)", date == null ? "" : ", tested " + date, "");
        String detail = "**RAS wild-type**: KRAS and NRAS were each tested over exons 2, 3 and 4 with no mutation found.\n\n"
                + "**Results**\n\n" + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.NEGATIVE, phrases);
        return new Text(summary, detail);
    }

    // ------------------------------------------------------------------ parts

    private static String alternatives() {
        return "**Alternatives**: FOLFOX, CAPOX or FOLFIRI, with or without bevacizumab. Give bevacizumab instead of the "
                + "anti-EGFR antibody, never added to it (PACCE, CAIRO2: worse outcomes with both).\n";
    }

    /** The assessment's reasons in words, then the cautions; never empty. */
    private static List<String> unknownReasons(CardPhrases phrases, CardInput input) {
        List<String> reasons = new ArrayList<>();
        input.assessment().reasons().forEach(reason -> reasons.add(phrases.reason(reason)));
        reasons.addAll(input.cautions());
        if (reasons.isEmpty()) {
            reasons.add("no complete KRAS and NRAS result");
        }
        return reasons;
    }

    static String name(AntiEgfrDrug drug) {
        return capitalize(drug.name());
    }

    static String name(G12cInhibitor drug) {
        return capitalize(drug.name());
    }

    static String name(BrafInhibitor drug) {
        return capitalize(drug.name());
    }

    private static String capitalize(String enumName) {
        String lower = enumName.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** prefix + middle + suffix, the middle shortened with "…" so the summary stays under 140 characters. */
    static String fit(String prefix, String middle, String suffix) {
        int room = MAX_SUMMARY - prefix.length() - suffix.length();
        String shown = middle.length() <= room ? middle : middle.substring(0, Math.max(0, room - 1)).stripTrailing() + "…";
        return prefix + shown + suffix;
    }
}

package org.rasguard.cards;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rasguard.decision.EarlierCourse;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.BrafInhibitor;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.RasStatus;

/**
 * What each order card says: its summary (under 140 characters) and its markdown detail (the finding,
 * the evidence, why, and what to do instead). The detail's fixed texts are the knowledge package's
 * ({@link CardTexts}: PlanDefinition anti-egfr-ras-check, for clinical review); here they are put in
 * order around the evidence bullets ({@link EvidenceLines}) and the record's data, one method per card.
 * The summaries stay here: each is a short template whose middle part (variant names, reasons) is
 * shortened to fit 140 characters ({@link #fit}), and several add a part only when the record has it.
 */
final class CardWording {

    static final int MAX_SUMMARY = 139;
    private static final String NO_RESULT = "- No KRAS or NRAS result was found.\n";

    /** A card's text before the invisible characters are taken out. */
    record Text(String summary, String detail) {}

    private CardWording() {}

    /**
     * @param rechallengeEvidence the trials behind the re-challenge rule, as the knowledge package cites them
     * @param phrases how reasons and calls are said inside a sentence (ig-resources)
     * @param texts the cards' fixed texts (ig-resources)
     */
    static Text of(CardInput input, List<String> rechallengeEvidence, CardPhrases phrases, CardTexts texts) {
        return switch (input.kind()) {
            case RAS_RECHALLENGE -> rechallenge(phrases, texts, input, rechallengeEvidence);
            case RAS_MUTANT -> mutant(phrases, texts, input, false);
            case G12C_WITHOUT_PARTNER -> mutant(phrases, texts, input, true);
            case RAS_UNKNOWN -> unknown(phrases, texts, input);
            case G12C_APPROVED_COMBINATION -> approvedCombination(phrases, texts, input);
            case G12C_NOT_DOCUMENTED -> g12cNotDocumented(phrases, texts, input);
            case BRAF_V600E_APPROVED_COMBINATION -> brafCombination(phrases, texts, input);
            case RAS_WILD_TYPE -> wildType(phrases, texts, input);
            case LATE_RAS_RESULT, RAS_TESTING_METASTATIC, METASTASIS_RAS_TESTING ->
                    throw new IllegalArgumentException("A patient-view card is worded by ChartCards, not per order: " + input.kind());
        };
    }

    // ------------------------------------------------------------------ the cards

    private static Text mutant(CardPhrases phrases, CardTexts texts, CardInput input, boolean g12cWithoutPartner) {
        String drug = name(input.drug());
        Map<String, String> words = g12cWithoutPartner ? words(drug, name(input.partner())) : words(drug);
        String variants = EvidenceLines.mutationNames(input.assessment());
        String summary = fit(drug + (g12cWithoutPartner ? " alone" : "") + " not recommended: ", variants, " (RAS-mutant)");
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(g12cWithoutPartner ? CardTexts.Text.MUTANT_HEADLINE_WITHOUT_PARTNER : CardTexts.Text.MUTANT_HEADLINE, words))
                .append("\n\n");
        detail.append("**Evidence**\n\n").append(EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases))
                .append('\n');
        detail.append(texts.fill(CardTexts.Text.MUTANT_WHY, words)).append("\n\n");
        if (g12cWithoutPartner) {
            detail.append(texts.fill(CardTexts.Text.MUTANT_G12C_PARTNER, words)).append("\n\n");
        }
        detail.append(texts.fill(CardTexts.Text.MUTANT_ALTERNATIVES, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text unknown(CardPhrases phrases, CardTexts texts, CardInput input) {
        String drug = name(input.drug());
        List<String> reasons = unknownReasons(phrases, input);
        Map<String, String> words = Map.of("drug", lower(drug), "reasons", String.join("; ", reasons));
        String summary = fit(drug + ": RAS status unknown (", String.join("; ", reasons), ")");
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_HEADLINE, words)).append("\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? NO_RESULT : found).append('\n');
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_EXTENDED_TESTING, words)).append("\n\n");
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_LABELS, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text approvedCombination(CardPhrases phrases, CardTexts texts, CardInput input) {
        String drug = name(input.drug());
        String partner = name(input.partner());
        Map<String, String> words = words(drug, partner);
        String summary = fit(drug + " with " + lower(partner) + ": approved combination for ", "KRAS G12C", "");
        String detail = texts.fill(CardTexts.Text.G12C_COMBINATION_HEADLINE, words) + "\n\n"
                + "**Evidence**\n\n" + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases) + '\n'
                + texts.fill(CardTexts.Text.G12C_COMBINATION_CONFIRM, words) + '\n';
        return new Text(summary, detail);
    }

    private static Text g12cNotDocumented(CardPhrases phrases, CardTexts texts, CardInput input) {
        String drug = name(input.drug());
        String partner = lower(name(input.partner()));
        Map<String, String> words = words(drug, partner);
        String summary = fit(drug + " with " + partner + ": ", "KRAS G12C not documented", "");
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.G12C_NOT_DOCUMENTED_HEADLINE, words)).append("\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(phrases, input)) + ")" : "wild-type").append(".\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? NO_RESULT : found).append('\n');
        detail.append(texts.fill(CardTexts.Text.G12C_NOT_DOCUMENTED_CONFIRM, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text brafCombination(CardPhrases phrases, CardTexts texts, CardInput input) {
        String drug = name(input.drug());
        String partner = lower(name(BrafInhibitor.ENCORAFENIB));
        Map<String, String> words = words(drug, partner);
        String summary = fit(drug + " with " + partner + ": approved combination for ", "BRAF V600E", "");
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.BRAF_COMBINATION_HEADLINE, words)).append("\n\n");
        detail.append("**BRAF V600E**: ").append(String.join(", ", input.assessment().brafV600eEvidence().stream()
                .map(EvidenceLines::source).toList())).append(".\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(phrases, input)) + ")" : "not confirmed (" + String.join("; ", unknownReasons(phrases, input)) + ")")
                .append(". ").append(texts.fill(CardTexts.Text.BRAF_COMBINATION_RAS_CAVEAT, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text rechallenge(CardPhrases phrases, CardTexts texts, CardInput input, List<String> evidence) {
        String drug = name(input.drug());
        EarlierCourse course = input.rechallenge().course();
        String earlier = lower(name(course.drug()));
        Map<String, String> words = Map.of("drug", lower(drug), "earlier", earlier);
        String summary = fit(drug + " re-challenge: no plasma (ctDNA) RAS result since the earlier " + earlier + " course; ",
                "test first", "");
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.RECHALLENGE_HEADLINE, Map.of("drug", lower(drug), "earlier", earlier,
                "end", course.possiblyOngoing() ? texts.fill(CardTexts.Text.RECHALLENGE_END_NOT_RECORDED, words)
                        : MarkdownText.escape(course.endText()),
                "course", course.reference() == null ? "" : "; course: " + EvidenceLines.source(course.reference())))).append("\n\n");
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases);
        detail.append("**Results found**\n\n").append(found).append('\n');
        detail.append(texts.fill(CardTexts.Text.RECHALLENGE_BEFORE, words)).append("\n\n");
        detail.append("**Evidence**\n\n");
        evidence.forEach(line -> detail.append("- ").append(line).append('\n'));
        return new Text(summary, detail.toString());
    }

    private static Text wildType(CardPhrases phrases, CardTexts texts, CardInput input) {
        String drug = name(input.drug());
        String date = EvidenceLines.newestDate(input.assessment(), EvidenceCall.NEGATIVE);
        String summary = fit(drug + ": RAS wild-type (KRAS and NRAS, extended)", date == null ? "" : ", tested " + date, "");
        String detail = texts.fill(CardTexts.Text.WILD_TYPE, words(drug)) + "\n\n"
                + "**Results**\n\n" + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.NEGATIVE, phrases);
        return new Text(summary, detail);
    }

    // ------------------------------------------------------------------ parts

    /** The words a card's texts may use, in lower case ({Drug} capitalises at the start of a sentence). */
    private static Map<String, String> words(String drug) {
        return Map.of("drug", lower(drug));
    }

    private static Map<String, String> words(String drug, String partner) {
        return Map.of("drug", lower(drug), "partner", lower(partner));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
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

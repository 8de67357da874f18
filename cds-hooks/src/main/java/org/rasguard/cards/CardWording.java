package org.rasguard.cards;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rasguard.decision.EarlierCourse;
import org.rasguard.knowledge.BrafInhibitor;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.RasStatus;

/**
 * What each order card says: its summary (under 140 characters) and its markdown detail (the finding,
 * the evidence, why, and what to do instead). Every word is the knowledge package's ({@link CardTexts}:
 * PlanDefinition anti-egfr-ras-check, for clinical review); here the texts are put in order around the
 * evidence list items ({@link EvidenceLines}) and the record's data, one method per card. A summary's
 * variable part (variant names, reasons, the test date) is the word {@link CardTexts#summary} shortens
 * to fit 140 characters.
 */
final class CardWording {

    /** A card's text before the invisible characters are taken out. */
    record Text(String summary, String detail) {}

    private CardWording() {}

    /**
     * @param rechallengeEvidence the trials behind the re-challenge rule, as the knowledge package cites them
     * @param phrases how reasons and calls are said inside a sentence (ig-resources)
     * @param texts the cards' words (ig-resources)
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
                throw new IllegalArgumentException(
                        "A patient-view card is worded by ChartCards, not per order: " + input.kind());
        };
    }

    // ------------------------------------------------------------------ the cards

    private static Text mutant(CardPhrases phrases, CardTexts texts, CardInput input, boolean g12cWithoutPartner) {
        String drug = word(input.drug());
        String variants = EvidenceLines.mutationNames(input.assessment(), texts);
        Map<String, String> words = g12cWithoutPartner
                ? Map.of("drug", drug, "partner", word(input.partner()), "variants", variants)
                : Map.of("drug", drug, "variants", variants);
        String summary = texts.summary(
                g12cWithoutPartner ? CardTexts.Text.MUTANT_SUMMARY_WITHOUT_PARTNER : CardTexts.Text.MUTANT_SUMMARY,
                words);
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(
                        g12cWithoutPartner
                                ? CardTexts.Text.MUTANT_HEADLINE_WITHOUT_PARTNER
                                : CardTexts.Text.MUTANT_HEADLINE,
                        words))
                .append("\n\n");
        detail.append(texts.get(CardTexts.Text.EVIDENCE_HEADING))
                .append("\n\n")
                .append(EvidenceLines.of(
                        input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases, texts))
                .append('\n');
        detail.append(texts.fill(CardTexts.Text.MUTANT_WHY, words)).append("\n\n");
        if (g12cWithoutPartner) {
            detail.append(texts.fill(CardTexts.Text.MUTANT_G12C_PARTNER, words)).append("\n\n");
        }
        detail.append(texts.fill(CardTexts.Text.MUTANT_ALTERNATIVES, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text unknown(CardPhrases phrases, CardTexts texts, CardInput input) {
        Map<String, String> words =
                Map.of("drug", word(input.drug()), "reasons", unknownReasons(phrases, texts, input));
        String summary = texts.summary(CardTexts.Text.UNKNOWN_SUMMARY, words);
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_HEADLINE, words)).append("\n\n");
        detail.append(resultsFound(phrases, texts, input)).append('\n');
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_EXTENDED_TESTING, words))
                .append("\n\n");
        detail.append(texts.fill(CardTexts.Text.UNKNOWN_LABELS, words)).append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text approvedCombination(CardPhrases phrases, CardTexts texts, CardInput input) {
        Map<String, String> words = Map.of("drug", word(input.drug()), "partner", word(input.partner()));
        String summary = texts.summary(CardTexts.Text.G12C_COMBINATION_SUMMARY, words);
        String detail = texts.fill(CardTexts.Text.G12C_COMBINATION_HEADLINE, words) + "\n\n"
                + texts.get(CardTexts.Text.EVIDENCE_HEADING) + "\n\n"
                + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.MUTATED, phrases, texts)
                + '\n'
                + texts.fill(CardTexts.Text.G12C_COMBINATION_CONFIRM, words) + '\n';
        return new Text(summary, detail);
    }

    private static Text g12cNotDocumented(CardPhrases phrases, CardTexts texts, CardInput input) {
        Map<String, String> words = Map.of("drug", word(input.drug()), "partner", word(input.partner()));
        String summary = texts.summary(CardTexts.Text.G12C_NOT_DOCUMENTED_SUMMARY, words);
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.G12C_NOT_DOCUMENTED_HEADLINE, words))
                .append("\n\n");
        detail.append(rasStatus(
                        texts,
                        input.assessment().status() == RasStatus.UNKNOWN
                                ? texts.fill(
                                        CardTexts.Text.STATUS_UNKNOWN,
                                        Map.of("reasons", unknownReasons(phrases, texts, input)))
                                : texts.get(CardTexts.Text.STATUS_WILD_TYPE)))
                .append("\n\n");
        detail.append(resultsFound(phrases, texts, input)).append('\n');
        detail.append(texts.fill(CardTexts.Text.G12C_NOT_DOCUMENTED_CONFIRM, words))
                .append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text brafCombination(CardPhrases phrases, CardTexts texts, CardInput input) {
        Map<String, String> words = Map.of("drug", word(input.drug()), "partner", word(BrafInhibitor.ENCORAFENIB));
        String summary = texts.summary(CardTexts.Text.BRAF_COMBINATION_SUMMARY, words);
        Map<String, String> reasons = Map.of("reasons", unknownReasons(phrases, texts, input));
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(CardTexts.Text.BRAF_COMBINATION_HEADLINE, words))
                .append("\n\n");
        detail.append(texts.fill(
                        CardTexts.Text.BRAF_COMBINATION_RESULTS,
                        Map.of(
                                "results",
                                String.join(
                                        ", ",
                                        input.assessment().brafV600eEvidence().stream()
                                                .map(reference -> EvidenceLines.source(reference, texts))
                                                .toList()))))
                .append("\n\n");
        detail.append(rasStatus(
                        texts,
                        input.assessment().status() == RasStatus.UNKNOWN
                                ? texts.fill(CardTexts.Text.STATUS_UNKNOWN, reasons)
                                : texts.fill(CardTexts.Text.STATUS_NOT_CONFIRMED, reasons)))
                .append(' ')
                .append(texts.fill(CardTexts.Text.BRAF_COMBINATION_RAS_CAVEAT, words))
                .append('\n');
        return new Text(summary, detail.toString());
    }

    private static Text rechallenge(CardPhrases phrases, CardTexts texts, CardInput input, List<String> evidence) {
        EarlierCourse course = input.rechallenge().course();
        Map<String, String> words = Map.of("drug", word(input.drug()), "earlier", word(course.drug()));
        String summary = texts.summary(CardTexts.Text.RECHALLENGE_SUMMARY, words);
        StringBuilder detail = new StringBuilder();
        detail.append(texts.fill(
                        CardTexts.Text.RECHALLENGE_HEADLINE,
                        Map.of(
                                "drug",
                                words.get("drug"),
                                "earlier",
                                words.get("earlier"),
                                "end",
                                course.possiblyOngoing()
                                        ? texts.fill(CardTexts.Text.RECHALLENGE_END_NOT_RECORDED, words)
                                        : MarkdownText.escape(course.endText()),
                                "course",
                                course.reference() == null
                                        ? ""
                                        : texts.fill(
                                                CardTexts.Text.RECHALLENGE_COURSE,
                                                Map.of("record", EvidenceLines.source(course.reference(), texts))))))
                .append("\n\n");
        detail.append(texts.get(CardTexts.Text.RESULTS_FOUND_HEADING))
                .append("\n\n")
                .append(EvidenceLines.of(input.assessment(), item -> true, phrases, texts))
                .append('\n');
        detail.append(texts.fill(CardTexts.Text.RECHALLENGE_BEFORE, words)).append("\n\n");
        detail.append(texts.get(CardTexts.Text.EVIDENCE_HEADING)).append("\n\n");
        evidence.forEach(line -> detail.append("- ").append(line).append('\n'));
        return new Text(summary, detail.toString());
    }

    private static Text wildType(CardPhrases phrases, CardTexts texts, CardInput input) {
        String date = EvidenceLines.newestDate(input.assessment(), EvidenceCall.NEGATIVE);
        Map<String, String> words = Map.of(
                "drug",
                word(input.drug()),
                "tested",
                date == null ? "" : texts.fill(CardTexts.Text.WILD_TYPE_TESTED, Map.of("date", date)));
        String summary = texts.summary(CardTexts.Text.WILD_TYPE_SUMMARY, words);
        String detail = texts.fill(CardTexts.Text.WILD_TYPE, words) + "\n\n"
                + texts.get(CardTexts.Text.RESULTS_HEADING) + "\n\n"
                + EvidenceLines.of(input.assessment(), item -> item.call() == EvidenceCall.NEGATIVE, phrases, texts);
        return new Text(summary, detail);
    }

    // ------------------------------------------------------------------ parts

    /** Every KRAS and NRAS result under its heading, or one list item saying there is none. */
    private static String resultsFound(CardPhrases phrases, CardTexts texts, CardInput input) {
        String found = EvidenceLines.of(input.assessment(), item -> true, phrases, texts);
        return texts.get(CardTexts.Text.RESULTS_FOUND_HEADING) + "\n\n"
                + (found.isEmpty() ? "- " + texts.get(CardTexts.Text.NO_RESULT) + "\n" : found);
    }

    /** The RAS status line of the combination cards. */
    private static String rasStatus(CardTexts texts, String status) {
        return texts.fill(CardTexts.Text.RAS_STATUS, Map.of("status", status));
    }

    /** The assessment's reasons in words, then the cautions, joined; never empty. */
    private static String unknownReasons(CardPhrases phrases, CardTexts texts, CardInput input) {
        List<String> reasons = new ArrayList<>();
        input.assessment().reasons().forEach(reason -> reasons.add(phrases.reason(reason)));
        reasons.addAll(input.cautions());
        if (reasons.isEmpty()) {
            reasons.add(texts.get(CardTexts.Text.NO_COMPLETE_RESULT));
        }
        return String.join("; ", reasons);
    }

    /** A drug as the texts' words name it ({drug}: lower case; {Drug} capitalises it). */
    static String word(Enum<?> drug) {
        return drug.name().toLowerCase(Locale.ROOT);
    }
}

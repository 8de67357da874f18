package org.rasguard.cards;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.Gene;
import org.rasguard.ras.GeneVerdict;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.VariantFinding;

/**
 * The evidence in card text: one markdown list item per result (gene, what it said, date, specimen,
 * report or result, and whether it came from the EHR or our store; the call in {@link CardPhrases}' words,
 * the rest in the knowledge package's: {@link CardTexts}' evidence and reference texts), and variant names
 * for a summary. Everything taken from the record is escaped ({@link MarkdownText}).
 */
final class EvidenceLines {

    /** Prefix that marks evidence read from RAS Guard's own store (see {@link CardFactory#STORE_ID_PREFIX}). */
    private static final String STORE_ID_PREFIX = CardFactory.STORE_ID_PREFIX;

    private static final int MAX_EVIDENCE_LINES = 12;

    private EvidenceLines() {}

    /**
     * {@code KRAS p.G12D, NRAS p.Q61K}, protein names first; a gene without a named variant, or a status
     * without a gene, in the words of the texts mutation-of-gene and mutation-unnamed.
     */
    static String mutationNames(RasAssessment assessment, CardTexts texts) {
        Set<String> names = new LinkedHashSet<>();
        for (Gene gene : Gene.values()) {
            List<VariantFinding> mutated = assessment.variants().stream()
                    .filter(v -> v.gene() == gene && v.call() == EvidenceCall.MUTATED)
                    .toList();
            List<VariantFinding> shown =
                    mutated.stream().filter(VariantNames::isProtein).toList();
            // A change reported both as c. and p. on one result is shown once, by its protein name.
            Set<String> withProtein =
                    shown.stream().map(VariantFinding::evidence).collect(Collectors.toSet());
            List<VariantFinding> codingOnly = mutated.stream()
                    .filter(v -> !VariantNames.isProtein(v) && !withProtein.contains(v.evidence()))
                    .toList();
            shown.forEach(v -> names.add(gene.symbol() + " " + VariantNames.shortName(v)));
            codingOnly.forEach(v -> names.add(gene.symbol() + " " + VariantNames.shortName(v)));
            GeneVerdict verdict = assessment.genes().get(gene);
            if (mutated.isEmpty() && verdict != null && verdict.status() == GeneVerdict.Status.MUTATED) {
                names.add(texts.fill(CardTexts.Text.MUTATION_OF_GENE, Map.of("gene", gene.symbol())));
            }
        }
        return names.isEmpty() ? texts.get(CardTexts.Text.MUTATION_UNNAMED) : String.join(", ", names);
    }

    /**
     * One markdown list item per result: gene, what it said, date, specimen, report or result. The same
     * result read twice (from the EHR and from our store) is shown once, with the most it says.
     */
    static String of(RasAssessment assessment, Predicate<EvidenceItem> which, CardPhrases phrases, CardTexts texts) {
        Map<String, EvidenceItem> distinct = new LinkedHashMap<>();
        assessment.evidence().stream()
                .filter(which)
                .sorted(Comparator.comparing((EvidenceItem item) -> item.gene())
                        .thenComparing(item -> Objects.toString(date(item), ""), Comparator.reverseOrder()))
                .forEach(item -> distinct.merge(
                        item.gene() + "|" + item.call() + "|" + item.detail() + "|" + date(item),
                        item,
                        (kept, other) -> richness(other) > richness(kept) ? other : kept));
        StringBuilder out = new StringBuilder();
        int lines = 0;
        for (EvidenceItem item : distinct.values()) {
            if (++lines > MAX_EVIDENCE_LINES) {
                out.append("- ")
                        .append(texts.fill(
                                CardTexts.Text.EVIDENCE_MORE,
                                Map.of("count", Integer.toString(distinct.size() - MAX_EVIDENCE_LINES))))
                        .append('\n');
                break;
            }
            String date = date(item);
            out.append("- ")
                    .append(texts.fill(
                            CardTexts.Text.EVIDENCE_LINE,
                            Map.of(
                                    "gene", item.gene().symbol(),
                                    "call", phrases.call(item.call()),
                                    "preliminary",
                                            item.preliminary() ? texts.get(CardTexts.Text.EVIDENCE_PRELIMINARY) : "",
                                    "detail", MarkdownText.escape(item.detail()),
                                    "date",
                                            date == null
                                                    ? texts.get(CardTexts.Text.EVIDENCE_DATE_NOT_STATED)
                                                    : MarkdownText.escape(date),
                                    "specimen",
                                            item.specimen() == null
                                                    ? ""
                                                    : texts.fill(
                                                            CardTexts.Text.EVIDENCE_SPECIMEN,
                                                            Map.of("specimen", MarkdownText.escape(item.specimen()))),
                                    "source",
                                            item.report() != null
                                                    ? texts.fill(
                                                            CardTexts.Text.EVIDENCE_REPORT,
                                                            Map.of("reference", source(item.report(), texts)))
                                                    : texts.fill(
                                                            CardTexts.Text.EVIDENCE_RESULT,
                                                            Map.of("reference", source(item.reference(), texts))))))
                    .append('\n');
        }
        return out.toString();
    }

    private static int richness(EvidenceItem item) {
        return (item.report() != null ? 2 : 0) + (item.specimen() != null ? 1 : 0);
    }

    private static String date(EvidenceItem item) {
        String date = item.effective() != null ? item.effective() : item.issued();
        return date == null ? null : date.length() > 10 && date.charAt(10) == 'T' ? date.substring(0, 10) : date;
    }

    /** The newest date of a final result with this call, or null. */
    static String newestDate(RasAssessment assessment, EvidenceCall call) {
        return assessment.evidence().stream()
                .filter(item -> item.call() == call && !item.preliminary())
                .map(EvidenceLines::date)
                .filter(Objects::nonNull)
                .max(String::compareTo)
                .orElse(null);
    }

    /**
     * A record, escaped, in the words of the text reference-store ({@code Observation/rasguard-store-12}
     * is our store's {@code Observation/12}) or reference-ehr.
     */
    static String source(String reference, CardTexts texts) {
        int slash = reference.indexOf('/');
        if (slash > 0 && reference.startsWith(STORE_ID_PREFIX, slash + 1)) {
            return texts.fill(
                    CardTexts.Text.REFERENCE_STORE,
                    Map.of(
                            "reference",
                            MarkdownText.escape(reference.substring(0, slash + 1)
                                    + reference.substring(slash + 1 + STORE_ID_PREFIX.length()))));
        }
        return texts.fill(CardTexts.Text.REFERENCE_EHR, Map.of("reference", MarkdownText.escape(reference)));
    }
}

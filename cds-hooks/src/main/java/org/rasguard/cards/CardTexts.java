package org.rasguard.cards;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.rasguard.decision.ChartDecider;
import org.rasguard.decision.OrderRule;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * Every word the cards show that is not the record's: the knowledge package's, for clinical review,
 * read once at start from the two PlanDefinitions that give the cards ({@value OrderRule#PLAN_DEFINITION}
 * for the order cards, {@value ChartDecider#PLAN_DEFINITION} for the patient-view cards). Java keeps only
 * the layout (which text goes where, the markdown list items and blank lines) and the exception messages.
 *
 * <ul>
 *   <li>A card's summary and the fixed texts of its detail (the "Why", the headings, the RAS status line,
 *       the words of an evidence list item, the fallback words for what the record does not give) are
 *       {@value #EXTENSION} extensions on the action that gives the card, each named and with its
 *       sources. Why an extension: R4 {@code PlanDefinition.action} has one {@code title} and one
 *       {@code description}, which state the rule there (and stay so); {@code textEquivalent} is one
 *       string too, and {@code documentation} holds the citations (the re-challenge card lists them). One
 *       action gives two cards (ras-mutated: the antibody alone for KRAS G12C), and the optional wild-type
 *       card and the texts every order card shares sit on the top action.
 *   <li>A suggestion's label and the description of its action are the {@code title} and
 *       {@code description} of the sub-action that offers it ({@link Suggestions} says why).
 *   <li>A card's source label is its PlanDefinition's {@code publisher}.
 * </ul>
 *
 * <p>Words in braces are filled in per card ({@link #fill}); each text may use only the words its card
 * fills in. A summary is fitted under 140 characters ({@link #summary}): the one word its {@link Text}
 * names as shortened is cut with "…", a summary without one is cut at its end. A package that lacks a
 * text, has one no card shows, uses a word the card does not fill in, or a brace that encloses no word,
 * does not start: an {@link IllegalArgumentException} names the PlanDefinition, the action and the text.
 */
final class CardTexts {

    static final String EXTENSION = KnowledgeBase.CANONICAL_BASE + "/StructureDefinition/card-text";
    /** CDS Hooks 2.0: a card's summary is a "one-sentence, <140-character summary". */
    static final int MAX_SUMMARY = 139;

    private static final Pattern WORD = Pattern.compile("\\{([A-Za-z]+)\\}");

    /** The PlanDefinitions whose actions word the cards. */
    enum Plan {
        ORDER(OrderRule.PLAN_DEFINITION),
        CHART(ChartDecider.PLAN_DEFINITION);

        final String url;

        Plan(String url) {
            this.url = url;
        }
    }

    /** Where on its action a text is. */
    enum Part {
        /** A card-text extension. */
        TEXT,
        /** A card-text extension that is a card's summary: plain text, fitted under 140 characters. */
        SUMMARY,
        /** The action's title: a sub-action's is the label of the suggestion it offers. */
        TITLE,
        /** The action's description: a sub-action's is the description of its suggestion's action. */
        DESCRIPTION
    }

    /** Each text a card needs: its PlanDefinition, action and name, the words in braces it may use (lower case). */
    enum Text {
        // anti-egfr-ras-check, top action: the optional wild-type card, and what every order card shares
        WILD_TYPE_SUMMARY(
                Plan.ORDER, "anti-egfr-ras-check", Part.SUMMARY, "wild-type-summary", "tested", "drug", "tested"),
        WILD_TYPE_TESTED(Plan.ORDER, "anti-egfr-ras-check", "wild-type-tested", "date"),
        WILD_TYPE(Plan.ORDER, "anti-egfr-ras-check", "wild-type", "drug"),
        RESULTS_HEADING(Plan.ORDER, "anti-egfr-ras-check", "results-heading"),
        EVIDENCE_HEADING(Plan.ORDER, "anti-egfr-ras-check", "evidence-heading"),
        RESULTS_FOUND_HEADING(Plan.ORDER, "anti-egfr-ras-check", "results-found-heading"),
        NO_RESULT(Plan.ORDER, "anti-egfr-ras-check", "no-result"),
        NO_COMPLETE_RESULT(Plan.ORDER, "anti-egfr-ras-check", "no-complete-result"),
        RAS_STATUS(Plan.ORDER, "anti-egfr-ras-check", "ras-status", "status"),
        STATUS_UNKNOWN(Plan.ORDER, "anti-egfr-ras-check", "status-unknown", "reasons"),
        STATUS_NOT_CONFIRMED(Plan.ORDER, "anti-egfr-ras-check", "status-not-confirmed", "reasons"),
        STATUS_WILD_TYPE(Plan.ORDER, "anti-egfr-ras-check", "status-wild-type"),
        EVIDENCE_LINE(
                Plan.ORDER,
                "anti-egfr-ras-check",
                "evidence-line",
                "gene",
                "call",
                "preliminary",
                "detail",
                "date",
                "specimen",
                "source"),
        EVIDENCE_PRELIMINARY(Plan.ORDER, "anti-egfr-ras-check", "evidence-preliminary"),
        EVIDENCE_DATE_NOT_STATED(Plan.ORDER, "anti-egfr-ras-check", "evidence-date-not-stated"),
        EVIDENCE_SPECIMEN(Plan.ORDER, "anti-egfr-ras-check", "evidence-specimen", "specimen"),
        EVIDENCE_REPORT(Plan.ORDER, "anti-egfr-ras-check", "evidence-report", "reference"),
        EVIDENCE_RESULT(Plan.ORDER, "anti-egfr-ras-check", "evidence-result", "reference"),
        EVIDENCE_MORE(Plan.ORDER, "anti-egfr-ras-check", "evidence-more", "count"),
        REFERENCE_STORE(Plan.ORDER, "anti-egfr-ras-check", "reference-store", "reference"),
        REFERENCE_EHR(Plan.ORDER, "anti-egfr-ras-check", "reference-ehr", "reference"),
        MUTATION_OF_GENE(Plan.ORDER, "anti-egfr-ras-check", "mutation-of-gene", "gene"),
        MUTATION_UNNAMED(Plan.ORDER, "anti-egfr-ras-check", "mutation-unnamed"),
        // anti-egfr-ras-check, one action per card
        G12C_COMBINATION_SUMMARY(
                Plan.ORDER, "approved-g12c-combination", Part.SUMMARY, "summary", null, "drug", "partner"),
        G12C_COMBINATION_HEADLINE(Plan.ORDER, "approved-g12c-combination", "headline", "drug", "partner"),
        G12C_COMBINATION_CONFIRM(Plan.ORDER, "approved-g12c-combination", "confirm", "drug", "partner"),
        MUTANT_SUMMARY(Plan.ORDER, "ras-mutated", Part.SUMMARY, "summary", "variants", "drug", "variants"),
        MUTANT_SUMMARY_WITHOUT_PARTNER(
                Plan.ORDER,
                "ras-mutated",
                Part.SUMMARY,
                "summary-without-partner",
                "variants",
                "drug",
                "partner",
                "variants"),
        MUTANT_HEADLINE(Plan.ORDER, "ras-mutated", "headline", "drug"),
        MUTANT_HEADLINE_WITHOUT_PARTNER(Plan.ORDER, "ras-mutated", "headline-without-partner", "drug", "partner"),
        MUTANT_WHY(Plan.ORDER, "ras-mutated", "why", "drug"),
        MUTANT_G12C_PARTNER(Plan.ORDER, "ras-mutated", "g12c-partner", "drug", "partner"),
        MUTANT_ALTERNATIVES(Plan.ORDER, "ras-mutated", "alternatives", "drug"),
        G12C_NOT_DOCUMENTED_SUMMARY(
                Plan.ORDER, "g12c-not-documented", Part.SUMMARY, "summary", null, "drug", "partner"),
        G12C_NOT_DOCUMENTED_HEADLINE(Plan.ORDER, "g12c-not-documented", "headline", "drug", "partner"),
        G12C_NOT_DOCUMENTED_CONFIRM(Plan.ORDER, "g12c-not-documented", "confirm", "drug", "partner"),
        BRAF_COMBINATION_SUMMARY(
                Plan.ORDER, "approved-braf-v600e-combination", Part.SUMMARY, "summary", null, "drug", "partner"),
        BRAF_COMBINATION_HEADLINE(Plan.ORDER, "approved-braf-v600e-combination", "headline", "drug", "partner"),
        BRAF_COMBINATION_RESULTS(Plan.ORDER, "approved-braf-v600e-combination", "braf-v600e-results", "results"),
        BRAF_COMBINATION_RAS_CAVEAT(Plan.ORDER, "approved-braf-v600e-combination", "ras-caveat", "drug", "partner"),
        UNKNOWN_SUMMARY(Plan.ORDER, "ras-unknown", Part.SUMMARY, "summary", "reasons", "drug", "reasons"),
        UNKNOWN_HEADLINE(Plan.ORDER, "ras-unknown", "headline", "drug", "reasons"),
        UNKNOWN_EXTENDED_TESTING(Plan.ORDER, "ras-unknown", "extended-testing", "drug"),
        UNKNOWN_LABELS(Plan.ORDER, "ras-unknown", "labels", "drug"),
        RECHALLENGE_SUMMARY(Plan.ORDER, "anti-egfr-rechallenge", Part.SUMMARY, "summary", null, "drug", "earlier"),
        RECHALLENGE_HEADLINE(Plan.ORDER, "anti-egfr-rechallenge", "headline", "drug", "earlier", "end", "course"),
        RECHALLENGE_END_NOT_RECORDED(Plan.ORDER, "anti-egfr-rechallenge", "end-not-recorded", "drug", "earlier"),
        RECHALLENGE_COURSE(Plan.ORDER, "anti-egfr-rechallenge", "course-record", "record"),
        RECHALLENGE_BEFORE(Plan.ORDER, "anti-egfr-rechallenge", "before-rechallenge", "drug", "earlier"),
        // anti-egfr-ras-check, the sub-actions that are suggestions
        REMOVE_LABEL(Plan.ORDER, "remove-anti-egfr-order", Part.TITLE, "title", null, "drug"),
        REMOVE_DESCRIPTION(Plan.ORDER, "remove-anti-egfr-order", Part.DESCRIPTION, "description", null, "drug"),
        ADD_PARTNER_LABEL(Plan.ORDER, "add-g12c-partner", Part.TITLE, "title", null, "drug", "partner"),
        ADD_PARTNER_DESCRIPTION(
                Plan.ORDER, "add-g12c-partner", Part.DESCRIPTION, "description", null, "drug", "partner"),
        EXTENDED_TESTING_LABEL(Plan.ORDER, "order-extended-ras-testing", Part.TITLE, "title", null),
        EXTENDED_TESTING_DESCRIPTION(Plan.ORDER, "order-extended-ras-testing", Part.DESCRIPTION, "description", null),
        PLASMA_TESTING_LABEL(Plan.ORDER, "order-plasma-ras-testing", Part.TITLE, "title", null),
        PLASMA_TESTING_DESCRIPTION(Plan.ORDER, "order-plasma-ras-testing", Part.DESCRIPTION, "description", null),
        // ras-testing-patient-view: the words a card's title and description take when the record gives none
        LATE_DRUG_NOT_RECORDED(Plan.CHART, "late-ras-result", "drug-not-recorded"),
        LATE_ORDER_NOT_RECORDED(Plan.CHART, "late-ras-result", "order-not-recorded"),
        LATE_IDENTIFIED_NOT_RECORDED(Plan.CHART, "late-ras-result", "identified-not-recorded"),
        LATE_DETAIL_NOT_RECORDED(Plan.CHART, "late-ras-result", "detail-not-recorded"),
        LATE_RESULT_NOT_NAMED(Plan.CHART, "late-ras-result", "result-not-named"),
        UNTESTED_NEVER_TESTED(Plan.CHART, "ras-testing-metastatic", "status-never-tested"),
        UNTESTED_UNKNOWN(Plan.CHART, "ras-testing-metastatic", "status-unknown"),
        ORIGIN_PRIMARY(Plan.CHART, "metastasis-ras-testing", "origin-primary"),
        ORIGIN_NOT_STATED(Plan.CHART, "metastasis-ras-testing", "origin-not-stated"),
        ORIGIN_METASTASIS(Plan.CHART, "metastasis-ras-testing", "origin-metastasis");

        final Plan plan;
        final String action;
        final Part part;
        final String name;
        /** For a summary: the word cut with "…" when the summary would be too long; null to cut at the end. */
        final String shortened;

        final Set<String> words;

        Text(Plan plan, String action, String name, String... words) {
            this(plan, action, Part.TEXT, name, null, words);
        }

        Text(Plan plan, String action, Part part, String name, String shortened, String... words) {
            this.plan = plan;
            this.action = action;
            this.part = part;
            this.name = name;
            this.shortened = shortened;
            this.words = Set.of(words);
        }

        String where() {
            return "action " + action + (part == Part.TITLE || part == Part.DESCRIPTION ? " " + name : " text " + name);
        }
    }

    private final Map<Text, String> texts;
    private final Map<Plan, String> publishers;

    private CardTexts(Map<Text, String> texts, Map<Plan, String> publishers) {
        this.texts = texts;
        this.publishers = publishers;
    }

    static CardTexts read(KnowledgeBase knowledge) {
        Map<Text, String> texts = new EnumMap<>(Text.class);
        Map<Plan, String> publishers = new EnumMap<>(Plan.class);
        for (Plan plan : Plan.values()) {
            PlanDefinition definition = knowledge.artifacts().stream()
                    .filter(PlanDefinition.class::isInstance)
                    .map(PlanDefinition.class::cast)
                    .filter(candidate -> plan.url.equals(candidate.getUrl()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown PlanDefinition " + plan.url));
            if (definition.getPublisher() == null || definition.getPublisher().isBlank()) {
                throw problem(plan, "needs a publisher (the source label of its cards)");
            }
            publishers.put(plan, definition.getPublisher());
            Map<String, PlanDefinition.PlanDefinitionActionComponent> actions = new HashMap<>();
            Map<String, String> published = new HashMap<>();
            List<PlanDefinition.PlanDefinitionActionComponent> all = new ArrayList<>();
            collect(definition.getAction(), all);
            for (PlanDefinition.PlanDefinitionActionComponent action : all) {
                actions.put(action.getId(), action);
                for (Extension text : action.getExtensionsByUrl(EXTENSION)) {
                    String name = part(text, "name");
                    String words = part(text, "text");
                    if (name == null || words == null || part(text, "source") == null) {
                        throw problem(
                                plan,
                                "action " + action.getId() + " has a " + EXTENSION
                                        + " without its name, text or source");
                    }
                    if (published.put(action.getId() + "|" + name, words) != null) {
                        throw problem(plan, "action " + action.getId() + " has the text " + name + " twice");
                    }
                }
            }
            for (Text text : Text.values()) {
                if (text.plan == plan) {
                    texts.put(
                            text,
                            checked(
                                    plan,
                                    text,
                                    switch (text.part) {
                                        case TEXT, SUMMARY -> published.remove(text.action + "|" + text.name);
                                        case TITLE ->
                                            actions.containsKey(text.action)
                                                    ? blankIsNull(actions.get(text.action)
                                                            .getTitle())
                                                    : null;
                                        case DESCRIPTION ->
                                            actions.containsKey(text.action)
                                                    ? blankIsNull(actions.get(text.action)
                                                            .getDescription())
                                                    : null;
                                    }));
                }
            }
            if (!published.isEmpty()) {
                throw problem(plan, "has texts no card shows: " + published.keySet());
            }
        }
        return new CardTexts(texts, publishers);
    }

    private static String checked(Plan plan, Text text, String words) {
        if (words == null) {
            throw problem(
                    plan,
                    text.part == Part.TITLE || text.part == Part.DESCRIPTION
                            ? "needs a " + text.name + " on action " + text.action
                            : "needs the " + EXTENSION + " " + text.name + " on action " + text.action);
        }
        Matcher word = WORD.matcher(words);
        int shortened = 0;
        while (word.find()) {
            String name = word.group(1).toLowerCase(Locale.ROOT);
            if (!text.words.contains(name)) {
                throw problem(
                        plan,
                        text.where() + " uses {" + word.group(1) + "}, which this card does not fill in (it fills "
                                + text.words + ")");
            }
            if (name.equals(text.shortened)) {
                shortened++;
            }
        }
        if (WORD.matcher(words).replaceAll("").matches("(?s).*[{}].*")) {
            throw problem(plan, text.where() + " has a brace that encloses no word (words are written {drug})");
        }
        if (shortened > 1) {
            throw problem(
                    plan, text.where() + " uses {" + text.shortened + "} more than once; a summary shortens one part");
        }
        return words;
    }

    /**
     * The text with each {word} filled in, {Word} with its first letter in upper case. Values go in
     * as they are (already escaped where they come from the record).
     */
    String fill(Text text, Map<String, String> words) {
        return fill(text, texts.get(text), words);
    }

    /** A text without words to fill in. */
    String get(Text text) {
        return fill(text, Map.of());
    }

    /**
     * A summary filled in and under 140 characters: when it would be longer, its shortened word is cut
     * with "…" (the rest stays whole), and a summary without one, or still too long, is cut at its end.
     */
    String summary(Text text, Map<String, String> words) {
        if (text.part != Part.SUMMARY) {
            throw new IllegalArgumentException(text + " is not a summary");
        }
        String template = texts.get(text);
        Matcher shortened = text.shortened == null
                ? null
                : Pattern.compile("\\{" + text.shortened + "\\}", Pattern.CASE_INSENSITIVE)
                        .matcher(template);
        if (shortened != null && shortened.find()) {
            return fit(
                    fill(text, template.substring(0, shortened.start()), words),
                    fill(text, shortened.group(), words),
                    fill(text, template.substring(shortened.end()), words));
        }
        return fit("", fill(text, template, words), "");
    }

    /** The source label of the cards this PlanDefinition gives: its publisher. */
    String sourceLabel(Plan plan) {
        return publishers.get(plan);
    }

    /** prefix + middle + suffix, the middle shortened with "…" so the summary stays under 140 characters. */
    static String fit(String prefix, String middle, String suffix) {
        int room = MAX_SUMMARY - prefix.length() - suffix.length();
        String shown = middle.length() <= room
                ? middle
                : middle.substring(0, Math.max(0, room - 1)).stripTrailing() + "…";
        String out = prefix + shown + suffix;
        return out.length() <= MAX_SUMMARY
                ? out
                : out.substring(0, MAX_SUMMARY - 1).stripTrailing() + "…";
    }

    private static String fill(Text text, String template, Map<String, String> words) {
        Matcher word = WORD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (word.find()) {
            String name = word.group(1);
            String value = words.get(name.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw new IllegalArgumentException(text.where() + ": no value for {" + name + "}");
            }
            if (Character.isUpperCase(name.charAt(0)) && !value.isEmpty()) {
                value = Character.toUpperCase(value.charAt(0)) + value.substring(1);
            }
            word.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        word.appendTail(out);
        return out.toString();
    }

    private static void collect(
            List<PlanDefinition.PlanDefinitionActionComponent> actions,
            List<PlanDefinition.PlanDefinitionActionComponent> out) {
        for (PlanDefinition.PlanDefinitionActionComponent action : actions) {
            out.add(action);
            collect(action.getAction(), out);
        }
    }

    private static String part(Extension text, String name) {
        Extension part = text.getExtensionByUrl(name);
        return part == null || !part.hasValue()
                ? null
                : blankIsNull(part.getValue().primitiveValue());
    }

    private static String blankIsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static IllegalArgumentException problem(Plan plan, String what) {
        return new IllegalArgumentException("PlanDefinition " + plan.url + " " + what);
    }
}

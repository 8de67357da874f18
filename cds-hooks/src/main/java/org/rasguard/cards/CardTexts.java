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
import org.rasguard.decision.OrderRule;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The fixed texts of the order cards (the "Why", the labels, the alternatives, the approval
 * sentences…), as the knowledge package words them for clinical review: {@value #EXTENSION}
 * extensions on the actions of PlanDefinition {@value OrderRule#PLAN_DEFINITION}, each named and
 * with its sources. {@link CardWording} places them among the record's evidence.
 *
 * <p>Why an extension: R4 {@code PlanDefinition.action} has one {@code title} and one
 * {@code description}, which state the rule there (and stay so); {@code textEquivalent} is one string
 * too, and {@code documentation} holds the citations (the re-challenge card lists them). A card's
 * detail is several fixed texts around the evidence, one action gives two cards (ras-mutated: the
 * antibody alone for KRAS G12C), and the optional wild-type card has no action of its own (its text
 * sits on the top action), so each text is a named complex extension with its source next to it.
 *
 * <p>Read once when the cards are built; a package that lacks a text, names one no card shows, or
 * uses a word in braces the card does not fill, does not start.
 */
final class CardTexts {

    static final String EXTENSION = KnowledgeBase.CANONICAL_BASE + "/StructureDefinition/card-text";
    private static final Pattern WORD = Pattern.compile("\\{([A-Za-z]+)\\}");

    /** Each text a card needs: the action it is on, its name, and the words in braces it may use (lower case). */
    enum Text {
        WILD_TYPE("anti-egfr-ras-check", "wild-type", "drug"),
        G12C_COMBINATION_HEADLINE("approved-g12c-combination", "headline", "drug", "partner"),
        G12C_COMBINATION_CONFIRM("approved-g12c-combination", "confirm", "drug", "partner"),
        MUTANT_HEADLINE("ras-mutated", "headline", "drug"),
        MUTANT_HEADLINE_WITHOUT_PARTNER("ras-mutated", "headline-without-partner", "drug", "partner"),
        MUTANT_WHY("ras-mutated", "why", "drug"),
        MUTANT_G12C_PARTNER("ras-mutated", "g12c-partner", "drug", "partner"),
        MUTANT_ALTERNATIVES("ras-mutated", "alternatives", "drug"),
        G12C_NOT_DOCUMENTED_HEADLINE("g12c-not-documented", "headline", "drug", "partner"),
        G12C_NOT_DOCUMENTED_CONFIRM("g12c-not-documented", "confirm", "drug", "partner"),
        BRAF_COMBINATION_HEADLINE("approved-braf-v600e-combination", "headline", "drug", "partner"),
        BRAF_COMBINATION_RAS_CAVEAT("approved-braf-v600e-combination", "ras-caveat", "drug", "partner"),
        UNKNOWN_HEADLINE("ras-unknown", "headline", "drug", "reasons"),
        UNKNOWN_EXTENDED_TESTING("ras-unknown", "extended-testing", "drug"),
        UNKNOWN_LABELS("ras-unknown", "labels", "drug"),
        RECHALLENGE_HEADLINE("anti-egfr-rechallenge", "headline", "drug", "earlier", "end", "course"),
        RECHALLENGE_END_NOT_RECORDED("anti-egfr-rechallenge", "end-not-recorded", "drug", "earlier"),
        RECHALLENGE_BEFORE("anti-egfr-rechallenge", "before-rechallenge", "drug", "earlier");

        final String action;
        final String name;
        final Set<String> words;

        Text(String action, String name, String... words) {
            this.action = action;
            this.name = name;
            this.words = Set.of(words);
        }

        String where() {
            return "action " + action + " text " + name;
        }
    }

    private final Map<Text, String> texts;

    private CardTexts(Map<Text, String> texts) {
        this.texts = texts;
    }

    static CardTexts read(KnowledgeBase knowledge) {
        PlanDefinition plan = knowledge.artifacts().stream()
                .filter(PlanDefinition.class::isInstance).map(PlanDefinition.class::cast)
                .filter(definition -> OrderRule.PLAN_DEFINITION.equals(definition.getUrl()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("Unknown PlanDefinition " + OrderRule.PLAN_DEFINITION));
        Map<String, String> published = new HashMap<>();
        List<PlanDefinition.PlanDefinitionActionComponent> actions = new ArrayList<>();
        collect(plan.getAction(), actions);
        for (PlanDefinition.PlanDefinitionActionComponent action : actions) {
            for (Extension text : action.getExtensionsByUrl(EXTENSION)) {
                String name = part(text, "name");
                String words = part(text, "text");
                if (name == null || words == null || part(text, "source") == null) {
                    throw problem("action " + action.getId() + " has a " + EXTENSION + " without its name, text or source");
                }
                if (published.put(action.getId() + "|" + name, words) != null) {
                    throw problem("action " + action.getId() + " has the text " + name + " twice");
                }
            }
        }
        Map<Text, String> texts = new EnumMap<>(Text.class);
        for (Text text : Text.values()) {
            String words = published.remove(text.action + "|" + text.name);
            if (words == null) {
                throw problem("needs the " + EXTENSION + " " + text.name + " on action " + text.action);
            }
            Matcher word = WORD.matcher(words);
            while (word.find()) {
                if (!text.words.contains(word.group(1).toLowerCase(Locale.ROOT))) {
                    throw problem(text.where() + " uses {" + word.group(1) + "}, which this card does not fill in (it fills " + text.words + ")");
                }
            }
            texts.put(text, words);
        }
        if (!published.isEmpty()) {
            throw problem("has texts no card shows: " + published.keySet());
        }
        return new CardTexts(texts);
    }

    /**
     * The text with each {word} filled in, {Word} with its first letter in upper case. Values go in
     * as they are (already escaped where they come from the record).
     */
    String fill(Text text, Map<String, String> words) {
        Matcher word = WORD.matcher(texts.get(text));
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

    /** A text without words to fill in. */
    String get(Text text) {
        return fill(text, Map.of());
    }

    private static void collect(List<PlanDefinition.PlanDefinitionActionComponent> actions,
            List<PlanDefinition.PlanDefinitionActionComponent> out) {
        for (PlanDefinition.PlanDefinitionActionComponent action : actions) {
            out.add(action);
            collect(action.getAction(), out);
        }
    }

    private static String part(Extension text, String name) {
        Extension part = text.getExtensionByUrl(name);
        return part == null || !part.hasValue() || part.getValue().primitiveValue() == null
                || part.getValue().primitiveValue().isBlank() ? null : part.getValue().primitiveValue();
    }

    private static IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("PlanDefinition " + OrderRule.PLAN_DEFINITION + " " + what);
    }
}

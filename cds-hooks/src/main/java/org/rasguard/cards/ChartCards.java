package org.rasguard.cards;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.rasguard.cards.CdsResponse.Card;
import org.rasguard.cards.CdsResponse.Coding;
import org.rasguard.cards.CdsResponse.Source;
import org.rasguard.cards.CdsResponse.Suggestion;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.ChartCard;
import org.rasguard.decision.ChartDecider;
import org.rasguard.decision.ChartDecision;
import org.rasguard.decision.LateResult;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.UnknownReason;

/**
 * The patient-view cards. Their words are the knowledge package's: each card is an action of the
 * PlanDefinition {@value ChartDecider#PLAN_DEFINITION} (title = summary, description = detail, the
 * words in braces filled in here, record text escaped by {@link MarkdownText}), its sub-actions the
 * late-result card's suggestions; the words for what the record does not give, for a status and for a
 * specimen's origin are the action's card texts ({@link CardTexts}). The late-result card offers the
 * mitigations of {@value LateResult#MITIGATION_SYSTEM} as override reasons; its suggestion uuids are derived from the
 * card's uuid and the mitigation ({@link #suggestionUuid}), so feedback names what was done without
 * anything to remember.
 */
public final class ChartCards {

    static final String LATE_ACTION = "late-ras-result";
    static final Map<CardKind, String> ACTIONS = Map.of(
            CardKind.LATE_RAS_RESULT, LATE_ACTION,
            CardKind.RAS_TESTING_METASTATIC, "ras-testing-metastatic",
            CardKind.METASTASIS_RAS_TESTING, "metastasis-ras-testing");

    private final Map<String, PlanDefinition.PlanDefinitionActionComponent> actions;
    private final Suggestions suggestions;
    private final Supplier<UUID> uuids;
    private final List<Coding> mitigations;
    private final int reminderDays;

    private final CardPhrases phrases;
    private final CardTexts texts;

    public ChartCards(
            KnowledgeBase knowledge, FhirContext fhir, ObjectMapper json, Supplier<UUID> uuids, int reminderDays) {
        this.phrases = CardPhrases.read(knowledge);
        this.texts = CardTexts.read(knowledge);
        PlanDefinition plan = knowledge.artifacts().stream()
                .filter(PlanDefinition.class::isInstance)
                .map(PlanDefinition.class::cast)
                .filter(definition -> ChartDecider.PLAN_DEFINITION.equals(definition.getUrl()))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("Unknown PlanDefinition " + ChartDecider.PLAN_DEFINITION));
        this.actions = plan.getAction().stream()
                .collect(Collectors.toMap(PlanDefinition.PlanDefinitionActionComponent::getId, a -> a));
        for (String id : ACTIONS.values()) {
            PlanDefinition.PlanDefinitionActionComponent action = actions.get(id);
            if (action == null || !action.hasTitle() || !action.hasDescription()) {
                throw new IllegalArgumentException("PlanDefinition " + ChartDecider.PLAN_DEFINITION + " needs action "
                        + id + " with a title and a description");
            }
        }
        for (String mitigation : List.of(LateResult.ORDER_STOPPED, LateResult.ORDER_REVIEWED)) {
            if (subAction(mitigation).isEmpty()) {
                throw new IllegalArgumentException("Action " + LATE_ACTION + " needs the sub-action " + mitigation);
            }
        }
        CodeSystem system = knowledge
                .codeSystem(LateResult.MITIGATION_SYSTEM)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + LateResult.MITIGATION_SYSTEM));
        this.mitigations = system.getConcept().stream()
                .map(concept -> new Coding(LateResult.MITIGATION_SYSTEM, concept.getCode(), concept.getDisplay()))
                .toList();
        this.suggestions = new Suggestions(knowledge, texts, fhir, json, uuids);
        this.uuids = uuids;
        this.reminderDays = reminderDays;
    }

    /** {@code system|code} of the override reasons a late-result card offers. */
    public java.util.Set<String> offeredOverrideReasons() {
        return mitigations.stream()
                .map(reason -> reason.system() + "|" + reason.code())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The uuid of the suggestion of {@code mitigation} on the card {@code cardUuid}: the same whenever it is computed. */
    public static String suggestionUuid(String cardUuid, String mitigation) {
        return UUID.nameUUIDFromBytes((cardUuid + "|" + mitigation).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** One card per {@link ChartDecision#cards()}, in order. */
    public List<Card> cards(ChartDecision decision, String patientId) {
        List<Card> out = new ArrayList<>();
        for (ChartCard card : decision.cards()) {
            out.add(
                    switch (card.kind()) {
                        case LATE_RAS_RESULT -> late(card.lateResult(), decision.assessment());
                        case RAS_TESTING_METASTATIC -> untested(card, decision, patientId);
                        case METASTASIS_RAS_TESTING -> metastasis(card, patientId);
                        default -> throw new IllegalArgumentException("Not a patient-view card: " + card.kind());
                    });
        }
        return out;
    }

    private Card late(LateResult late, RasAssessment assessment) {
        String uuid = uuids.get().toString();
        String drug = late.drug() == null
                ? texts.get(CardTexts.Text.LATE_DRUG_NOT_RECORDED)
                : MarkdownText.visible(late.drug());
        String order = late.order() == null
                ? texts.get(CardTexts.Text.LATE_ORDER_NOT_RECORDED)
                : MarkdownText.visible(late.order());
        Map<String, String> summary = Map.of("drug", drug, "order", order);
        Map<String, String> detail = Map.of(
                "drug",
                MarkdownText.escape(drug),
                "order",
                MarkdownText.escape(order),
                "result",
                result(late, assessment),
                "identified",
                late.identified() == null
                        ? texts.get(CardTexts.Text.LATE_IDENTIFIED_NOT_RECORDED)
                        : late.identified().toString().substring(0, 10),
                "detail",
                late.detail() == null
                        ? texts.get(CardTexts.Text.LATE_DETAIL_NOT_RECORDED)
                        : MarkdownText.escape(late.detail()));
        List<Suggestion> suggested = new ArrayList<>();
        for (String mitigation : List.of(LateResult.ORDER_STOPPED, LateResult.ORDER_REVIEWED)) {
            String label = fill(subAction(mitigation).orElseThrow().getTitle(), summary);
            suggested.add(new Suggestion(
                    MarkdownText.visible(label),
                    suggestionUuid(uuid, mitigation),
                    mitigation.equals(LateResult.ORDER_STOPPED) ? Boolean.TRUE : null,
                    null));
        }
        // "any", not "at-most-one": Epic supports only "any" (cds-hooks.md §4.2); accepting both counts as stopped.
        return card(uuid, CardKind.LATE_RAS_RESULT, summary, detail, suggested, "any", mitigations);
    }

    /** The new results in words: the assessment's items for the DetectedIssue's Observations, else their references. */
    private String result(LateResult late, RasAssessment assessment) {
        List<String> references =
                late.evidence().stream().map(ChartCards::storeReference).toList();
        List<EvidenceItem> items = assessment.evidence().stream()
                .filter(item -> references.contains(base(item.reference())))
                .toList();
        if (!items.isEmpty()) {
            return items.stream()
                    .map(item -> item.gene().symbol() + " " + MarkdownText.escape(item.detail())
                            + (item.effective() != null ? " (" + MarkdownText.escape(item.effective()) + ")" : ""))
                    .distinct()
                    .collect(Collectors.joining("; "));
        }
        return late.evidence().isEmpty()
                ? texts.get(CardTexts.Text.LATE_RESULT_NOT_NAMED)
                : late.evidence().stream()
                        .map(reference -> EvidenceLines.source(storeReference(reference), texts))
                        .collect(Collectors.joining(", "));
    }

    private Card untested(ChartCard card, ChartDecision decision, String patientId) {
        boolean neverTested = decision.assessment().reasons().contains(UnknownReason.NOT_TESTED);
        List<String> reasons = new ArrayList<>();
        decision.assessment().reasons().forEach(reason -> reasons.add(phrases.reason(reason)));
        reasons.addAll(decision.cautions());
        if (reasons.isEmpty()) {
            reasons.add(texts.get(CardTexts.Text.NO_COMPLETE_RESULT));
        }
        Map<String, String> summary = Map.of(
                "status",
                texts.get(neverTested ? CardTexts.Text.UNTESTED_NEVER_TESTED : CardTexts.Text.UNTESTED_UNKNOWN));
        Map<String, String> detail = Map.of(
                "reasons",
                String.join("; ", reasons),
                "metastasis",
                card.metastasis().stream().map(MarkdownText::escape).collect(Collectors.joining("; ")),
                "days",
                Integer.toString(reminderDays));
        return card(
                uuids.get().toString(),
                card.kind(),
                summary,
                detail,
                List.of(suggestions.orderRasTesting(card.kind(), patientId)),
                "any",
                null);
    }

    private Card metastasis(ChartCard card, String patientId) {
        String date = card.newestResult().length() > 10 && card.newestResult().charAt(10) == 'T'
                ? card.newestResult().substring(0, 10)
                : card.newestResult();
        String origin = texts.get(
                switch (card.origin()) {
                    case PRIMARY -> CardTexts.Text.ORIGIN_PRIMARY;
                    case NOT_STATED -> CardTexts.Text.ORIGIN_NOT_STATED;
                    case METASTASIS -> CardTexts.Text.ORIGIN_METASTASIS;
                });
        Map<String, String> summary = Map.of("resultDate", MarkdownText.visible(date));
        Map<String, String> detail = Map.of(
                "resultDate",
                MarkdownText.escape(date),
                "origin",
                origin,
                "later",
                card.later().stream().map(MarkdownText::escape).collect(Collectors.joining("; ")),
                "days",
                Integer.toString(reminderDays));
        return card(
                uuids.get().toString(),
                card.kind(),
                summary,
                detail,
                List.of(suggestions.orderRasTesting(card.kind(), patientId)),
                "any",
                null);
    }

    private Card card(
            String uuid,
            CardKind kind,
            Map<String, String> summaryWords,
            Map<String, String> detailWords,
            List<Suggestion> suggested,
            String selectionBehavior,
            List<Coding> overrideReasons) {
        PlanDefinition.PlanDefinitionActionComponent action = actions.get(ACTIONS.get(kind));
        String summary = CardTexts.fit("", fill(action.getTitle(), summaryWords), "");
        String detail = fill(action.getDescription(), detailWords);
        Source source = new Source(
                texts.sourceLabel(CardTexts.Plan.CHART),
                CardFactory.GUIDELINE_URL,
                null,
                new Coding(CardKind.TOPIC_SYSTEM, kind.topicCode(), kind.topicDisplay()));
        return new Card(
                uuid,
                MarkdownText.withoutInvisible(summary),
                MarkdownText.withoutInvisible(detail),
                kind.indicator(),
                source,
                suggested.isEmpty() ? null : List.copyOf(suggested),
                suggested.isEmpty() ? null : selectionBehavior,
                overrideReasons,
                null);
    }

    private Optional<PlanDefinition.PlanDefinitionActionComponent> subAction(String id) {
        return actions.get(LATE_ACTION).getAction().stream()
                .filter(a -> id.equals(a.getId()))
                .findFirst();
    }

    /** The template with each {word} replaced; an unknown word stays as written (a test catches it). */
    static String fill(String template, Map<String, String> words) {
        String out = template;
        for (Map.Entry<String, String> word : words.entrySet()) {
            out = out.replace("{" + word.getKey() + "}", word.getValue());
        }
        return out;
    }

    /** Our store's {@code Observation/12} as the CDS service names it among the evidence ({@code Observation/rasguard-store-12}). */
    private static String storeReference(String reference) {
        String plain = base(reference);
        int slash = plain.lastIndexOf('/');
        if (slash < 0 || plain.startsWith(CardFactory.STORE_ID_PREFIX, slash + 1)) {
            return plain;
        }
        int type = plain.lastIndexOf('/', slash - 1);
        return plain.substring(type + 1, slash + 1) + CardFactory.STORE_ID_PREFIX + plain.substring(slash + 1);
    }

    private static String base(String reference) {
        String out = reference;
        int history = out.indexOf("/_history");
        if (history > 0) {
            out = out.substring(0, history);
        }
        return out;
    }
}

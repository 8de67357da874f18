package org.rasguard.cards;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.rasguard.cards.CdsResponse.Card;
import org.rasguard.cards.CdsResponse.Coding;
import org.rasguard.cards.CdsResponse.Source;
import org.rasguard.cards.CdsResponse.Suggestion;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.OrderDecision;
import org.rasguard.decision.OrderDecisions;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasAssessment;

/**
 * Puts the cards of one call together: per decided order its text ({@link CardWording}, with the
 * words {@link CardTexts} read once from the knowledge package), its suggestions ({@link Suggestions}),
 * the source (the PlanDefinition's publisher as label) with the card's topic, and the coded override
 * reasons every card offers (the CodeSystem {@value #OVERRIDE_SYSTEM}, in its order), with invisible
 * characters taken out ({@link MarkdownText}).
 */
public final class CardFactory {

    /** Prefix that marks evidence read from RAS Guard's own store (the CDS adapter gives our resources these ids). */
    public static final String STORE_ID_PREFIX = "rasguard-store-";

    public static final String OVERRIDE_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-override-reason";
    /** ASCO provisional clinical opinion on extended RAS testing, as summarised by NCBI Medical Genetics Summaries. */
    public static final String GUIDELINE_URL = "https://www.ncbi.nlm.nih.gov/books/NBK564800/";

    private final Supplier<UUID> uuids;
    private final Suggestions suggestions;
    /** Why a re-challenge needs a plasma result: the documentation of the PlanDefinition's re-challenge action. */
    private final List<String> rechallengeEvidence;
    /** Every card offers these, so a clinician can say why they go ahead: the CodeSystem's concepts, in order. */
    private final List<Coding> overrideReasons;

    private final CardPhrases phrases;
    private final CardTexts texts;

    public CardFactory(KnowledgeBase knowledge, FhirContext fhir, ObjectMapper json, Supplier<UUID> uuids) {
        this.uuids = uuids;
        this.texts = CardTexts.read(knowledge);
        this.suggestions = new Suggestions(knowledge, texts, fhir, json, uuids);
        this.rechallengeEvidence = RechallengeEvidence.read(knowledge);
        this.phrases = CardPhrases.read(knowledge);
        this.overrideReasons = knowledge
                .codeSystem(OVERRIDE_SYSTEM)
                .map(reasons -> reasons.getConcept().stream()
                        .map(concept -> new Coding(OVERRIDE_SYSTEM, concept.getCode(), concept.getDisplay()))
                        .toList())
                .filter(reasons -> !reasons.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException(
                        "No override reasons: CodeSystem " + OVERRIDE_SYSTEM + " is missing or empty"));
    }

    /**
     * The mutations of an assessment as the cards name them ({@code KRAS p.G12D, NRAS p.Q61R}), for other
     * texts that must name them the same way (the late-result DetectedIssue); the knowledge package's
     * words for unnamed ones read once, here.
     */
    public static Function<RasAssessment, String> mutationNames(KnowledgeBase knowledge) {
        CardTexts texts = CardTexts.read(knowledge);
        return assessment -> EvidenceLines.mutationNames(assessment, texts);
    }

    /** {@code system|code} of the override reasons every card offers (feedback may cite only these). */
    public Set<String> offeredOverrideReasons() {
        return overrideReasons.stream()
                .map(reason -> reason.system() + "|" + reason.code())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * One card per decision that gives one, in order ({@link OrderDecisions#carded()}).
     *
     * @param patientId the client's patient id, subject of the suggested orders
     */
    public List<Card> cards(OrderDecisions decided, String patientId) {
        List<Card> out = new ArrayList<>();
        for (OrderDecision decision : decided.carded()) {
            out.add(card(new CardInput(
                    decision.card().orElseThrow(),
                    decision.order().drug(),
                    decision.order().reference(),
                    patientId,
                    decided.assessment(),
                    decision.partner(),
                    decided.cautions(),
                    decided.rechallenge())));
        }
        return out;
    }

    public Card card(CardInput input) {
        CardWording.Text text = CardWording.of(input, rechallengeEvidence, phrases, texts);
        List<Suggestion> suggested = suggestions.of(input);
        CardKind kind = input.kind();
        Source source = new Source(
                texts.sourceLabel(CardTexts.Plan.ORDER),
                GUIDELINE_URL,
                null,
                new Coding(CardKind.TOPIC_SYSTEM, kind.topicCode(), kind.topicDisplay()));
        return new Card(
                uuids.get().toString(),
                MarkdownText.withoutInvisible(text.summary()),
                MarkdownText.withoutInvisible(text.detail()),
                kind.indicator(),
                source,
                suggested.isEmpty() ? null : List.copyOf(suggested),
                suggested.isEmpty() ? null : "any",
                overrideReasons,
                null);
    }
}

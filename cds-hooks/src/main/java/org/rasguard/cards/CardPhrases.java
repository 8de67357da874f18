package org.rasguard.cards;

import java.util.EnumMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.UnknownReason;

/**
 * How the cards say an unknown reason ("only KRAS tested") and an evidence call ("no mutation,
 * partial coverage") inside a sentence: the {@code card-phrase} property of CodeSystems
 * {@code ras-unknown-reason} and {@code ras-evidence-call}, reviewed with the other card texts there,
 * so no second copy lives in Java. Read once; a package that lacks a phrase for any reason or call
 * the engine can give does not start.
 */
final class CardPhrases {

    static final String PROPERTY = "card-phrase";
    static final String CALL_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-evidence-call";

    private final Map<UnknownReason, String> reasons;
    private final Map<EvidenceCall, String> calls;

    private CardPhrases(Map<UnknownReason, String> reasons, Map<EvidenceCall, String> calls) {
        this.reasons = reasons;
        this.calls = calls;
    }

    static CardPhrases read(KnowledgeBase knowledge) {
        CodeSystem reasonSystem = codeSystem(knowledge, UnknownReason.SYSTEM);
        Map<UnknownReason, String> reasons = new EnumMap<>(UnknownReason.class);
        for (UnknownReason reason : UnknownReason.values()) {
            reasons.put(reason, phrase(reasonSystem, reason.code()));
        }
        CodeSystem callSystem = codeSystem(knowledge, CALL_SYSTEM);
        Map<EvidenceCall, String> calls = new EnumMap<>(EvidenceCall.class);
        for (EvidenceCall call : EvidenceCall.values()) {
            calls.put(call, phrase(callSystem, call.code()));
        }
        return new CardPhrases(reasons, calls);
    }

    String reason(UnknownReason reason) {
        return reasons.get(reason);
    }

    String call(EvidenceCall call) {
        return calls.get(call);
    }

    private static CodeSystem codeSystem(KnowledgeBase knowledge, String url) {
        return knowledge
                .codeSystem(url)
                .orElseThrow(() -> new IllegalArgumentException("CodeSystem " + url + " is missing"));
    }

    private static String phrase(CodeSystem system, String code) {
        return system.getConcept().stream()
                .filter(concept -> code.equals(concept.getCode()))
                .findFirst()
                .flatMap(concept -> concept.getProperty().stream()
                        .filter(p -> PROPERTY.equals(p.getCode()) && p.hasValueStringType())
                        .map(p -> p.getValueStringType().getValue())
                        .filter(value -> value != null && !value.isBlank())
                        .findFirst())
                .orElseThrow(() -> new IllegalArgumentException(
                        "CodeSystem " + system.getUrl() + " gives no " + PROPERTY + " for " + code));
    }
}

package org.rasguard.cards;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.rasguard.cards.CdsResponse.Action;
import org.rasguard.cards.CdsResponse.Suggestion;
import org.rasguard.decision.CardKind;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * What each card suggests doing, as CDS Hooks suggestions with their actions: remove the draft
 * antibody order, order extended RAS testing (the ActivityDefinition of the knowledge package), add
 * the approved KRAS G12C partner (every code of its ValueSet).
 *
 * <p>A suggestion's label is the {@code title} of the PlanDefinition sub-action that offers it and the
 * description of its action that sub-action's {@code description} ({@link CardTexts}), words in braces
 * filled in. That is where a FHIR reader looks: applying a PlanDefinition gives a RequestGroup whose
 * nested actions become a card's suggestions, HAPI FHIR's CDS Hooks module taking the label from such
 * an action's title and the description from its own nested action's (ours have one action each, so
 * one sub-action carries both), and this package's patient-view PlanDefinition already labels its
 * suggestions so. Not the ActivityDefinitions: the remove and
 * add-partner suggestions have none, and one ActivityDefinition (extended RAS testing) serves three
 * actions of two PlanDefinitions; its title and description say what the ServiceRequest is, for
 * any reader, not how one card's button reads.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#suggestion">CDS Hooks 2.0: Suggestion</a>
 */
final class Suggestions {

    static final String EXTENDED_RAS_TESTING =
            KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-extended-ras-testing";
    static final String PLASMA_RAS_TESTING =
            KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-plasma-ras-testing";

    private final KnowledgeBase knowledge;
    private final CardTexts texts;
    private final FhirContext fhir;
    private final ObjectMapper json;
    private final Supplier<UUID> uuids;
    /** The extended RAS test as the knowledge package defines it: code, intent, priority, canonical. */
    private final ActivityDefinition extendedRasTest;
    /** The plasma (ctDNA) RAS test before a re-challenge, likewise. */
    private final ActivityDefinition plasmaRasTest;

    Suggestions(KnowledgeBase knowledge, CardTexts texts, FhirContext fhir, ObjectMapper json, Supplier<UUID> uuids) {
        this.knowledge = knowledge;
        this.texts = texts;
        this.fhir = fhir;
        this.json = json;
        this.uuids = uuids;
        this.extendedRasTest = testDefinition(knowledge, EXTENDED_RAS_TESTING);
        this.plasmaRasTest = testDefinition(knowledge, PLASMA_RAS_TESTING);
    }

    private static ActivityDefinition testDefinition(KnowledgeBase knowledge, String url) {
        ActivityDefinition test = knowledge.artifacts().stream()
                .filter(ActivityDefinition.class::isInstance)
                .map(ActivityDefinition.class::cast)
                .filter(definition -> url.equals(definition.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown ActivityDefinition " + url));
        if (!test.hasIntent()
                || !test.getCode().getCoding().stream().allMatch(c -> c.hasSystem() && c.hasCode() && c.hasDisplay())) {
            throw new IllegalArgumentException(
                    "ActivityDefinition " + url + " needs an intent and codings with system, code and display");
        }
        return test;
    }

    /** The suggestions of one card, in the order shown. */
    List<Suggestion> of(CardInput input) {
        List<Suggestion> out = new ArrayList<>();
        switch (input.kind()) {
            case RAS_MUTANT -> remove(input, true).ifPresent(out::add);
            case G12C_WITHOUT_PARTNER -> {
                remove(input, true).ifPresent(out::add);
                out.add(addPartner(input));
            }
            case RAS_UNKNOWN, G12C_NOT_DOCUMENTED, BRAF_V600E_APPROVED_COMBINATION -> {
                out.add(orderRasTesting(input));
                remove(input, false).ifPresent(out::add);
            }
            case RAS_RECHALLENGE -> {
                out.add(orderTest(
                        input.kind(),
                        input.patientId(),
                        plasmaRasTest,
                        texts.get(CardTexts.Text.PLASMA_TESTING_LABEL),
                        texts.get(CardTexts.Text.PLASMA_TESTING_DESCRIPTION)));
                remove(input, false).ifPresent(out::add);
            }
            case G12C_APPROVED_COMBINATION, RAS_WILD_TYPE ->
                remove(input, false).ifPresent(out::add);
            case LATE_RAS_RESULT, RAS_TESTING_METASTATIC, METASTASIS_RAS_TESTING ->
                throw new IllegalArgumentException(
                        "A patient-view card's suggestions come from ChartCards: " + input.kind());
        }
        return out;
    }

    private Optional<Suggestion> remove(CardInput input, boolean recommended) {
        if (input.orderReference() == null) {
            return Optional.empty();
        }
        Map<String, String> words = Map.of("drug", CardWording.word(input.drug()));
        return Optional.of(new Suggestion(
                texts.fill(CardTexts.Text.REMOVE_LABEL, words),
                uuids.get().toString(),
                recommended ? Boolean.TRUE : null,
                List.of(new Action(
                        "delete",
                        texts.fill(CardTexts.Text.REMOVE_DESCRIPTION, words),
                        null,
                        input.orderReference()))));
    }

    /**
     * A ServiceRequest the EHR can add to the order set as it is: status draft; intent, priority, code and
     * {@code instantiatesCanonical} from the knowledge package's ActivityDefinition; the patient as subject;
     * the card's topic (our CodeSystem) as the coded reason.
     */
    private Suggestion orderRasTesting(CardInput input) {
        return orderRasTesting(input.kind(), input.patientId());
    }

    /** The same suggestion for a patient-view reminder (no order: the card's topic is the reason). */
    Suggestion orderRasTesting(CardKind kind, String patientId) {
        return orderTest(
                kind,
                patientId,
                extendedRasTest,
                texts.get(CardTexts.Text.EXTENDED_TESTING_LABEL),
                texts.get(CardTexts.Text.EXTENDED_TESTING_DESCRIPTION));
    }

    private Suggestion orderTest(
            CardKind kind, String patientId, ActivityDefinition test, String label, String description) {
        ServiceRequest request = new ServiceRequest();
        request.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
        request.setIntent(
                ServiceRequest.ServiceRequestIntent.fromCode(test.getIntent().toCode()));
        if (test.hasPriority()) {
            request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(
                    test.getPriority().toCode()));
        }
        request.addInstantiatesCanonical(test.getUrl());
        request.setCode(withoutExtensions(test.getCode()));
        request.setSubject(new Reference("Patient/" + patientId));
        request.addReasonCode(new CodeableConcept().addCoding(topic(kind)));
        return new Suggestion(
                label,
                uuids.get().toString(),
                Boolean.TRUE,
                List.of(new Action("create", description, encode(request), null)));
    }

    /**
     * A MedicationRequest for the approved G12C partner: status draft, intent order, the patient as subject,
     * and every code of the partner's ValueSet with its display (ATC only today: the package ships no
     * RxNorm code that a source confirmed), the ValueSet's title as text.
     */
    private Suggestion addPartner(CardInput input) {
        G12cInhibitor partner = input.partner();
        CodeableConcept medication = new CodeableConcept();
        for (Code code : knowledge.codes(partner.valueSetUrl())) {
            medication.addCoding(new Coding(code.system(), code.code(), code.display()));
        }
        medication.setText(knowledge
                .valueSet(partner.valueSetUrl())
                .map(valueSet -> valueSet.getTitle())
                .orElseThrow());
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(medication);
        request.setSubject(new Reference("Patient/" + input.patientId()));
        request.addReasonCode(new CodeableConcept().addCoding(topic(input.kind())));
        Map<String, String> words =
                Map.of("drug", CardWording.word(input.drug()), "partner", CardWording.word(partner));
        return new Suggestion(
                texts.fill(CardTexts.Text.ADD_PARTNER_LABEL, words),
                uuids.get().toString(),
                null,
                List.of(new Action(
                        "create", texts.fill(CardTexts.Text.ADD_PARTNER_DESCRIPTION, words), encode(request), null)));
    }

    /** The card's topic as a coded reason, its display read from the {@code cds-card-topic} CodeSystem. */
    private Coding topic(CardKind kind) {
        String display = knowledge.codeSystem(CardKind.TOPIC_SYSTEM).orElseThrow().getConcept().stream()
                .filter(concept -> concept.getCode().equals(kind.topicCode()))
                .map(concept -> concept.getDisplay())
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("No topic " + kind.topicCode() + " in " + CardKind.TOPIC_SYSTEM));
        return new Coding(CardKind.TOPIC_SYSTEM, kind.topicCode(), display);
    }

    /** The package's codings carry our code-source extension; the order needs only system, code and display. */
    private static CodeableConcept withoutExtensions(CodeableConcept concept) {
        CodeableConcept copy = concept.copy();
        copy.getCoding().forEach(coding -> coding.getExtension().clear());
        return copy;
    }

    private JsonNode encode(Resource resource) {
        try {
            return json.readTree(fhir.newJsonParser().encodeResourceToString(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("HAPI wrote JSON that Jackson cannot read", e);
        }
    }
}

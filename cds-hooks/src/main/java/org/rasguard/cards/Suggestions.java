package org.rasguard.cards;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.rasguard.cards.CdsResponse.Action;
import org.rasguard.cards.CdsResponse.Suggestion;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * What each card suggests doing, as CDS Hooks suggestions with their actions: remove the draft
 * antibody order, order extended RAS testing (the ActivityDefinition of the knowledge package), add
 * the approved KRAS G12C partner (the first code of its ValueSet).
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#suggestion">CDS Hooks 2.0: Suggestion</a>
 */
final class Suggestions {

    static final String EXTENDED_RAS_TESTING = KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-extended-ras-testing";

    private final KnowledgeBase knowledge;
    private final FhirContext fhir;
    private final ObjectMapper json;
    private final Supplier<UUID> uuids;
    private final CodeableConcept extendedRasTest;
    private final String extendedRasTestUrl;

    Suggestions(KnowledgeBase knowledge, FhirContext fhir, ObjectMapper json, Supplier<UUID> uuids) {
        this.knowledge = knowledge;
        this.fhir = fhir;
        this.json = json;
        this.uuids = uuids;
        ActivityDefinition test = knowledge.artifacts().stream()
                .filter(ActivityDefinition.class::isInstance).map(ActivityDefinition.class::cast)
                .filter(definition -> EXTENDED_RAS_TESTING.equals(definition.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown ActivityDefinition " + EXTENDED_RAS_TESTING));
        this.extendedRasTest = test.getCode();
        this.extendedRasTestUrl = test.getUrl();
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
            case G12C_APPROVED_COMBINATION, RAS_WILD_TYPE -> remove(input, false).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Suggestion> remove(CardInput input, boolean recommended) {
        if (input.orderReference() == null) {
            return Optional.empty();
        }
        String drug = CardWording.name(input.drug()).toLowerCase(Locale.ROOT);
        return Optional.of(new Suggestion("Remove the " + drug + " order", uuids.get().toString(),
                recommended ? Boolean.TRUE : null,
                List.of(new Action("delete", "Remove the draft " + drug + " order.", null, input.orderReference()))));
    }

    private Suggestion orderRasTesting(CardInput input) {
        ServiceRequest request = new ServiceRequest();
        request.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.setPriority(ServiceRequest.ServiceRequestPriority.ROUTINE);
        request.addInstantiatesCanonical(extendedRasTestUrl);
        request.setCode(extendedRasTest.copy());
        request.setSubject(new Reference("Patient/" + input.patientId()));
        request.addReasonCode(new CodeableConcept().setText("RAS status unknown before anti-EGFR therapy"));
        return new Suggestion("Order extended RAS testing (KRAS and NRAS exons 2, 3 and 4)", uuids.get().toString(), Boolean.TRUE,
                List.of(new Action("create", "Order extended RAS mutation analysis of the tumour.", encode(request), null)));
    }

    private Suggestion addPartner(CardInput input) {
        G12cInhibitor partner = input.partner();
        Code code = knowledge.codes(partner.valueSetUrl()).iterator().next();
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(new CodeableConcept()
                .addCoding(new org.hl7.fhir.r4.model.Coding(code.system(), code.code(), code.display()))
                .setText(partner.name().toLowerCase(Locale.ROOT)));
        request.setSubject(new Reference("Patient/" + input.patientId()));
        String name = CardWording.name(partner).toLowerCase(Locale.ROOT);
        return new Suggestion("Add " + name + " (approved with " + CardWording.name(input.drug()).toLowerCase(Locale.ROOT)
                + " for KRAS G12C)", uuids.get().toString(), null,
                List.of(new Action("create", "Order " + name + " with the antibody.", encode(request), null)));
    }

    private JsonNode encode(Resource resource) {
        try {
            return json.readTree(fhir.newJsonParser().encodeResourceToString(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("HAPI wrote JSON that Jackson cannot read", e);
        }
    }
}

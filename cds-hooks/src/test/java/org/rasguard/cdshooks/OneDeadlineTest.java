package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * One deadline for all reads of a call on the client's FHIR server: what the draft order's Medication
 * read uses up is gone for the prefetch keys read after it, so the call ends within the budget, not
 * within twice it (it used to start a second full budget for the keys).
 */
class OneDeadlineTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final DecisionKnowledge KNOWLEDGE = DecisionKnowledge.from(KnowledgeBase.loadFromClasspath(FHIR));
    private static final String EHR = "https://ehr.example.test/fhir";
    private static final long BUDGET_MILLIS = 1_000;

    @Test
    void theMedicationReadAndTheKeyReadsShareOneBudget() {
        // The Medication answers after 200 ms, each key after 900 ms: each fits a budget of its own, not both one.
        EhrFhirClient ehr = (server, url) -> url.equals("Medication/med-1")
                ? after(200, new EhrFetch.Found(List.of(cetuximab())))
                : after(900, new EhrFetch.Found(List.of()));
        CdsHooksService service = new CdsHooksService(
                KNOWLEDGE,
                FHIR,
                new InMemoryEvidenceStore(),
                ehr,
                FhirServerAllowlist.of(List.of(EHR)),
                items -> List.of(),
                new CdsHooksService.Settings(false, BUDGET_MILLIS));
        ObjectNode request = RasCasesThroughCdsTest.CdsCalls.orderSign("p1").put("fhirServer", EHR);
        ObjectNode order = (ObjectNode) request.at("/context/draftOrders/entry/0/resource");
        order.remove("medicationCodeableConcept");
        order.putObject("medicationReference").put("reference", "Medication/med-1");
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);

        long started = System.nanoTime();
        assertThatThrownBy(() -> service.call(CdsServices.ORDER_SIGN_ID, body))
                .isInstanceOfSatisfying(CdsError.class, e -> {
                    assertThat(e.status()).isEqualTo(412);
                    assertThat(e.code()).isEqualTo("data-unavailable");
                });
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(tookMillis).isBetween(BUDGET_MILLIS - 50, 2 * BUDGET_MILLIS - 100);
    }

    private static CompletableFuture<EhrFetch> after(long millis, EhrFetch answer) {
        return CompletableFuture.supplyAsync(
                () -> answer, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    private static Resource cetuximab() {
        Medication medication = new Medication();
        medication.setId("med-1");
        medication
                .getCode()
                .addCoding()
                .setSystem("http://www.nlm.nih.gov/research/umls/rxnorm")
                .setCode("318341")
                .setDisplay("cetuximab");
        return medication;
    }
}

package org.rasguard.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Lists {@code batch} beside {@code transaction} among the system interactions of the
 * CapabilityStatement. HAPI's JPA system provider answers both Bundle types through one
 * {@code @Transaction} method, and HAPI's {@code ServerCapabilityStatementProvider} derives the
 * interactions from the method bindings, so it emits {@code transaction} only; a client that reads
 * {@code /metadata} before posting a batch would conclude that batches are not supported.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#transaction">FHIR R4 RESTful API 3.1.0.12: batch/transaction</a>
 * @see <a href="https://hl7.org/fhir/R4/valueset-system-restful-interaction.html">R4 SystemRestfulInteraction</a>
 */
@Interceptor
public final class BatchInCapabilityStatement {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void addBatch(IBaseConformance generated) {
        if (!(generated instanceof CapabilityStatement statement)) {
            return;
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            boolean transaction = has(rest, SystemRestfulInteraction.TRANSACTION);
            if (transaction && !has(rest, SystemRestfulInteraction.BATCH)) {
                rest.addInteraction()
                        .setCode(SystemRestfulInteraction.BATCH)
                        .setDocumentation(
                                "A batch Bundle posted to the base: each entry processed on its own (HAPI JPA).");
            }
        }
    }

    private static boolean has(
            CapabilityStatement.CapabilityStatementRestComponent rest, SystemRestfulInteraction code) {
        return rest.getInteraction().stream().anyMatch(interaction -> interaction.getCode() == code);
    }
}

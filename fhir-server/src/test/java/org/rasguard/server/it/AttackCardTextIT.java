package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios;
import org.rasguard.cdshooks.CdsServices;

/**
 * Issue 16 row 13: a result whose variant text holds a bare URL, markdown and bidi controls, and a
 * patient whose name holds U+202E, give a card whose text opens no link and reverses nothing: the
 * data is escaped for markdown (the URL's {@code :}, {@code /} and {@code .} escaped, so no autolink)
 * and every Unicode format character is gone, from the summary as from the detail.
 */
@ExtendWith(SharedServer.class)
class AttackCardTextIT {

    private static final String HOSTILE =
            "see https://attacker.example/x www.attacker.example **now** [ok](https://attacker.example)"
                    + " <img src=x onerror=alert(1)> \u202Eevil\u202C \u2066iso\u2069 zero\u200Bwidth";

    @Test
    void patientDerivedTextInACardIsEscapedAndHasNoInvisibleCharacters(ServerProcess server) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient patient = new Patient();
        patient.addName().setFamily("Smith\u202Egnirts").addGiven("Ann\u2067");
        patient.addIdentifier()
                .setSystem("urn:example:attack-card-text")
                .setValue(UUID.randomUUID().toString());
        transaction
                .addEntry()
                .setFullUrl(patientUrl)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        Observation variant = CdsScenarios.kras(HOSTILE).setSubject(new Reference(patientUrl));
        transaction
                .addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(variant)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        Http.Response stored = Http.post(server.fhirBase(), Http.encode(transaction));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        String patientId = stored.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];

        Http.Response answer = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                CdsCalls.orderSignFromStoreOnly(server.fhirBase(), patientId).toString(),
                "application/json");
        JsonNode card = CdsCalls.onlyCard(answer);
        String summary = card.path("summary").asText();
        String detail = card.path("detail").asText();
        assertThat(detail).as("the variant text is in the card").contains("attacker\\.example");
        // Each markdown-active character of the data is preceded by a backslash.
        assertThat(detail)
                .doesNotContain("https://", "www.attacker", "**now**", "[ok](")
                .doesNotContainPattern("(?<!\\\\)<img")
                .contains("\\<img", "\\*\\*now\\*\\*");
        assertThat(summary + detail)
                .as(summary + "\n" + detail)
                .matches(
                        text -> text.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT),
                        "has no format character");
        assertThat(answer.body())
                .doesNotContain("\\u202e", "\\u202E", "\\u2066", "\\u2067", "\\u2069", "\\u200b", "\\u200B");
    }
}

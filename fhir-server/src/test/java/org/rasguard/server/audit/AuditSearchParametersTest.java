package org.rasguard.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

/** The AuditEvent search parameters left unindexed: every built-in one but the five searched, by their canonical URLs. */
class AuditSearchParametersTest {

    @Test
    void everyBuiltInAuditEventParameterButTheSearchedOnesIsRetiredUnderItsOwnUrl() {
        List<SearchParameter> retired = AuditSearchParameters.retiredOverrides();
        assertThat(retired)
                .extracting(SearchParameter::getCode)
                .containsExactly(
                        "action",
                        "address",
                        "agent",
                        "agent-name",
                        "agent-role",
                        "entity",
                        "entity-role",
                        "entity-type",
                        "outcome",
                        "patient",
                        "policy",
                        "site",
                        "source");
        for (SearchParameter parameter : retired) {
            assertThat(parameter.getUrl())
                    .isEqualTo("http://hl7.org/fhir/SearchParameter/AuditEvent-" + parameter.getCode());
            assertThat(parameter.getStatus()).isEqualTo(Enumerations.PublicationStatus.RETIRED);
            assertThat(parameter.getBase()).extracting(b -> b.getCode()).containsExactly("AuditEvent");
            assertThat(parameter.getIdElement().getIdPart())
                    .isEqualTo("rasguard-not-indexed-AuditEvent-" + parameter.getCode())
                    .matches("[A-Za-z0-9\\-.]{1,64}");
            assertThat(parameter.getExpression()).startsWith("AuditEvent.");
        }
    }

    @Test
    void theSearchedOnesAreSpelledAsHapiNamesThem() {
        assertThat(AuditSearchParameters.SEARCHED)
                .containsExactlyInAnyOrder(
                        AuditEvent.SP_TYPE,
                        AuditEvent.SP_SUBTYPE,
                        AuditEvent.SP_DATE,
                        AuditEvent.SP_ENTITY_NAME,
                        AuditEvent.SP_ALTID);
    }
}

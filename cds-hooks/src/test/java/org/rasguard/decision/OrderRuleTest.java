package org.rasguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rasguard.ras.RasStatus;

/** The decision table, row by row. */
class OrderRuleTest {

    @ParameterizedTest(
            name = "{0} {1} g12c={2} hasPartner={3} partner={4} braf={5} brafPartner={6} trusted={7} info={8} → {9}")
    @CsvSource({
        "COLORECTAL,          MUTATED,    false,  true,   false,  false,  false,  true,   false,  RAS_MUTANT",
        "NONE_ON_RECORD,      MUTATED,    false,  true,   false,  false,  false,  true,   false,  RAS_MUTANT",
        "OTHER,               UNKNOWN,    false,  true,   false,  false,  false,  true,   false,  RAS_UNKNOWN",
        "HEAD_AND_NECK_ONLY,  MUTATED,    false,  true,   false,  false,  false,  true,   false,  NONE",
        "HEAD_AND_NECK_ONLY,  UNKNOWN,    false,  true,   false,  false,  false,  true,   false,  NONE",
        "HEAD_AND_NECK_ONLY,  UNKNOWN,    false,  true,   true,   false,  false,  true,   false,  NONE",
        "COLORECTAL,          MUTATED,    true,   true,   true,   false,  false,  true,   false,  G12C_APPROVED_COMBINATION",
        "COLORECTAL,          MUTATED,    true,   true,   false,  false,  false,  true,   false,  G12C_WITHOUT_PARTNER",
        "COLORECTAL,          MUTATED,    false,  true,   true,   false,  false,  true,   false,  RAS_MUTANT",
        "COLORECTAL,          UNKNOWN,    false,  true,   true,   false,  false,  true,   false,  G12C_NOT_DOCUMENTED",
        "COLORECTAL,          WILD_TYPE,  false,  true,   true,   false,  false,  true,   false,  G12C_NOT_DOCUMENTED",
        "COLORECTAL,          UNKNOWN,    false,  true,   false,  true,   true,   true,   false,  BRAF_V600E_APPROVED_COMBINATION",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  true,   true,   false,  false,  BRAF_V600E_APPROVED_COMBINATION",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  true,   true,   true,   false,  NONE",
        "COLORECTAL,          MUTATED,    false,  true,   false,  true,   true,   true,   false,  RAS_MUTANT",
        "COLORECTAL,          UNKNOWN,    false,  true,   false,  true,   false,  true,   false,  RAS_UNKNOWN",
        "COLORECTAL,          UNKNOWN,    false,  true,   false,  false,  true,   true,   false,  RAS_UNKNOWN",
        "COLORECTAL,          UNKNOWN,    false,  true,   false,  false,  false,  true,   false,  RAS_UNKNOWN",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  false,  false,  true,   false,  NONE",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  false,  false,  true,   true,   RAS_WILD_TYPE",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  false,  false,  false,  true,   RAS_UNKNOWN",
        "COLORECTAL,          WILD_TYPE,  false,  true,   false,  false,  false,  false,  false,  RAS_UNKNOWN",
        "COLORECTAL,          MUTATED,    true,   false,  false,  false,  false,  true,   false,  RAS_MUTANT",
        "COLORECTAL,          MUTATED,    true,   false,  true,   false,  false,  true,   false,  RAS_MUTANT",
        "COLORECTAL,          UNKNOWN,    false,  false,  false,  false,  false,  true,   false,  RAS_UNKNOWN"
    })
    void decides(
            Indication indication,
            RasStatus status,
            boolean g12c,
            boolean hasPartner,
            boolean partner,
            boolean braf,
            boolean brafPartner,
            boolean trusted,
            boolean info,
            String card) {
        Optional<CardKind> decided = OrderRule.decide(
                new OrderRule.Facts(indication, status, g12c, hasPartner, partner, braf, brafPartner, trusted, info));
        assertThat(decided.map(Enum::name).orElse("NONE")).isEqualTo(card);
    }

    @ParameterizedTest(name = "{0} {1} trusted={2} info={3} rechallenge={4} → {5}")
    @CsvSource({
        "COLORECTAL,          WILD_TYPE,  true,   false,  true,   RAS_RECHALLENGE",
        "COLORECTAL,          WILD_TYPE,  true,   true,   true,   RAS_RECHALLENGE",
        "NONE_ON_RECORD,      WILD_TYPE,  true,   false,  true,   RAS_RECHALLENGE",
        "COLORECTAL,          WILD_TYPE,  false,  false,  true,   RAS_UNKNOWN",
        "COLORECTAL,          UNKNOWN,    true,   false,  true,   RAS_UNKNOWN",
        "COLORECTAL,          MUTATED,    true,   false,  true,   RAS_MUTANT",
        "HEAD_AND_NECK_ONLY,  WILD_TYPE,  true,   false,  true,   NONE",
        "COLORECTAL,          WILD_TYPE,  true,   false,  false,  NONE"
    })
    void aReChallengeWarnsOnlyWhereWildTypeWouldOtherwiseStand(
            Indication indication, RasStatus status, boolean trusted, boolean info, boolean rechallenge, String card) {
        Optional<CardKind> decided = OrderRule.decide(
                new OrderRule.Facts(indication, status, false, true, false, false, false, trusted, info, rechallenge));
        assertThat(decided.map(Enum::name).orElse("NONE")).isEqualTo(card);
    }
}

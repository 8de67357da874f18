package org.rasguard.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rasguard.cards.CardKind;
import org.rasguard.ras.RasStatus;

/** The decision table, row by row. */
class OrderRuleTest {

    @ParameterizedTest(name = "{0} {1} g12c={2} partner={3} trusted={4} info={5} → {6}")
    @CsvSource({
        "COLORECTAL,         MUTATED,   false, false, true,  false, RAS_MUTANT",
        "NONE_ON_RECORD,     MUTATED,   false, false, true,  false, RAS_MUTANT",
        "OTHER,              UNKNOWN,   false, false, true,  false, RAS_UNKNOWN",
        "HEAD_AND_NECK_ONLY, MUTATED,   false, false, true,  false, NONE",
        "HEAD_AND_NECK_ONLY, UNKNOWN,   false, false, true,  false, NONE",
        "COLORECTAL,         MUTATED,   true,  true,  true,  false, G12C_APPROVED_COMBINATION",
        "COLORECTAL,         MUTATED,   true,  false, true,  false, G12C_WITHOUT_PARTNER",
        "COLORECTAL,         UNKNOWN,   false, false, true,  false, RAS_UNKNOWN",
        "COLORECTAL,         WILD_TYPE, false, false, true,  false, NONE",
        "COLORECTAL,         WILD_TYPE, false, false, true,  true,  RAS_WILD_TYPE",
        "COLORECTAL,         WILD_TYPE, false, false, false, true,  RAS_UNKNOWN",
        "COLORECTAL,         WILD_TYPE, false, false, false, false, RAS_UNKNOWN"})
    void decides(Indication indication, RasStatus status, boolean g12c, boolean partner, boolean trusted, boolean info, String card) {
        Optional<CardKind> decided = OrderRule.decide(new OrderRule.Facts(indication, status, g12c, partner, trusted, info));
        assertThat(decided.map(Enum::name).orElse("NONE")).isEqualTo(card);
    }
}

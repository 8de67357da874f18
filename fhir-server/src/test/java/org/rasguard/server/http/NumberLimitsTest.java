package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumberLimitsTest {

    @Test
    void anOutOfRangeSearchNumberIsRefusedWithOrWithoutPrefixAndUnit() {
        assertThat(NumberLimits.queryWithinRange("value-quantity=gt1e999999")).isFalse();
        assertThat(NumberLimits.queryWithinRange("value-quantity=1e999999%7Chttp://unitsofmeasure.org%7Cmg"))
                .isFalse();
        assertThat(NumberLimits.queryWithinRange("probability=0.5,9" + "9".repeat(400)))
                .isFalse();
    }

    @Test
    void ordinarySearchValuesPass() {
        assertThat(NumberLimits.queryWithinRange("value-quantity=ge5.4&date=ge2026-01-01&_count=50"))
                .isTrue();
        // A uuid holds "28e-8866", which is no number of its own.
        assertThat(NumberLimits.queryWithinRange("entity-name=5326c28e-8866-4338-8680-d121d84d706f"))
                .isTrue();
        assertThat(NumberLimits.queryWithinRange("identifier=urn:oid:1.2.3%7C12e999"))
                .isTrue();
    }
}

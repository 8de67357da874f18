package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CorrelationTest {

    @Test
    void aClientsWellFormedIdIsKeptAnyOtherGetsANewUuid() {
        assertThat(Correlation.from("req-12345678").id()).isEqualTo("req-12345678");
        for (String refused :
                new String[] {null, "", "short", "has space in it", "x".repeat(101), "new\nline-injected"}) {
            String id = Correlation.from(refused).id();
            assertThat(UUID.fromString(id).toString())
                    .as(String.valueOf(refused))
                    .isEqualTo(id);
        }
    }

    @Test
    void newIdsAreDistinctVersionFourUuidsAndPassTheirOwnCheck() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Correlation.newId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(Correlation.from(id).id()).isEqualTo(id); // well-formed: kept when a client sends it back
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}

package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Card uuids are random version-4 UUIDs (as {@code UUID.randomUUID} made them), distinct across threads,
 * and spread over all 122 random bits: each one of them is set in about half of the uuids.
 */
class CardUuidsTest {

    private final CardUuids uuids = new CardUuids();

    @Test
    void versionFourIetfVariantAndTheTextFormFeedbackNames() {
        for (int i = 0; i < 1_000; i++) {
            UUID uuid = uuids.get();
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
        }
    }

    @Test
    void distinctAcrossThreads() throws InterruptedException {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 5_000; i++) {
                    seen.add(uuids.get());
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(40_000);
    }

    @Test
    void everyRandomBitIsSetInAboutHalfOfTheUuids() {
        int samples = 20_000;
        int[] ones = new int[128];
        for (int i = 0; i < samples; i++) {
            UUID uuid = uuids.get();
            for (int bit = 0; bit < 64; bit++) {
                ones[bit] += (int) ((uuid.getMostSignificantBits() >>> bit) & 1);
                ones[64 + bit] += (int) ((uuid.getLeastSignificantBits() >>> bit) & 1);
            }
        }
        for (int bit = 0; bit < 128; bit++) {
            boolean fixed = (bit >= 12 && bit <= 15) || bit == 64 + 62 || bit == 64 + 63; // version and variant
            if (!fixed) {
                // 20,000 fair coins: 10,000 ± 71 (one standard deviation); ± 600 is over 8 of them
                assertThat(ones[bit]).as("bit %d", bit).isBetween(samples / 2 - 600, samples / 2 + 600);
            }
        }
    }
}

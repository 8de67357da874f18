package org.rasguard.cards;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Random (version 4) UUIDs for cards and their suggestions, as unguessable as {@link UUID#randomUUID()}'s,
 * without its one lock.
 *
 * <p>Why unguessable: a card's uuid is what its feedback names, and feedback is taken for any card this
 * service issued, from any caller the CDS endpoint admits; a late-result card's feedback closes its
 * DetectedIssue, and its suggestion uuids are derived from the card's ({@link ChartCards#suggestionUuid}).
 * A uuid one could predict from another (a counter, {@code ThreadLocalRandom}, a time-based UUID) would let
 * one EHR user post "order stopped" for a card shown to another. So the 122 random bits come from a
 * cryptographically strong generator, as before.
 *
 * <p>Why not {@code UUID.randomUUID()}: the JVM's one {@code SecureRandom} behind it (NativePRNG on Linux,
 * whose instances all share one reader of {@code /dev/urandom} under a lock) made every answering thread
 * queue on that lock under load (issue 19: JFR lock waits in {@code UUID.randomUUID} throughout a 200/s
 * run). Here each thread has its own DRBG ({@code SecureRandom.getInstance("DRBG")}: NIST SP 800-90A
 * Hash_DRBG over SHA-256, seeded from the system's entropy when the thread first needs one), so no call
 * waits for another; the threads are Jetty's pooled ones, so a seeding is rare.
 */
public final class CardUuids implements Supplier<UUID> {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(CardUuids::strongRandom);

    @Override
    public UUID get() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4 (random), as UUID.randomUUID
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(most, least);
    }

    private static SecureRandom strongRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException absent) {
            return new SecureRandom(); // every JDK since 9 has DRBG; this keeps the strength if one lacks it
        }
    }
}

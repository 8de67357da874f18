package org.rasguard.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.junit.jupiter.api.Test;
import org.rasguard.cdshooks.Decision;
import org.rasguard.cdshooks.Hook;
import org.rasguard.server.metrics.Metrics;

class AuditTrailTest {

    private final List<Bundle> stored = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    private IFhirSystemDao<Bundle, Meta> store(CountDownLatch open) {
        return (IFhirSystemDao<Bundle, Meta>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {IFhirSystemDao.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transaction")) {
                        open.await(10, TimeUnit.SECONDS);
                        stored.add((Bundle) args[1]);
                        return new Bundle();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Decision decision() {
        return new Decision(
                "rasguard-anti-egfr-order-sign",
                Hook.ORDER_SIGN,
                UUID.randomUUID().toString(),
                null,
                "p1",
                Instant.now(),
                1_000_000,
                0,
                List.of(),
                null,
                List.of(),
                List.of(),
                null);
    }

    @Test
    void everyDecisionIsWrittenInBatchesAndCloseFlushesTheRest() {
        Metrics metrics = new Metrics();
        AuditTrail trail = new AuditTrail(store(new CountDownLatch(0)), metrics, 1_000);
        for (int i = 0; i < 250; i++) {
            trail.record(decision());
        }
        trail.close();
        assertThat(stored.stream().mapToInt(bundle -> bundle.getEntry().size()).sum())
                .isEqualTo(250);
        assertThat(stored)
                .allSatisfy(bundle -> assertThat(bundle.getEntry().size()).isLessThanOrEqualTo(AuditTrail.BATCH));
        assertThat(metrics.scrape()).contains("rasguard_audit_events_total{result=\"written\"} 250.0");
        assertThat(trail.pending()).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        Metrics metrics = new Metrics();
        CountDownLatch storeBlocked = new CountDownLatch(1);
        AuditTrail trail = new AuditTrail(store(storeBlocked), metrics, 3);
        trail.record(decision());
        Thread.sleep(300); // the writer has taken the first and is stuck in the store
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            trail.record(decision());
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
        assertThat(trail.pending()).isEqualTo(3);
        assertThat(metrics.scrape()).contains("rasguard_audit_events_total{result=\"dropped\"} 7.0");
        storeBlocked.countDown();
        trail.close();
        assertThat(stored.stream().mapToInt(bundle -> bundle.getEntry().size()).sum())
                .isEqualTo(4);
    }

    @Test
    void offRecordsNothing() {
        AuditTrail off = AuditTrail.off();
        off.record(decision());
        assertThat(off.isOn()).isFalse();
        assertThat(off.pending()).isZero();
        off.close();
    }
}

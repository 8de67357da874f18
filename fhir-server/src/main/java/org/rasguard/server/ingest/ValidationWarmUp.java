package org.rasguard.server.ingest;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Validates one of our examples once, on a background thread, so that the profile snapshots are
 * generated before a lab's first request needs them. Started after the server is ready, not during
 * start-up, where it competed with HAPI's start for the CPU (two cores: it took seconds off neither).
 */
public final class ValidationWarmUp {

    private final IngestValidator validator;
    private final IBaseResource example;
    private volatile Thread thread;

    ValidationWarmUp(IngestValidator validator, IBaseResource example) {
        this.validator = validator;
        this.example = example;
    }

    /** Starts the warm-up once (a daemon thread); without an example, does nothing. */
    public synchronized void start() {
        if (example == null || thread != null) {
            return;
        }
        Thread warmUp = new Thread(() -> validator.warmUp(example), "rasguard-validation-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        thread = warmUp;
        warmUp.start();
    }

    /** Waits for a started warm-up to end (a training run exits after it); false if it is still running. */
    public boolean awaitDone(java.time.Duration timeout) throws InterruptedException {
        Thread started = thread;
        if (started != null) {
            started.join(timeout.toMillis());
            return !started.isAlive();
        }
        return true;
    }
}

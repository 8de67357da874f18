package org.rasguard.server.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Servers made once per test JVM and closed when it exits. JUnit's root store would close them after
 * each test class when failsafe runs classes in two forks (each class is then its own launcher
 * execution, so every class paid a server start); a JVM-wide holder keeps one per fork.
 */
final class PerTestJvm {

    private static final Map<String, AutoCloseable> MADE = new LinkedHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PerTestJvm::closeAll, "close-test-servers"));
    }

    private PerTestJvm() {}

    /** The resource under {@code key}, made by {@code make} on first use. */
    static synchronized <T extends AutoCloseable> T get(String key, Class<T> type, Supplier<T> make) {
        return type.cast(MADE.computeIfAbsent(key, k -> make.get()));
    }

    /** Last made, first closed; one failure does not keep the others open. */
    private static synchronized void closeAll() {
        List<AutoCloseable> resources = new ArrayList<>(MADE.values());
        MADE.clear();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("[it] could not close a test server: " + e);
            }
        }
    }
}

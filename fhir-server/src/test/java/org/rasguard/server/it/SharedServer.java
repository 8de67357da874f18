package org.rasguard.server.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One server for the whole integration suite, started on first use with a fresh data directory and
 * stopped when the suite ends. Test classes that are not about restarts share it through
 * {@code @ExtendWith(SharedServer.class)} and a {@link ServerProcess} parameter.
 */
public final class SharedServer implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServerProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", key -> startShared(), Running.class)
                .server();
    }

    private static Running startShared() {
        try {
            Path dataDir = Files.createTempDirectory("rasguard-it-");
            return new Running(new ServerProcess(dataDir, TestDatabase.fresh()).start());
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the shared server", e);
        }
    }

    /** Closed by JUnit when the root context ends, i.e. after the last test class. */
    private record Running(ServerProcess server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            server.close();
        }
    }
}

package dev.pgprop.dsl.internal.provision;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A running server: how to reach its maintenance database as a superuser-capable role, what it
 * is, and how to stop it (a no-op for an external server). A server pgprop started also has a
 * log while it runs ({@code liveLog}) and a process that can die ({@code running}). A {@code shared}
 * server serves other JVMs too: a JVM drops what it created when it leaves, and templates are built
 * once for all of them.
 */
public record ProvidedServer(
        String provider,
        String description,
        String adminJdbcUrl,
        @Nullable String user,
        @Nullable String password,
        @Nullable Path logFile,
        Runnable stopper,
        @Nullable Path liveLog,
        BooleanSupplier running,
        boolean shared) {

    /** A server whose process pgprop does not watch. */
    public ProvidedServer(String provider, String description, String adminJdbcUrl, @Nullable String user,
                          @Nullable String password, @Nullable Path logFile, Runnable stopper) {
        this(provider, description, adminJdbcUrl, user, password, logFile, stopper, null, () -> true, false);
    }

    public Optional<Path> log() {
        return Optional.ofNullable(logFile);
    }
}

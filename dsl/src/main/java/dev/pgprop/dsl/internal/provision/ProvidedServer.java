package dev.pgprop.dsl.internal.provision;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A running server: how to reach its maintenance database as a superuser-capable role, what it
 * is, and how to stop it (a no-op for an external server).
 */
public record ProvidedServer(
        String provider,
        String description,
        String adminJdbcUrl,
        @Nullable String user,
        @Nullable String password,
        @Nullable Path logFile,
        Runnable stopper) {

    public Optional<Path> log() {
        return Optional.ofNullable(logFile);
    }
}

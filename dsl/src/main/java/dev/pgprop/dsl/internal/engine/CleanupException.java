package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.PgPropException;

/** The clean state after a try could not be restored: the class's database is no longer trusted. */
public final class CleanupException extends PgPropException {
    private static final long serialVersionUID = 1L;

    CleanupException(String message, Throwable cause) {
        super(message, cause);
    }
}

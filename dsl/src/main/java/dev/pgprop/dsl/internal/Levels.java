package dev.pgprop.dsl.internal;

import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** The one check of a transaction isolation level, and its name in outcomes and messages. */
public final class Levels {
    private Levels() {}

    /** The level, when a transaction can run at it (not UNKNOWN or NONE). */
    public static TransactionIsolationLevel requireRunnable(TransactionIsolationLevel level) {
        Objects.requireNonNull(level, "level");
        if (level == TransactionIsolationLevel.UNKNOWN || level == TransactionIsolationLevel.NONE) {
            throw new IllegalArgumentException("isolation level " + level + " cannot run a transaction; use READ_COMMITTED,"
                    + " REPEATABLE_READ or SERIALIZABLE");
        }
        return level;
    }

    /** {@code read committed}, {@code repeatable read}, {@code serializable}. */
    public static String name(TransactionIsolationLevel level) {
        return level.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}

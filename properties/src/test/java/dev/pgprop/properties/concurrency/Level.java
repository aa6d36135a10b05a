package dev.pgprop.properties.concurrency;

import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** The three isolation levels PostgreSQL implements, as the isolation matrix names them. */
public enum Level {
    READ_COMMITTED("read committed", TransactionIsolationLevel.READ_COMMITTED),
    REPEATABLE_READ("repeatable read", TransactionIsolationLevel.REPEATABLE_READ),
    SERIALIZABLE("serializable", TransactionIsolationLevel.SERIALIZABLE);

    private final String label;
    private final TransactionIsolationLevel jdbi;

    Level(String label, TransactionIsolationLevel jdbi) {
        this.label = label;
        this.jdbi = jdbi;
    }

    /** {@code read committed}, {@code repeatable read}, {@code serializable}. */
    public String label() {
        return label;
    }

    public TransactionIsolationLevel jdbi() {
        return jdbi;
    }
}

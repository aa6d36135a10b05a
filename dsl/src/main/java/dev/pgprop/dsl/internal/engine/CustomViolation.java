package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.Row;
import java.util.List;

/** Thrown by {@link CheckContext#fail}: ends a custom invariant's check as violated, with its rows. */
public final class CustomViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Row> rows;

    public CustomViolation(String message, List<Row> rows) {
        super(message, null, false, false);
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }
}

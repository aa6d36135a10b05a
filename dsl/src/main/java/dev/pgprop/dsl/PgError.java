package dev.pgprop.dsl;

import java.sql.SQLException;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A classified PostgreSQL error with what the server reported: SQLSTATE, message, detail,
 * constraint, schema, table and column. The one classifier of errors the DSL uses everywhere.
 *
 * <pre>{@code
 * try { handle.execute("insert into inventory values ('bad', -1)"); }
 * catch (Exception e) {
 *     PgError err = PgError.classify(e).orElseThrow();
 *     err.errorClass();   // CHECK_VIOLATION
 *     err.constraint();   // "inventory_sku_format"
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public record PgError(
        ErrorClass errorClass,
        String sqlState,
        String message,
        @Nullable String detail,
        @Nullable String constraint,
        @Nullable String schema,
        @Nullable String table,
        @Nullable String column) {

    /** The PostgreSQL error in a throwable's cause chain, classified; empty when there is none. */
    public static Optional<PgError> classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(of(sql));
            }
        }
        return Optional.empty();
    }

    /** Classifies one SQLException. */
    public static PgError of(SQLException e) {
        if (e instanceof java.sql.BatchUpdateException && e.getNextException() instanceof PSQLException next
                && next.getServerErrorMessage() != null) {
            e = next; // the server's own error, with its constraint, table and column
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String message = m != null && m.getMessage() != null ? m.getMessage() : String.valueOf(e.getMessage());
        return new PgError(ErrorClass.of(state, message), state, message,
                m == null ? null : m.getDetail(),
                m == null ? null : m.getConstraint(),
                m == null ? null : m.getSchema(),
                m == null ? null : m.getTable(),
                m == null ? null : m.getColumn());
    }

    /** Whether this error is of the given class. */
    public boolean hasClass(ErrorClass c) {
        return errorClass == c;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(errorClass.name()).append(" [").append(sqlState).append("] ").append(message);
        if (constraint != null) {
            b.append(" (constraint ").append(constraint).append(')');
        } else if (table != null) {
            b.append(" (").append(table).append(column == null ? "" : "." + column).append(')');
        }
        if (detail != null) {
            b.append(" — ").append(detail);
        }
        return b.toString();
    }
}

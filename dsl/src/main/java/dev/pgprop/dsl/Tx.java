package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * One transaction of a scenario's actions: SQL helpers and the plain JDBI {@link Handle}. pgprop
 * begins, commits or rolls back the transaction; actions don't.
 *
 * <pre>{@code
 * db.given(data).whenCommitted(tx -> {
 *     UUID id = (UUID) tx.call("allocate", "SKU-000001", 2);
 *     tx.execute("update allocations set status = 'shipped' where id = ?", id);
 * });
 * }</pre>
 */
public final class Tx {
    private final Handle handle;
    private final int session;
    private final int attempt;

    Tx(Handle handle, int session) {
        this(handle, session, 1);
    }

    Tx(Handle handle, int session, int attempt) {
        this.handle = handle;
        this.session = session;
        this.attempt = attempt;
    }

    /** The JDBI handle of this transaction. */
    public Handle handle() {
        return handle;
    }

    /** The JDBC connection of this transaction. */
    public Connection connection() {
        return handle.getConnection();
    }

    /** This session's number: 0 for a single transaction, 0..n-1 in {@code whenConcurrently(n, ...)}. */
    public int session() {
        return session;
    }

    /** Which attempt this transaction is: 1, or more when a {@link Retry} ran it again after a transient error. */
    public int attempt() {
        return attempt;
    }

    /** Runs a statement with positional {@code ?} arguments; returns the update count. */
    public int execute(String sql, @Nullable Object... args) {
        return handle.execute(sql, args);
    }

    /** Runs a query with positional {@code ?} arguments; returns every row. */
    public List<Row> query(String sql, @Nullable Object... args) {
        return handle.select(sql, args).map((rs, ctx) -> Rows.row(rs)).list();
    }

    /** The first column of the first row of a query, or null when it returns no row. */
    public @Nullable Object scalar(String sql, @Nullable Object... args) {
        return handle.select(sql, args).map((rs, ctx) -> rs.getObject(1)).findFirst().orElse(null);
    }

    /** Calls a function {@code name(args...)} and returns its result: {@code tx.call("allocate", sku, 2)}. */
    public @Nullable Object call(String function, @Nullable Object... args) {
        StringBuilder sql = new StringBuilder("SELECT ").append(function).append('(');
        for (int i = 0; i < args.length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        return scalar(sql.toString(), args);
    }

    /** Runs a statement through plain JDBC, for what JDBI gets in the way of. */
    public int executeJdbc(String sql) throws SQLException {
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    return Rows.all(rs).size();
                }
            }
            return ps.getUpdateCount();
        }
    }
}

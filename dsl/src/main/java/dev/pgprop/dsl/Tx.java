package dev.pgprop.dsl;


import dev.pgprop.dsl.internal.Rows;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
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
@API(status = API.Status.STABLE, since = "0.1")
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

    /**
     * Inserts rows into {@code table} in one JDBC batch (every row has the same columns); returns
     * how many rows were inserted.
     *
     * <pre>{@code
     * int n = tx.insertAll("inventory", List.of(Row.of("sku", "SKU-000001", "on_hand", 5),
     *                                          Row.of("sku", "SKU-000002", "on_hand", 7)));
     * }</pre>
     */
    public int insertAll(String table, List<Row> rows) {
        List<String> columns = sameColumns(table, rows);
        if (rows.isEmpty()) {
            return 0;
        }
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        for (String c : columns) {
            cols.add(SqlLiterals.identifier(c));
            marks.add("?");
        }
        return batch("INSERT INTO " + SqlLiterals.identifier(table) + " (" + cols + ") VALUES (" + marks + ")", columns, rows);
    }

    /**
     * Updates rows of {@code table} keyed on {@code keyColumn}, in one JDBC batch: each row sets its
     * other columns where {@code keyColumn} equals its key. Every row has the same columns, the key
     * among them. Returns how many rows were updated (a key that matches nothing counts 0).
     *
     * <pre>{@code
     * int n = tx.updateAll("inventory", "sku", List.of(Row.of("sku", "SKU-000001", "on_hand", 9)));
     * }</pre>
     */
    public int updateAll(String table, String keyColumn, List<Row> rows) {
        Objects.requireNonNull(keyColumn, "keyColumn");
        List<String> columns = sameColumns(table, rows);
        if (rows.isEmpty()) {
            return 0;
        }
        if (!columns.contains(keyColumn)) {
            throw new IllegalArgumentException("updateAll(" + table + ", " + keyColumn + "): the rows have no column "
                    + keyColumn + " (they have " + columns + "); include the key in every row");
        }
        List<String> set = new ArrayList<>(columns);
        set.remove(keyColumn);
        if (set.isEmpty()) {
            throw new IllegalArgumentException("updateAll(" + table + ", " + keyColumn + "): the rows have only the key;"
                    + " give at least one column to update");
        }
        StringJoiner assignments = new StringJoiner(", ");
        set.forEach(c -> assignments.add(SqlLiterals.identifier(c) + " = ?"));
        List<String> order = new ArrayList<>(set);
        order.add(keyColumn);
        return batch("UPDATE " + SqlLiterals.identifier(table) + " SET " + assignments + " WHERE "
                + SqlLiterals.identifier(keyColumn) + " = ?", order, rows);
    }

    private static List<String> sameColumns(String table, List<Row> rows) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> columns = new ArrayList<>(rows.get(0).columns());
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("bulk write to " + table + ": the rows have no columns");
        }
        for (int i = 1; i < rows.size(); i++) {
            if (!rows.get(i).columns().equals(rows.get(0).columns())) {
                throw new IllegalArgumentException("bulk write to " + table + ": row " + i + " has columns "
                        + rows.get(i).columns() + ", row 0 has " + columns + "; give every row the same columns");
            }
        }
        return columns;
    }

    private static org.postgresql.util.PGobject jsonb(Object v) {
        org.postgresql.util.PGobject o = new org.postgresql.util.PGobject();
        o.setType("jsonb");
        try {
            o.setValue(dev.pgprop.dsl.internal.Json.write(v));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return o;
    }

    private int batch(String sql, List<String> columns, List<Row> rows) {
        PreparedBatch batch = handle.prepareBatch(sql);
        for (Row r : rows) {
            for (int i = 0; i < columns.size(); i++) {
                Object v = r.get(columns.get(i));
                if (v instanceof java.util.Map<?, ?> || v instanceof java.util.Collection<?>) {
                    batch.bind(i, jsonb(v)); // as jsonb, like the dataset loader (not as hstore or an array)
                } else {
                    batch.bind(i, v);
                }
            }
            batch.add();
        }
        int total = 0;
        for (int n : batch.execute()) {
            total += Math.max(n, 0);
        }
        return total;
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

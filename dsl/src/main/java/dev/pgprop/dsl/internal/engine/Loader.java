package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.DatasetLoadException;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Loads a {@link Dataset} in foreign-key order (read from the catalog): one multi-row INSERT per
 * run of rows with the same columns, all sent in one round trip. On failure nothing stays, and
 * the rows are replayed one by one to name the row that failed.
 */
public final class Loader {
    private Loader() {}

    /** Table order for a dataset: the catalog's foreign-key order of the tables it names. */
    public static List<String> order(Catalog catalog, Dataset data) {
        List<Catalog.Table> tables = new ArrayList<>();
        for (String t : data.tables()) {
            tables.add(catalog.table(t));
        }
        List<Catalog.Table> ordered = catalog.loadOrder(tables);
        List<String> names = new ArrayList<>();
        for (Catalog.Table t : ordered) {
            names.add(data.tables().get(tables.indexOf(t)));
        }
        return names;
    }

    /** The dataset as SQL in foreign-key order (multi-row INSERTs). */
    public static String sql(Catalog catalog, Dataset data) {
        StringBuilder b = new StringBuilder();
        for (String name : order(catalog, data)) {
            Catalog.Table t = catalog.table(name);
            List<Row> rows = data.rows(name);
            int i = 0;
            while (i < rows.size()) {
                Set<String> cols = rows.get(i).columns();
                StringJoiner colList = new StringJoiner(", ", "(", ")");
                cols.forEach(c -> colList.add(SqlLiterals.identifier(c)));
                b.append("INSERT INTO ").append(t.qualified()).append(' ').append(cols.isEmpty() ? "" : colList + " ");
                if (cols.isEmpty()) {
                    b.append("DEFAULT VALUES;");
                    i++;
                    continue;
                }
                b.append("VALUES ");
                boolean first = true;
                while (i < rows.size() && rows.get(i).columns().equals(cols)) {
                    StringJoiner vals = new StringJoiner(", ", "(", ")");
                    rows.get(i).values().forEach((col, v) -> vals.add(SqlLiterals.literal(v, t.type(col))));
                    b.append(first ? "" : ", ").append(vals);
                    first = false;
                    i++;
                }
                b.append(";\n");
            }
        }
        return b.toString();
    }

    /**
     * The dataset as a reader wants it in a failure report: one INSERT per row, tables in
     * foreign-key order under the names the dataset gives them, each value written for its
     * column's type (arrays as arrays, jsonb as jsonb).
     */
    public static String printSql(Catalog catalog, Dataset data) {
        StringBuilder b = new StringBuilder();
        for (String name : order(catalog, data)) {
            Catalog.Table t = catalog.table(name);
            for (Row r : data.rows(name)) {
                b.append(SqlLiterals.insertInto(SqlLiterals.identifier(name), r, t::type)).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Loads the dataset on {@code c}. With {@code inTransaction}, {@code c} is inside the try's
     * transaction (a savepoint guards the load); otherwise the load commits on its own.
     */
    public static void load(Connection c, Catalog catalog, Dataset data, boolean inTransaction,
                            Map<String, String> placeholders) {
        load(c, catalog, data, inTransaction, placeholders, null, () -> { });
    }

    /**
     * As {@link #load(Connection, Catalog, Dataset, boolean, Map)}, with {@code before} (a
     * script that must run first in autocommit, such as the previous try's cleanup; null: none)
     * sent in the same round trip. When that round trip fails, {@code runBeforeAlone} runs the
     * script by itself (it reports its own failures) and the load is retried alone, so a load
     * error is still diagnosed as the load's.
     */
    public static void load(Connection c, Catalog catalog, Dataset data, boolean inTransaction,
                            Map<String, String> placeholders, @Nullable String before, Runnable runBeforeAlone) {
        if (data.isEmpty()) {
            if (before != null) {
                runBeforeAlone.run();
            }
            return;
        }
        String sql;
        try {
            sql = sql(catalog, data);
        } catch (IllegalArgumentException e) {
            if (before != null) {
                runBeforeAlone.run();
            }
            throw new PgPropException("the dataset cannot be loaded: " + e.getMessage(), e);
        }
        try (Statement s = c.createStatement()) {
            if (inTransaction) {
                if (before != null) {
                    throw new IllegalStateException("a script to run first cannot go inside the try's transaction");
                }
                // one round trip: the savepoint, the rows and the release travel together
                try {
                    s.execute("SAVEPOINT pgprop_load;" + sql + "RELEASE SAVEPOINT pgprop_load");
                } catch (SQLException e) {
                    s.execute("ROLLBACK TO SAVEPOINT pgprop_load");
                    throw diagnose(c, catalog, data, e, true, placeholders);
                }
            } else {
                // one round trip: the transaction travels with the statements (and what runs first)
                try {
                    s.execute((before == null ? "" : before + ";") + "BEGIN;" + sql + "COMMIT;");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    if (before != null) {
                        runBeforeAlone.run();
                        load(c, catalog, data, false, placeholders);
                        return;
                    }
                    throw diagnose(c, catalog, data, e, false, placeholders);
                }
            }
        } catch (SQLException e) {
            throw new PgPropException("loading the dataset failed: " + e.getMessage(), e);
        }
    }

    /** Replays the rows one by one (rolled back) to find the first that fails. */
    private static RuntimeException diagnose(Connection c, Catalog catalog, Dataset data, SQLException original,
                                             boolean inTransaction, Map<String, String> placeholders) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!inTransaction) {
                c.setAutoCommit(false);
            }
            s.execute("SAVEPOINT pgprop_diagnose");
            try {
                for (String name : order(catalog, data)) {
                    Catalog.Table t = catalog.table(name);
                    List<Row> rows = data.rows(name);
                    for (int i = 0; i < rows.size(); i++) {
                        try {
                            s.execute(SqlLiterals.insertInto(t.qualified(), rows.get(i), t::type));
                        } catch (SQLException e) {
                            return new DatasetLoadException(name, i, rows.get(i), PgError.of(e), e, placeholders);
                        }
                    }
                }
            } finally {
                s.execute("ROLLBACK TO SAVEPOINT pgprop_diagnose");
                if (!inTransaction) {
                    c.rollback();
                }
            }
        }
        // every row loads alone: the batch failed as a whole (a deferred constraint, a statement trigger)
        return new DatasetLoadException(data.tables().get(0), 0, data.rows(data.tables().get(0)).isEmpty() ? Row.of()
                : data.rows(data.tables().get(0)).get(0), PgError.of(original), original, placeholders);
    }
}

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Loads a {@link Dataset} in foreign-key order (read from the catalog): one multi-row INSERT per
 * run of rows with the same columns, all sent in one round trip; a nullable key that closes a
 * foreign-key cycle goes in as NULL and is set by an UPDATE once its parent is in. On failure nothing stays, and
 * the rows are replayed one by one to name the row that failed.
 *
 * <p>A large load checks its foreign keys in bulk: where the role may set {@code
 * session_replication_role} (a superuser) and the loaded tables have no trigger or rule but
 * their immediate foreign-key checks, the rows go in with those per-row checks off, and one
 * anti-join per foreign key of a loaded table then refuses a dangling key with the SQLSTATE,
 * constraint name and detail PostgreSQL's own check gives. Anything else (a user trigger, a
 * deferred key, a deferrable unique constraint, a role that is not a superuser) loads with the
 * per-row checks as before.
 */
public final class Loader {
    private Loader() {}

    /**
     * Rows from which a load checks its foreign keys in bulk (when it may): below this the
     * per-row checks cost less than the two catalog lookups of the bulk path.
     */
    public static final int BULK_KEY_CHECK_ROWS = 500;

    /**
     * Turns the per-row foreign-key checks off for the rest of the transaction when the role may,
     * no user trigger, rule, deferred key's check or other constraint trigger on the loaded tables
     * (or their partitions) would be skipped with them, and the session is in its ordinary role;
     * records the choice in {@code pgprop.load_keys} ({@code bulk} or {@code rows}). A referenced
     * table's own foreign-key triggers act on its updates and deletes, which a load does not make
     * to a referenced key (a key that closes a cycle was NULL), so they do not stop it.
     */
    private static final String BULK_ENTER = """
            DO $pgprop$ DECLARE loaded regclass[] := %LOADED%; BEGIN
            PERFORM set_config('pgprop.load_keys', CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                AND current_setting('session_replication_role') = 'origin'
                AND NOT EXISTS (SELECT 1 FROM (SELECT l AS rel FROM unnest(loaded) l UNION SELECT t.relid FROM unnest(loaded) l, pg_partition_tree(l) t) r
                    JOIN pg_trigger tg ON tg.tgrelid = r.rel LEFT JOIN pg_constraint co ON co.oid = tg.tgconstraint
                    WHERE tg.tgenabled <> 'D' AND NOT (tg.tgisinternal AND co.contype = 'f'
                        AND (NOT co.condeferred OR tg.tgfoid NOT IN ('"RI_FKey_check_ins"'::regproc, '"RI_FKey_check_upd"'::regproc))))
                AND NOT EXISTS (SELECT 1 FROM (SELECT l AS rel FROM unnest(loaded) l UNION SELECT t.relid FROM unnest(loaded) l, pg_partition_tree(l) t) r
                    JOIN pg_rewrite ru ON ru.ev_class = r.rel WHERE ru.rulename <> '_RETURN' AND ru.ev_enabled <> 'D')
                THEN 'bulk' ELSE 'rows' END, true);
            IF current_setting('pgprop.load_keys') = 'bulk' THEN PERFORM set_config('session_replication_role', 'replica', true); END IF;
            END $pgprop$;
            """;

    /**
     * After a bulk load: the per-row checks back on, then every foreign key of a loaded table
     * checked by one anti-join (MATCH FULL's mixed nulls too), refused as PostgreSQL's per-row
     * check refuses it: SQLSTATE 23503, the message and detail, the table (the partition the row
     * is in) and that table's copy of the key.
     */
    private static final String BULK_EXIT = """
            DO $pgprop$ DECLARE loaded regclass[] := %LOADED%; k record; leaf oid; bad text; detail text; tname text; sname text; cname text; BEGIN
            IF current_setting('pgprop.load_keys', true) IS DISTINCT FROM 'bulk' THEN RETURN; END IF;
            PERFORM set_config('session_replication_role', 'origin', true);
            FOR k IN SELECT co.oid, co.conname, co.confmatchtype, pa.relname AS parent_name,
                    format('%s%s', CASE WHEN ch.relkind = 'p' THEN '' ELSE 'ONLY ' END, co.conrelid::regclass) AS child,
                    format('%s%s', CASE WHEN pa.relkind = 'p' THEN '' ELSE 'ONLY ' END, co.confrelid::regclass) AS parent,
                    string_agg(fa.attname, ', ' ORDER BY i.ord) AS key_cols,
                    string_agg(format('c.%I::text', fa.attname), ', ' ORDER BY i.ord) AS key_text,
                    string_agg(format('c.%I IS NOT NULL', fa.attname), ' AND ' ORDER BY i.ord) AS all_set,
                    string_agg(format('c.%I IS NOT NULL', fa.attname), ' OR ' ORDER BY i.ord) AS any_set,
                    string_agg(format('p.%I OPERATOR(%I.%s) c.%I', pat.attname, opn.nspname, op.oprname, fa.attname), ' AND ' ORDER BY i.ord) AS matches
                FROM pg_constraint co
                JOIN pg_class ch ON ch.oid = co.conrelid JOIN pg_class pa ON pa.oid = co.confrelid
                CROSS JOIN LATERAL unnest(co.conkey, co.confkey, co.conpfeqop) WITH ORDINALITY AS i(fk, pk, eq, ord)
                JOIN pg_attribute fa ON fa.attrelid = co.conrelid AND fa.attnum = i.fk
                JOIN pg_attribute pat ON pat.attrelid = co.confrelid AND pat.attnum = i.pk
                JOIN pg_operator op ON op.oid = i.eq JOIN pg_namespace opn ON opn.oid = op.oprnamespace
                WHERE co.contype = 'f' AND co.conrelid = ANY (loaded)
                GROUP BY co.oid, co.conname, co.confmatchtype, ch.relkind, pa.relname, pa.relkind, co.conrelid, co.confrelid
            LOOP
                detail := NULL;
                IF k.confmatchtype = 'f' THEN
                    EXECUTE format('SELECT c.tableoid FROM %s c WHERE (%s) AND NOT (%s) LIMIT 1', k.child, k.any_set, k.all_set) INTO leaf;
                    IF leaf IS NOT NULL THEN
                        detail := 'MATCH FULL does not allow mixing of null and nonnull key values.';
                    END IF;
                END IF;
                IF detail IS NULL THEN
                    EXECUTE format('SELECT c.tableoid, concat_ws('', '', %s) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s) LIMIT 1',
                        k.key_text, k.child, k.all_set, k.parent, k.matches) INTO leaf, bad;
                    IF leaf IS NOT NULL THEN
                        detail := format('Key (%s)=(%s) is not present in table "%s".', k.key_cols, bad, k.parent_name);
                    END IF;
                END IF;
                IF detail IS NOT NULL THEN
                    -- named as the per-row check names it: by the partition the row is in, and that partition's copy of the key
                    SELECT cl.relname, ns.nspname INTO tname, sname FROM pg_class cl JOIN pg_namespace ns ON ns.oid = cl.relnamespace WHERE cl.oid = leaf;
                    WITH RECURSIVE copies AS (SELECT co.oid, co.conrelid, co.conname FROM pg_constraint co WHERE co.oid = k.oid
                        UNION ALL SELECT d.oid, d.conrelid, d.conname FROM pg_constraint d JOIN copies ON d.conparentid = copies.oid)
                    SELECT conname INTO cname FROM copies WHERE conrelid = leaf;
                    cname := coalesce(cname, k.conname);
                    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', tname, cname
                        USING ERRCODE = 'foreign_key_violation', DETAIL = detail, CONSTRAINT = cname, TABLE = tname, SCHEMA = sname;
                END IF;
            END LOOP;
            END $pgprop$;
            """;

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

    /** One table's rows as they are inserted (keys that close a cycle still NULL). */
    private record Insert(String name, Catalog.Table table, List<Row> rows) {}

    /** A key that closes a foreign-key cycle, set once the parent is loaded: row {@code index} of {@code name}. */
    private record Close(String name, Catalog.Table table, int index, Row original, Row inserted, Row keys) {}

    private record Plan(List<Insert> inserts, List<Close> closes) {}

    /**
     * The load in foreign-key order. A table that comes before a parent it references (a cycle)
     * gets that key as NULL in its INSERT and an UPDATE that sets it after every table is in,
     * when the key is nullable and not initially deferred (deferred keys are simply checked at
     * commit).
     */
    private static Plan plan(Catalog catalog, Dataset data) {
        List<String> names = order(catalog, data);
        Set<Catalog.Table> inDataset = new HashSet<>();
        names.forEach(n -> inDataset.add(catalog.table(n)));
        Set<Catalog.Table> loaded = new HashSet<>();
        List<Insert> inserts = new ArrayList<>();
        List<Close> closes = new ArrayList<>();
        for (String name : names) {
            Catalog.Table t = catalog.table(name);
            List<Catalog.ForeignKey> late = catalog.lateKeys(t, inDataset, loaded);
            List<Row> rows = data.rows(name);
            List<Row> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Row inserted = row;
                Map<String, @Nullable Object> keys = new LinkedHashMap<>();
                for (Catalog.ForeignKey fk : late) {
                    if (fk.childColumns().stream().anyMatch(c -> row.has(c) && row.get(c) != null)) {
                        for (String c : fk.childColumns()) {
                            if (row.has(c)) {
                                keys.put(c, row.get(c));
                                inserted = inserted.with(c, null);
                            }
                        }
                    }
                }
                if (!keys.isEmpty()) {
                    closes.add(new Close(name, t, i, row, inserted, Row.of(keys)));
                }
                out.add(inserted);
            }
            inserts.add(new Insert(name, t, out));
            loaded.add(t);
        }
        return new Plan(inserts, closes);
    }

    /** The UPDATE that sets a closing key on the one row it was inserted as. */
    private static String closeSql(Catalog catalog, Close c, String tableSql) {
        Catalog.Table t = c.table();
        StringJoiner set = new StringJoiner(", ");
        c.keys().values().forEach((col, v) -> set.add(SqlLiterals.identifier(col) + " = " + SqlLiterals.literal(v, t.type(col))));
        Catalog.Unique key = null;
        for (Catalog.Unique u : catalog.uniques()) {
            if (u.table().equals(t) && !u.columns().isEmpty()
                    && u.columns().stream().allMatch(col -> c.inserted().has(col) && c.inserted().get(col) != null
                            && !c.keys().has(col))
                    && (key == null || u.primaryKey() && !key.primaryKey())) {
                key = u;
            }
        }
        StringJoiner where = new StringJoiner(" AND ");
        if (key != null) {
            for (String col : key.columns()) {
                where.add(SqlLiterals.identifier(col) + " = " + SqlLiterals.literal(c.inserted().get(col), t.type(col)));
            }
            return "UPDATE " + tableSql + " SET " + set + " WHERE " + where + ";";
        }
        // no key identifies the row: the first row that matches it and still lacks the closing key
        c.inserted().values().forEach((col, v) -> where.add(v == null ? SqlLiterals.identifier(col) + " IS NULL"
                : SqlLiterals.identifier(col) + "::text = (" + SqlLiterals.literal(v, t.type(col)) + ")::text"));
        return "UPDATE " + tableSql + " SET " + set + " WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM "
                + tableSql + " WHERE " + where + " LIMIT 1);";
    }

    /**
     * Moves each sequence whose column the dataset wrote explicitly past the largest value
     * written, so that a row the actions insert with the default does not collide with a loaded
     * one (the engine puts sequences back after the try). A key at the sequence's maximum leaves
     * it alone: moving there would exhaust it.
     */
    private static String advanceSql(Catalog catalog, Plan plan, boolean print) {
        StringBuilder b = new StringBuilder();
        for (Catalog.OwnedSequence o : catalog.ownedSequences()) {
            boolean written = plan.inserts().stream().anyMatch(in -> in.table().equals(o.table())
                    && in.rows().stream().anyMatch(r -> r.has(o.column()) && r.get(o.column()) != null));
            if (!written) {
                continue;
            }
            String col = SqlLiterals.identifier(o.column());
            String seq = SqlLiterals.string(o.sequence());
            b.append("SELECT setval(").append(seq).append(", m) FROM (SELECT max(").append(col).append(")::bigint AS m FROM ")
                    .append(o.table().qualified()).append(") x, ").append(o.sequence())
                    .append(" s, pg_sequence q WHERE q.seqrelid = ").append(seq).append("::regclass AND m < q.seqmax")
                    .append(" AND m >= s.last_value + CASE WHEN s.is_called THEN 1 ELSE 0 END;")
                    .append(print ? "\n" : "");
        }
        return b.toString();
    }

    /**
     * The dataset as SQL in foreign-key order (multi-row INSERTs), followed by the UPDATEs that
     * close foreign-key cycles.
     */
    public static String sql(Catalog catalog, Dataset data) {
        return sql(catalog, plan(catalog, data));
    }

    private static String sql(Catalog catalog, Plan plan) {
        StringBuilder b = new StringBuilder();
        for (Insert in : plan.inserts()) {
            Catalog.Table t = in.table();
            List<Row> rows = in.rows();
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
                // every row of the run in the column list's order (a row may list the same columns in another)
                String[] names = cols.toArray(new String[0]);
                String[] types = new String[names.length];
                for (int k = 0; k < names.length; k++) {
                    types[k] = t.type(names[k]);
                }
                boolean first = true;
                while (i < rows.size() && rows.get(i).columns().equals(cols)) {
                    Row row = rows.get(i);
                    b.append(first ? "(" : ", (");
                    for (int k = 0; k < names.length; k++) {
                        b.append(k == 0 ? "" : ", ").append(SqlLiterals.literal(row.get(names[k]), types[k]));
                    }
                    b.append(')');
                    first = false;
                    i++;
                }
                b.append(";\n");
            }
        }
        for (Close c : plan.closes()) {
            b.append(closeSql(catalog, c, c.table().qualified())).append('\n');
        }
        return b.toString();
    }

    /**
     * The dataset as a reader wants it in a failure report: one INSERT per row, tables in
     * foreign-key order under the names the dataset gives them, each value written for its
     * column's type (arrays as arrays, jsonb as jsonb); then the UPDATEs that close
     * foreign-key cycles.
     */
    public static String printSql(Catalog catalog, Dataset data) {
        Plan plan = plan(catalog, data);
        StringBuilder b = new StringBuilder();
        for (Insert in : plan.inserts()) {
            for (Row r : in.rows()) {
                b.append(SqlLiterals.insertInto(SqlLiterals.identifier(in.name()), r, in.table()::type)).append('\n');
            }
        }
        for (Close c : plan.closes()) {
            b.append(closeSql(catalog, c, SqlLiterals.identifier(c.name()))).append('\n');
        }
        b.append(advanceSql(catalog, plan, true));
        return b.toString();
    }

    /**
     * Loads the dataset on {@code c}. With {@code inTransaction}, {@code c} is inside the try's
     * transaction (a savepoint guards the load); otherwise the load commits on its own.
     */
    public static void load(Connection c, Catalog catalog, Dataset data, boolean inTransaction,
                            Map<String, String> placeholders) {
        load(c, catalog, data, inTransaction, placeholders, false, null, () -> { });
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
        load(c, catalog, data, inTransaction, placeholders, false, before, runBeforeAlone);
    }

    /**
     * The load of a try: as {@link #load(Connection, Catalog, Dataset, boolean, Map, String,
     * Runnable)}, and it also moves each sequence whose column the dataset wrote past the largest
     * value written. Sequences are not transactional, so only a caller that puts them back
     * afterwards (the engine, after every try) asks for this.
     */
    public static void loadForTry(Connection c, Catalog catalog, Dataset data, boolean inTransaction,
                                  Map<String, String> placeholders, @Nullable String before, Runnable runBeforeAlone) {
        load(c, catalog, data, inTransaction, placeholders, true, before, runBeforeAlone);
    }

    private static void load(Connection c, Catalog catalog, Dataset data, boolean inTransaction,
                             Map<String, String> placeholders, boolean advanceSequences, @Nullable String before,
                             Runnable runBeforeAlone) {
        if (data.isEmpty()) {
            if (before != null) {
                runBeforeAlone.run();
            }
            return;
        }
        String sql;
        try {
            Plan plan = plan(catalog, data);
            sql = keyChecked(plan, sql(catalog, plan)) + (advanceSequences ? advanceSql(catalog, plan, false) : "");
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
                        load(c, catalog, data, false, placeholders, advanceSequences, null, () -> { });
                        return;
                    }
                    throw diagnose(c, catalog, data, e, false, placeholders);
                }
            }
        } catch (SQLException e) {
            throw new PgPropException("loading the dataset failed: " + e.getMessage(), e);
        }
    }

    /**
     * The statements a load of {@code data} sends, without its transaction or savepoint: the rows
     * in foreign-key order, between the bulk key check's two blocks when there are enough of them.
     */
    public static String loadSql(Catalog catalog, Dataset data) {
        Plan plan = plan(catalog, data);
        return keyChecked(plan, sql(catalog, plan));
    }

    /** The load's statements, between the bulk key check's two blocks when the load is large enough. */
    private static String keyChecked(Plan plan, String sql) {
        int rows = 0;
        StringJoiner loaded = new StringJoiner(", ", "ARRAY[", "]::regclass[]");
        for (Insert in : plan.inserts()) {
            rows += in.rows().size();
            loaded.add(SqlLiterals.string(in.table().qualified()));
        }
        if (rows < BULK_KEY_CHECK_ROWS) {
            return sql;
        }
        return BULK_ENTER.replace("%LOADED%", loaded.toString()) + sql + BULK_EXIT.replace("%LOADED%", loaded.toString());
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
                Plan plan = plan(catalog, data);
                for (Insert in : plan.inserts()) {
                    List<Row> rows = in.rows();
                    for (int i = 0; i < rows.size(); i++) {
                        try {
                            s.execute(SqlLiterals.insertInto(in.table().qualified(), rows.get(i), in.table()::type));
                        } catch (SQLException e) {
                            return new DatasetLoadException(in.name(), i, data.rows(in.name()).get(i), PgError.of(e), e,
                                    placeholders);
                        }
                    }
                }
                for (Close close : plan.closes()) {
                    try {
                        s.execute(closeSql(catalog, close, close.table().qualified()));
                    } catch (SQLException e) {
                        return new DatasetLoadException(close.name(), close.index(), close.original(), PgError.of(e), e,
                                placeholders);
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

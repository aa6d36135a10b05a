package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.DatasetLoadException;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.CopyStream;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.sql.Connection;
import java.sql.ResultSet;
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
 * <p>A large load checks its foreign keys in bulk, as a restore does: where the role may set
 * {@code session_replication_role} (a superuser) and the loaded tables have no trigger or rule but
 * their immediate foreign-key checks, the rows go in with those per-row checks off, by COPY where
 * COPY stores each value as the INSERT would, and one anti-join per foreign key of a loaded table
 * then refuses a dangling key with the SQLSTATE, constraint name and detail PostgreSQL's own check
 * gives. Anything else (a user trigger, a deferred key, a deferrable unique constraint, a role
 * that is not a superuser) loads by INSERT with the per-row checks.
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
            DO $pgprop$ DECLARE
                loaded regclass[] := %LOADED%;
                -- the loaded tables and their partitions, where the rows land
                rels regclass[] := ARRAY(SELECT l FROM unnest(loaded) l UNION SELECT t.relid FROM unnest(loaded) l, pg_partition_tree(l) t);
            BEGIN
            PERFORM set_config('pgprop.load_keys', CASE WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                AND current_setting('session_replication_role') = 'origin'
                AND NOT EXISTS (SELECT 1 FROM pg_trigger tg LEFT JOIN pg_constraint co ON co.oid = tg.tgconstraint
                    WHERE tg.tgrelid = ANY (rels) AND tg.tgenabled <> 'D' AND NOT (tg.tgisinternal AND co.contype = 'f'
                        AND (NOT co.condeferred OR tg.tgfoid NOT IN ('"RI_FKey_check_ins"'::regproc, '"RI_FKey_check_upd"'::regproc))))
                AND NOT EXISTS (SELECT 1 FROM pg_rewrite ru WHERE ru.ev_class = ANY (rels) AND ru.rulename <> '_RETURN' AND ru.ev_enabled <> 'D')
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

    /** A key that names the row a close sets (the primary key if it can), or null: none of its columns missing or NULL. */
    private static Catalog.@Nullable Unique rowKey(Catalog catalog, Close c) {
        Catalog.Unique key = null;
        for (Catalog.Unique u : catalog.uniques()) {
            if (u.table().equals(c.table()) && !u.columns().isEmpty()
                    && u.columns().stream().allMatch(col -> c.inserted().has(col) && c.inserted().get(col) != null
                            && !c.keys().has(col))
                    && (key == null || u.primaryKey() && !key.primaryKey())) {
                key = u;
            }
        }
        return key;
    }

    /**
     * The closes of a bulk load: those that set the same columns of rows named by the same key go
     * as one UPDATE from a VALUES list, each value written as text and read by its column's base
     * type's input (as COPY reads it), where every value is one COPY stores as the INSERT would
     * ({@code baseTypes}: table, column, base type); the others as {@link #closeSql}.
     */
    private static String closesSql(Catalog catalog, Plan plan, Map<Catalog.Table, Map<String, @Nullable String>> baseTypes) {
        StringBuilder b = new StringBuilder();
        Map<CloseGroup, List<Close>> groups = new LinkedHashMap<>();
        for (Close c : plan.closes()) {
            Catalog.Unique key = rowKey(catalog, c);
            Map<String, @Nullable String> types = baseTypes.getOrDefault(c.table(), Map.of());
            if (key == null || !c.keys().values().entrySet().stream().allMatch(e -> copiesAsInserted(types, e.getKey(), e.getValue()))
                    || !key.columns().stream().allMatch(col -> copiesAsInserted(types, col, c.inserted().get(col)))) {
                b.append(closeSql(catalog, c, c.table().qualified())).append('\n');
                continue;
            }
            groups.computeIfAbsent(new CloseGroup(c.table(), key.columns(), List.copyOf(c.keys().columns())), g -> new ArrayList<>()).add(c);
        }
        groups.forEach((g, closes) -> {
            Catalog.Table t = g.table();
            Map<String, @Nullable String> types = baseTypes.get(t);
            StringJoiner set = new StringJoiner(", ");
            StringJoiner names = new StringJoiner(", ", " AS v(", ")");
            for (int i = 0; i < g.setColumns().size(); i++) {
                set.add(SqlLiterals.identifier(g.setColumns().get(i)) + " = v.s" + i + "::" + types.get(g.setColumns().get(i)));
                names.add("s" + i);
            }
            StringJoiner where = new StringJoiner(" AND ");
            for (int i = 0; i < g.keyColumns().size(); i++) {
                where.add("t." + SqlLiterals.identifier(g.keyColumns().get(i)) + " = v.k" + i + "::" + types.get(g.keyColumns().get(i)));
                names.add("k" + i);
            }
            StringJoiner values = new StringJoiner(", ");
            for (Close c : closes) {
                StringJoiner row = new StringJoiner(", ", "(", ")");
                g.setColumns().forEach(col -> row.add(text(c.keys().get(col), t.type(col))));
                g.keyColumns().forEach(col -> row.add(text(c.inserted().get(col), t.type(col))));
                values.add(row.toString());
            }
            b.append("UPDATE ").append(t.qualified()).append(" t SET ").append(set).append(" FROM (VALUES ").append(values)
                    .append(')').append(names).append(" WHERE ").append(where).append(";\n");
        });
        return b.toString();
    }

    /** Closes that set the same columns of rows named by the same key: one UPDATE. */
    private record CloseGroup(Catalog.Table table, List<String> keyColumns, List<String> setColumns) {}

    /** Whether {@code v} goes to {@code column} as COPY text as its INSERT literal would (null type: the server writes it). */
    private static boolean copiesAsInserted(Map<String, @Nullable String> baseTypes, String column, @Nullable Object v) {
        String type = baseTypes.get(column);
        return type != null && SqlLiterals.copiesAsInserted(v, type);
    }

    /** A value as a text literal of its input form ({@link SqlLiterals#copyText}), or NULL. */
    private static String text(@Nullable Object v, @Nullable String columnType) {
        return v == null ? "NULL::text" : SqlLiterals.string(SqlLiterals.copyText(v, columnType)) + "::text";
    }

    /** The UPDATE that sets a closing key on the one row it was inserted as. */
    private static String closeSql(Catalog catalog, Close c, String tableSql) {
        Catalog.Table t = c.table();
        StringJoiner set = new StringJoiner(", ");
        c.keys().values().forEach((col, v) -> set.add(SqlLiterals.identifier(col) + " = " + SqlLiterals.literal(v, t.type(col))));
        Catalog.Unique key = rowKey(catalog, c);
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

    /** Consecutive rows of one table that name the same columns: one INSERT, or one COPY. */
    private record Run(Catalog.Table table, String[] columns, List<Row> rows) {}

    private static List<Run> runs(Plan plan) {
        List<Run> runs = new ArrayList<>();
        for (Insert in : plan.inserts()) {
            List<Row> rows = in.rows();
            int i = 0;
            while (i < rows.size()) {
                Set<String> cols = rows.get(i).columns();
                int from = i;
                // an empty column list is DEFAULT VALUES, one row per statement
                do {
                    i++;
                } while (!cols.isEmpty() && i < rows.size() && rows.get(i).columns().equals(cols));
                runs.add(new Run(in.table(), cols.toArray(new String[0]), rows.subList(from, i)));
            }
        }
        return runs;
    }

    /** A run as one multi-row INSERT, every row's values in the column list's order (a row may list them in another). */
    private static void insertSql(Run run, StringBuilder b) {
        Catalog.Table t = run.table();
        String[] names = run.columns();
        b.append("INSERT INTO ").append(t.qualified()).append(' ');
        if (names.length == 0) {
            b.append("DEFAULT VALUES;\n");
            return;
        }
        String[] types = new String[names.length];
        b.append('(');
        for (int k = 0; k < names.length; k++) {
            types[k] = t.type(names[k]);
            b.append(k == 0 ? "" : ", ").append(SqlLiterals.identifier(names[k]));
        }
        b.append(") VALUES ");
        boolean first = true;
        for (Row row : run.rows()) {
            b.append(first ? "(" : ", (");
            for (int k = 0; k < names.length; k++) {
                b.append(k == 0 ? "" : ", ").append(SqlLiterals.literal(row.get(names[k]), types[k]));
            }
            b.append(')');
            first = false;
        }
        b.append(";\n");
    }

    private static String closesSql(Catalog catalog, Plan plan) {
        StringBuilder b = new StringBuilder();
        for (Close c : plan.closes()) {
            b.append(closeSql(catalog, c, c.table().qualified())).append('\n');
        }
        return b.toString();
    }

    private static String sql(Catalog catalog, Plan plan) {
        StringBuilder b = new StringBuilder();
        for (Run run : runs(plan)) {
            insertSql(run, b);
        }
        return b.append(closesSql(catalog, plan)).toString();
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
        if (inTransaction && before != null) {
            throw new IllegalStateException("a script to run first cannot go inside the try's transaction");
        }
        Plan plan;
        String small = null;
        String advance;
        try {
            plan = plan(catalog, data);
            advance = advanceSequences ? advanceSql(catalog, plan, false) : "";
            if (data.rowCount() < BULK_KEY_CHECK_ROWS) {
                small = sql(catalog, plan);
            }
        } catch (IllegalArgumentException e) {
            if (before != null) {
                runBeforeAlone.run();
            }
            throw new PgPropException("the dataset cannot be loaded: " + e.getMessage(), e);
        }
        // the transaction (or the savepoint that guards the load inside the try's) travels with the
        // first statements, and what must run first before it
        String begin = inTransaction ? "SAVEPOINT pgprop_load;" : (before == null ? "" : before + ";") + "BEGIN;";
        String end = advance + (inTransaction ? "RELEASE SAVEPOINT pgprop_load" : "COMMIT;");
        boolean began = false;
        try (Statement s = c.createStatement()) {
            try {
                if (small != null) {
                    s.execute(begin + small + end); // one round trip
                } else {
                    List<Catalog.Table> tables = loadedTables(plan);
                    String loaded = regclasses(tables);
                    // what runs first, the transaction and the choice of path travel together
                    s.execute(begin + BULK_ENTER.replace("%LOADED%", loaded));
                    began = true;
                    bulk(c, s, catalog, plan, tables, loaded, end);
                }
            } catch (SQLException e) {
                s.execute(inTransaction ? "ROLLBACK TO SAVEPOINT pgprop_load" : "ROLLBACK");
                if (before != null && !began) {
                    runBeforeAlone.run();
                    load(c, catalog, data, false, placeholders, advanceSequences, null, () -> { });
                    return;
                }
                throw diagnose(c, catalog, data, e, inTransaction, placeholders);
            } catch (IllegalArgumentException e) {
                // a value no INSERT can write, met after the load began (what runs first already ran)
                s.execute(inTransaction ? "ROLLBACK TO SAVEPOINT pgprop_load" : "ROLLBACK");
                throw new PgPropException("the dataset cannot be loaded: " + e.getMessage(), e);
            }
        } catch (SQLException e) {
            throw new PgPropException("loading the dataset failed: " + e.getMessage(), e);
        }
    }

    /** The loaded tables, each once, in load order. */
    private static List<Catalog.Table> loadedTables(Plan plan) {
        List<Catalog.Table> tables = new ArrayList<>();
        for (Insert in : plan.inserts()) {
            if (!tables.contains(in.table())) {
                tables.add(in.table());
            }
        }
        return tables;
    }

    /** Tables as a {@code regclass[]} literal. */
    private static String regclasses(List<Catalog.Table> tables) {
        StringJoiner loaded = new StringJoiner(", ", "ARRAY[", "]::regclass[]");
        tables.forEach(t -> loaded.add(SqlLiterals.string(t.qualified())));
        return loaded.toString();
    }

    /**
     * Each loaded column's type with domains resolved to their base type (without modifiers:
     * {@code numeric}, {@code timestamp with time zone}), and whether the server
     * writes it itself (a generated column, an identity column GENERATED ALWAYS): {@code
     * (position in the array, column, type, written by the server)}.
     */
    private static final String COLUMN_TYPES = """
            WITH RECURSIVE col AS (
                SELECT array_position(%LOADED%, a.attrelid::regclass) AS t, a.attname, a.atttypid AS typ,
                       a.attidentity = 'a' OR a.attgenerated <> '' AS server_written
                FROM pg_attribute a WHERE a.attrelid = ANY (%LOADED%) AND a.attnum > 0 AND NOT a.attisdropped
              UNION ALL
                SELECT col.t, col.attname, ty.typbasetype, col.server_written
                FROM col JOIN pg_type ty ON ty.oid = col.typ AND ty.typtype = 'd')
            SELECT col.t, col.attname, format_type(col.typ, NULL), col.server_written
            FROM col JOIN pg_type ty ON ty.oid = col.typ WHERE ty.typtype <> 'd'
            """;

    /**
     * A large load of {@code tables} ({@code loaded}: as a {@code regclass[]}), after {@link
     * #BULK_ENTER} chose its path: where the bulk key check runs, each run of rows
     * whose every value COPY text stores as its INSERT literal would ({@link
     * SqlLiterals#copiesAsInserted}) goes by {@code COPY ... FROM STDIN}, the others by INSERT,
     * in foreign-key order; then the closing keys, the bulk check and {@code end}. Otherwise the
     * statements of a small load. {@code pgprop.load_copied} tells the transaction how many rows
     * went by COPY.
     */
    private static void bulk(Connection c, Statement s, Catalog catalog, Plan plan, List<Catalog.Table> tables, String loaded,
                             String end) throws SQLException {
        if (!"bulk".equals(single(s, "SELECT current_setting('pgprop.load_keys')"))) {
            s.execute(sql(catalog, plan) + end);
            return;
        }
        // table -> column -> base type; null for a column the server writes itself
        Map<Catalog.Table, Map<String, @Nullable String>> types = new java.util.HashMap<>();
        try (ResultSet rs = s.executeQuery(COLUMN_TYPES.replace("%LOADED%", loaded))) {
            while (rs.next()) {
                types.computeIfAbsent(tables.get(rs.getInt(1) - 1), t -> new java.util.HashMap<>())
                        .put(rs.getString(2), rs.getBoolean(4) ? null : rs.getString(3));
            }
        }
        StringBuilder pending = new StringBuilder();
        long copied = 0;
        for (Run run : runs(plan)) {
            if (!copies(run, types.getOrDefault(run.table(), Map.of()))) {
                insertSql(run, pending);
                continue;
            }
            if (pending.length() > 0) {
                s.execute(pending.toString());
                pending.setLength(0);
            }
            copied += copy(c, run);
        }
        s.execute(pending + closesSql(catalog, plan, types) + BULK_EXIT.replace("%LOADED%", loaded)
                + "SELECT set_config('pgprop.load_copied', '" + copied + "', true);" + end);
    }

    /** Whether a run may go by COPY: columns to write, none the server writes itself, every value stored as its INSERT stores it. */
    private static boolean copies(Run run, Map<String, @Nullable String> baseTypes) {
        String[] names = run.columns();
        if (names.length == 0) {
            return false;
        }
        List<java.util.function.Predicate<@Nullable Object>> copies = new ArrayList<>();
        for (String name : names) {
            String type = baseTypes.get(name);
            if (type == null) {
                return false;
            }
            copies.add(SqlLiterals.copiesAsInserted(type));
        }
        for (Row row : run.rows()) {
            for (int k = 0; k < names.length; k++) {
                if (!copies.get(k).test(row.get(names[k]))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One run by {@code COPY ... FROM STDIN} (text format); returns the rows the server took. */
    private static long copy(Connection c, Run run) throws SQLException {
        Catalog.Table t = run.table();
        String[] names = run.columns();
        String[] types = new String[names.length];
        StringJoiner cols = new StringJoiner(", ", " (", ")");
        for (int k = 0; k < names.length; k++) {
            types[k] = t.type(names[k]);
            cols.add(SqlLiterals.identifier(names[k]));
        }
        try (CopyStream out = CopyStream.open(c, "COPY " + t.qualified() + cols + " FROM STDIN")) {
            return out.textRows(run.rows(), names, (v, k) -> SqlLiterals.copyText(v, types[k]));
        }
    }

    /** The first column of the one row a query returns. */
    private static @Nullable String single(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * The statements of a large load that checks its keys in bulk with every run as an INSERT
     * (the COPY of a run stores the same rows), without its transaction: for tests and
     * benchmarks that run the path as a script. A small load's statements are {@link #sql}.
     */
    public static String loadSql(Catalog catalog, Dataset data) {
        Plan plan = plan(catalog, data);
        if (data.rowCount() < BULK_KEY_CHECK_ROWS) {
            return sql(catalog, plan);
        }
        String loaded = regclasses(loadedTables(plan));
        return BULK_ENTER.replace("%LOADED%", loaded) + sql(catalog, plan) + BULK_EXIT.replace("%LOADED%", loaded);
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

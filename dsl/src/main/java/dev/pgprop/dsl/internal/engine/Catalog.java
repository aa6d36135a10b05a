package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.PgPropException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the DSL needs to know of a database's schema, read once per class database: user tables,
 * foreign keys (for load order), constraints (for constraintsHold), sequences.
 */
public final class Catalog {
    /** Schemas that are never user data. */
    static final String SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast', '" + Catalog.SNAPSHOT_SCHEMA + "')";
    public static final String SNAPSHOT_SCHEMA = "pgprop_snapshot";
    private static final String EXCLUDED_TABLES = "('flyway_schema_history')";

    /** A user table: {@code qualified} is quoted and schema-qualified, ready for SQL. */
    public record Table(long oid, String schema, String name, String qualified, List<String> columns, List<String> types) {
        /** A column's type as {@code format_type} prints it ({@code text[]}, {@code numeric(10,2)}), or null. */
        public @Nullable String type(String column) {
            int i = columns.indexOf(column);
            return i < 0 || i >= types.size() ? null : types.get(i);
        }
    }

    /** {@code initiallyDeferred}: checked at commit, so a load may insert the child before its parent. */
    public record ForeignKey(String name, Table child, List<String> childColumns, Table parent, List<String> parentColumns,
                             boolean validated, boolean initiallyDeferred) {}

    public record Check(String name, Table table, String expression, boolean validated) {}

    public record Unique(String name, Table table, List<String> columns, boolean primaryKey, boolean nullsNotDistinct) {}

    public record NotNull(Table table, String column) {}

    public record Sequence(String qualified, long lastValue, boolean isCalled) {}

    /** A sequence that fills a column (serial, identity, or OWNED BY), ascending. */
    public record OwnedSequence(Table table, String column, String sequence) {}

    private final Map<Long, Table> tablesByOid;
    private final List<ForeignKey> foreignKeys;
    private final List<Check> checks;
    private final List<Unique> uniques;
    private final List<NotNull> notNulls;
    private final List<Sequence> sequences;
    private final List<OwnedSequence> owned;

    private Catalog(Map<Long, Table> tablesByOid, List<ForeignKey> foreignKeys, List<Check> checks, List<Unique> uniques,
                    List<NotNull> notNulls, List<Sequence> sequences, List<OwnedSequence> owned) {
        this.tablesByOid = tablesByOid;
        this.foreignKeys = foreignKeys;
        this.checks = checks;
        this.uniques = uniques;
        this.notNulls = notNulls;
        this.sequences = sequences;
        this.owned = owned;
    }

    public static Catalog read(Connection c) {
        try (Statement s = c.createStatement()) {
            Map<Long, Table> tables = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT c.oid, n.nspname, c.relname, format('%I.%I', n.nspname, c.relname),"
                            + " array(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
                            + "   AND NOT a.attisdropped ORDER BY a.attnum),"
                            + " array(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = c.oid"
                            + "   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)"
                            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN " + SYSTEM_SCHEMAS
                            + " AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relname NOT IN " + EXCLUDED_TABLES
                            + " AND NOT c.relispartition ORDER BY n.nspname, c.relname")) {
                while (rs.next()) {
                    tables.put(rs.getLong(1), new Table(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            strings(rs.getArray(5)), strings(rs.getArray(6))));
                }
            }
            List<ForeignKey> fks = new ArrayList<>();
            List<Check> checks = new ArrayList<>();
            List<Unique> uniques = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT con.conname, con.contype, con.conrelid, con.confrelid, con.convalidated,"
                            + " array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
                            + "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
                            + " array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)"
                            + "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
                            + " CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END,"
                            + " coalesce((SELECT (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean FROM pg_index i WHERE i.indexrelid = con.conindid), false),"
                            + " con.condeferred"
                            + " FROM pg_constraint con WHERE con.contype IN ('f', 'c', 'u', 'p') AND con.conrelid <> 0"
                            + " ORDER BY con.conrelid, con.conname")) {
                while (rs.next()) {
                    Table t = tables.get(rs.getLong(3));
                    if (t == null) {
                        continue;
                    }
                    String name = rs.getString(1);
                    switch (rs.getString(2)) {
                        case "f" -> {
                            Table parent = tables.get(rs.getLong(4));
                            if (parent != null) {
                                fks.add(new ForeignKey(name, t, strings(rs.getArray(6)), parent, strings(rs.getArray(7)),
                                        rs.getBoolean(5), rs.getBoolean(10)));
                            }
                        }
                        case "c" -> checks.add(new Check(name, t, rs.getString(8), rs.getBoolean(5)));
                        default -> uniques.add(new Unique(name, t, strings(rs.getArray(6)), rs.getString(2).equals("p"),
                                rs.getBoolean(9)));
                    }
                }
            }
            List<NotNull> notNulls = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT a.attrelid, a.attname FROM pg_attribute a"
                    + " WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum")) {
                while (rs.next()) {
                    Table t = tables.get(rs.getLong(1));
                    if (t != null) {
                        notNulls.add(new NotNull(t, rs.getString(2)));
                    }
                }
            }
            List<Sequence> sequences = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT format('%I.%I', schemaname, sequencename),"
                    + " coalesce(last_value, start_value), last_value IS NOT NULL FROM pg_sequences"
                    + " WHERE schemaname NOT IN " + SYSTEM_SCHEMAS + " ORDER BY 1")) {
                while (rs.next()) {
                    sequences.add(new Sequence(rs.getString(1), rs.getLong(2), rs.getBoolean(3)));
                }
            }
            List<OwnedSequence> owned = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT d.refobjid, a.attname, format('%I.%I', n.nspname, q.relname)"
                    + " FROM pg_depend d JOIN pg_class q ON q.oid = d.objid AND q.relkind = 'S'"
                    + " JOIN pg_sequence sq ON sq.seqrelid = q.oid AND sq.seqincrement > 0"
                    + " JOIN pg_namespace n ON n.oid = q.relnamespace"
                    + " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                    + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                    + " AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 ORDER BY 1, 2")) {
                while (rs.next()) {
                    Table t = tables.get(rs.getLong(1));
                    if (t != null) {
                        owned.add(new OwnedSequence(t, rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return new Catalog(tables, fks, checks, uniques, notNulls, sequences, owned);
        } catch (SQLException e) {
            throw new PgPropException("cannot read the catalog: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(@Nullable Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    public List<Table> tables() {
        return List.copyOf(tablesByOid.values());
    }

    public List<ForeignKey> foreignKeys() {
        return foreignKeys;
    }

    public List<Check> checks() {
        return checks;
    }

    public List<Unique> uniques() {
        return uniques;
    }

    public List<NotNull> notNulls() {
        return notNulls;
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    /** The sequences that fill columns (serial, identity, OWNED BY), ascending ones only. */
    public List<OwnedSequence> ownedSequences() {
        return owned;
    }

    /** Whether {@code column} of {@code t} is declared NOT NULL (a primary key's columns are). */
    public boolean notNull(Table t, String column) {
        return notNulls.stream().anyMatch(n -> n.table().equals(t) && n.column().equals(column));
    }

    /**
     * The foreign keys of {@code t} that a load must close afterwards: their parent is among
     * {@code inDataset} but not yet in {@code loaded}, they are not initially deferred, and
     * every column is nullable (the row goes in with NULL there, and an UPDATE sets it later).
     */
    public List<ForeignKey> lateKeys(Table t, Set<Table> inDataset, Set<Table> loaded) {
        List<ForeignKey> out = new ArrayList<>();
        for (ForeignKey fk : foreignKeys) {
            if (fk.child().equals(t) && !fk.parent().equals(t) && !fk.initiallyDeferred()
                    && inDataset.contains(fk.parent()) && !loaded.contains(fk.parent()) && closable(fk)) {
                out.add(fk);
            }
        }
        return out;
    }

    /** A key a load can close afterwards: every column nullable (NULL first, an UPDATE later). */
    private boolean closable(ForeignKey fk) {
        return fk.childColumns().stream().noneMatch(c -> notNull(fk.child(), c));
    }

    /** The table a dataset names: {@code schema.table}, or a bare name (public first, then unique). */
    public Table table(String datasetName) {
        List<Table> matches = new ArrayList<>();
        int dot = datasetName.indexOf('.');
        for (Table t : tablesByOid.values()) {
            if (dot > 0 ? (t.schema() + "." + t.name()).equals(datasetName) : t.name().equals(datasetName)) {
                matches.add(t);
            }
        }
        if (matches.size() > 1) {
            for (Table t : matches) {
                if (t.schema().equals("public")) {
                    return t;
                }
            }
            throw new PgPropException("table '" + datasetName + "' exists in several schemas " + matches.stream()
                    .map(Table::schema).toList() + "; name it as schema.table in the dataset");
        }
        if (matches.isEmpty()) {
            throw new PgPropException("the dataset names table '" + datasetName + "', but the database has no such table;"
                    + " it has " + tablesByOid.values().stream().map(t -> t.schema().equals("public") ? t.name()
                    : t.schema() + "." + t.name()).toList());
        }
        return matches.get(0);
    }

    /**
     * Tables in foreign-key order, parents first (self-references ignored). A cycle starts with
     * a member whose keys into the cycle are nullable or initially deferred, when it has one;
     * otherwise the given order stands.
     */
    public List<Table> loadOrder(List<Table> wanted) {
        Map<Table, Set<Table>> parents = new HashMap<>();
        for (Table t : wanted) {
            parents.put(t, new LinkedHashSet<>());
        }
        for (ForeignKey fk : foreignKeys) {
            if (parents.containsKey(fk.child()) && parents.containsKey(fk.parent()) && !fk.child().equals(fk.parent())) {
                parents.get(fk.child()).add(fk.parent());
            }
        }
        List<Table> out = new ArrayList<>();
        Set<Table> done = new LinkedHashSet<>();
        List<Table> pending = new ArrayList<>(wanted);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (Table t : List.copyOf(pending)) {
                if (done.containsAll(parents.get(t))) {
                    out.add(t);
                    done.add(t);
                    pending.remove(t);
                    progress = true;
                }
            }
            if (!progress) { // a cycle: start with a member whose keys into it can be closed afterwards
                Table pick = pending.get(0);
                for (Table t : pending) {
                    if (foreignKeys.stream().filter(fk -> fk.child().equals(t) && pending.contains(fk.parent())
                            && !fk.parent().equals(t)).allMatch(fk -> fk.initiallyDeferred() || closable(fk))) {
                        pick = t;
                        break;
                    }
                }
                pending.remove(pick);
                out.add(pick);
                done.add(pick);
            }
        }
        return out;
    }
}

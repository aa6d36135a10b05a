package dev.pgprop.dsl.schema;

import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.schema.CatalogReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The tables of the schemas a user names, read from a migrated database's catalog, plus every
 * table they reference in other schemas. Immutable data; it knows nothing of jqwik.
 *
 * <pre>{@code
 * Schema schema = Schema.read(db);                       // every user schema
 * Schema app = Schema.read(db, "app");                   // app, and what it references
 * List<Table> order = app.loadOrder(app.withReferenced(List.of(app.table("rental"))));
 * }</pre>
 *
 * @param schemas the schema names that were asked for
 * @param tables the tables, in name order
 */
public record Schema(List<String> schemas, List<Table> tables) {
    public Schema {
        schemas = List.copyOf(schemas);
        tables = List.copyOf(tables);
    }

    /** Reads the named schemas (every user schema when none is named) of a test database. */
    public static Schema read(TestDatabase db, String... schemaNames) {
        try (Connection c = db.openConnection()) {
            return read(c, schemaNames);
        } catch (SQLException e) {
            throw new PgPropException("cannot read the catalog of " + db.name() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the named schemas (every user schema when none is named) on an open connection. */
    public static Schema read(Connection connection, String... schemaNames) {
        return CatalogReader.read(connection, Arrays.asList(schemaNames));
    }

    /**
     * The table a name means: {@code schema.table}, or a bare name (in {@code public} first,
     * otherwise the only table of that name).
     */
    public Table table(String name) {
        int dot = name.indexOf('.');
        List<Table> matches = new ArrayList<>();
        for (Table t : tables) {
            if (dot > 0 ? t.qualifiedName().equals(name) : t.name().equals(name)) {
                matches.add(t);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            return matches.stream().filter(t -> t.schema().equals("public")).findFirst().orElseThrow(() ->
                    new PgPropException("table '" + name + "' exists in several schemas " + matches.stream()
                            .map(Table::schema).toList() + "; name it as schema.table"));
        }
        throw new PgPropException("no table '" + name + "' in schemas " + schemas + "; there are "
                + tables.stream().map(Table::datasetName).toList());
    }

    public boolean hasTable(String name) {
        int dot = name.indexOf('.');
        return tables.stream().anyMatch(t -> dot > 0 ? t.qualifiedName().equals(name) : t.name().equals(name));
    }

    /** The table a foreign key references. */
    public Table referenced(Constraint.ForeignKey fk) {
        return table(fk.referencedQualifiedName());
    }

    /** The given tables and every table they reference, directly or not. */
    public List<Table> withReferenced(Collection<Table> wanted) {
        Set<Table> out = new LinkedHashSet<>();
        List<Table> todo = new ArrayList<>(wanted);
        while (!todo.isEmpty()) {
            Table t = todo.remove(0);
            if (out.add(t)) {
                for (Constraint.ForeignKey fk : t.foreignKeys()) {
                    todo.add(referenced(fk));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Tables in foreign-key order, parents first. A self-reference is no edge; a cycle is
     * broken at foreign keys that are initially deferred (checked at commit, so the parent may
     * come after its child), else at keys whose columns are nullable (a child loaded before its
     * parent references nothing).
     */
    public List<Table> loadOrder(Collection<Table> wanted) {
        Map<Table, Set<Table>> parents = new LinkedHashMap<>();
        for (Table t : wanted) {
            parents.put(t, new LinkedHashSet<>());
        }
        for (Table t : wanted) {
            for (Constraint.ForeignKey fk : t.foreignKeys()) {
                Table p = referenced(fk);
                if (parents.containsKey(p) && !p.equals(t)) {
                    parents.get(t).add(p);
                }
            }
        }
        List<Table> out = new ArrayList<>();
        List<Table> pending = new ArrayList<>(wanted);
        while (!pending.isEmpty()) {
            Table next = null;
            for (Table t : pending) {
                if (out.containsAll(parents.get(t))) {
                    next = t;
                    break;
                }
            }
            if (next == null) { // a cycle: break it at initially deferred keys, else at nullable ones
                next = breakCycle(pending, out, parents, true);
            }
            if (next == null) {
                next = breakCycle(pending, out, parents, false);
            }
            if (next == null) {
                next = pending.get(0);
            }
            out.add(next);
            pending.remove(next);
        }
        return List.copyOf(out);
    }

    private @Nullable Table breakCycle(List<Table> pending, List<Table> done, Map<Table, Set<Table>> parents,
                                       boolean deferred) {
        for (Table t : pending) {
            boolean breakable = true;
            for (Constraint.ForeignKey fk : t.foreignKeys()) {
                Table p = referenced(fk);
                if (parents.containsKey(p) && !done.contains(p) && !p.equals(t)
                        && !(deferred ? fk.initiallyDeferred() : nullable(t, fk))) {
                    breakable = false;
                }
            }
            if (breakable) {
                return t;
            }
        }
        return null;
    }

    /** A foreign key whose columns may all be NULL (then the row references nothing). */
    public static boolean nullable(Table child, Constraint.ForeignKey fk) {
        return fk.columns().stream().allMatch(c -> child.column(c).nullable());
    }
}

package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.ConstraintKind;
import dev.pgprop.generators.check.CatalogueEntry;
import dev.pgprop.generators.check.SchemaViolation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a valid dataset into one that breaks exactly one catalogue entry. Candidate changes come
 * from the constraint's declaration (a NULL, a value the server evaluates the CHECK to FALSE on,
 * a duplicated key, a reference to nothing); a candidate is taken when, with that constraint
 * dropped (in a transaction that is rolled back), the changed dataset loads: so it breaks nothing
 * else. Whether the constraint itself refuses the change is left to the caller to find out.
 */
public final class Violator {
    private static final int MAX_DROP_TESTS = 8;
    private static final int MAX_CANDIDATES = 600;
    private static final String NOT_A_LABEL = "pgprop_not_a_label";

    private final Schema schema;
    private @Nullable Catalog catalog;

    public Violator(Schema schema) {
        this.schema = schema;
    }

    /** A change of the dataset and what it is expected to break. */
    private record Change(Dataset base, Dataset invalid, String table, Row row, String description, Broken broken,
                          boolean routing) {
        Change(Dataset base, Dataset invalid, String table, Row row, String description, Broken broken) {
            this(base, invalid, table, row, description, broken, false);
        }
    }

    /** What a changed row breaks, by the stage at which PostgreSQL finds it. */
    record Broken(List<String> domainChecks, List<String> domainNotNull, List<String> notNull, List<String> checks) {
        int size() {
            return domainChecks.size() + domainNotNull.size() + notNull.size() + checks.size();
        }

        static Broken none() {
            return new Broken(List.of(), List.of(), List.of(), List.of());
        }
    }

    // ---------------------------------------------------------------- entries

    /** The catalogue entries of a table: its constraints, then NOT NULL, domain and enum columns. */
    public static List<CatalogueEntry> entries(Table t) {
        String tn = t.datasetName();
        List<CatalogueEntry> out = new ArrayList<>();
        for (Constraint c : t.constraints()) {
            ConstraintKind kind = c instanceof Constraint.PrimaryKey ? ConstraintKind.PRIMARY_KEY
                    : c instanceof Constraint.Unique ? ConstraintKind.UNIQUE
                    : c instanceof Constraint.ForeignKey ? ConstraintKind.FOREIGN_KEY
                    : c instanceof Constraint.Check ? ConstraintKind.CHECK : ConstraintKind.EXCLUSION;
            String why = null;
            if (c instanceof Constraint.PrimaryKey || c instanceof Constraint.Unique) {
                for (String col : c.columns()) {
                    if (t.hasColumn(col) && (t.column(col).identity() == Column.Identity.ALWAYS || t.column(col).isGenerated())) {
                        why = "its key " + col + " is " + (t.column(col).isGenerated() ? "a generated column" : "an identity column"
                                + " GENERATED ALWAYS") + ": an INSERT cannot choose its value, so it cannot repeat one";
                    }
                }
            }
            out.add(new CatalogueEntry(c.name(), kind, tn, c.name(), null, null, kind.sqlState(), why));
        }
        for (Column col : t.columns()) {
            if (col.notNull()) {
                String why = col.identity() == Column.Identity.ALWAYS
                        ? "an identity column GENERATED ALWAYS: an INSERT cannot give it a value, so it is never NULL"
                        : col.isGenerated() ? "a generated column: an INSERT cannot give it a value" : null;
                out.add(new CatalogueEntry(tn + "." + col.name() + " NOT NULL", ConstraintKind.NOT_NULL, tn, null,
                        col.name(), null, ConstraintKind.NOT_NULL.sqlState(), why));
            }
            for (PgType d = col.type(); d.kind() == PgType.Kind.DOMAIN; d = d.element().orElseThrow()) {
                if (d.domainNotNull()) {
                    out.add(new CatalogueEntry(tn + "." + col.name() + " DOMAIN NOT NULL", ConstraintKind.DOMAIN_NOT_NULL, tn,
                            null, col.name(), d.name(), ConstraintKind.DOMAIN_NOT_NULL.sqlState(), null));
                }
                for (Constraint.Check k : d.domainChecks()) {
                    out.add(new CatalogueEntry(tn + "." + col.name() + " DOMAIN " + k.name(), ConstraintKind.DOMAIN_CHECK, tn,
                            k.name(), col.name(), d.name(), ConstraintKind.DOMAIN_CHECK.sqlState(), null));
                }
            }
            if (col.type().underlying().kind() == PgType.Kind.ENUM) {
                PgType e = col.type().underlying();
                out.add(new CatalogueEntry(tn + "." + col.name() + " ENUM " + e.name(), ConstraintKind.ENUM, tn, null,
                        col.name(), e.name(), ConstraintKind.ENUM.sqlState(), null));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- violate

    /** A change of {@code valid} that breaks {@code e} and nothing else, or empty when none was found. */
    public Optional<SchemaViolation> violate(CatalogueEntry e, Dataset valid, Connection c) throws SQLException {
        if (e.unreachable() != null) {
            return Optional.empty();
        }
        Table t = schema.table(e.table());
        if (valid.rows(e.table()).isEmpty()) {
            return Optional.empty();
        }
        List<Change> changes = switch (e.kind()) {
            case NOT_NULL, DOMAIN_NOT_NULL -> nulls(e, t, valid, c);
            case CHECK, DOMAIN_CHECK -> checks(e, t, valid, c);
            case ENUM -> {
                Row r = valid.rows(e.table()).get(0);
                Row bad = r.with(e.column(), NOT_A_LABEL);
                yield List.of(new Change(valid, replace(valid, e.table(), 0, bad), e.table(), bad,
                        e.table() + " row 1: " + e.column() + " := '" + NOT_A_LABEL + "'", Broken.none()));
            }
            case PRIMARY_KEY, UNIQUE -> duplicates(e, t, valid, c);
            case FOREIGN_KEY -> dangling(e, t, valid, c);
            case EXCLUSION -> overlaps(e, t, valid, c);
        };
        int tests = 0;
        for (Change ch : changes) {
            if (e.kind() == ConstraintKind.ENUM || ch.routing()) {
                return Optional.of(result(e, t, ch));
            }
            if (tests++ >= MAX_DROP_TESTS) {
                break;
            }
            if (loadsWithout(c, e, t, ch)) {
                return Optional.of(result(e, t, ch));
            }
        }
        return Optional.empty();
    }

    private SchemaViolation result(CatalogueEntry e, Table t, Change ch) {
        if (ch.routing()) {
            return new SchemaViolation(e, ch.base(), ch.invalid(), ch.table(), ch.row(), ch.description(), "23514", null, null, null,
                    List.of(), "implied by the partition bounds: a NULL " + e.column() + " fits no partition of " + e.table()
                    + ", and PostgreSQL raises 23514 (no partition found for row) before it checks NOT NULL");
        }
        Broken b = ch.broken();
        String sqlState = e.sqlState();
        String raised = e.constraint();
        String column = e.kind() == ConstraintKind.NOT_NULL ? e.column() : null;
        String datatype = e.kind() == ConstraintKind.DOMAIN_NOT_NULL || e.kind() == ConstraintKind.ENUM ? e.datatype() : null;
        List<String> also = new ArrayList<>();
        String note = "";
        if (!b.domainNotNull().isEmpty()) {
            sqlState = ConstraintKind.DOMAIN_NOT_NULL.sqlState();
            raised = null;
            column = null;
            datatype = b.domainNotNull().get(0);
        } else if (!b.domainChecks().isEmpty()) {
            sqlState = ConstraintKind.DOMAIN_CHECK.sqlState();
            raised = b.domainChecks().get(0);
            column = null;
            datatype = null;
        } else if (!b.notNull().isEmpty()) {
            sqlState = ConstraintKind.NOT_NULL.sqlState();
            raised = null;
            column = b.notNull().get(0);
            datatype = null;
        } else if (!b.checks().isEmpty()) {
            sqlState = ConstraintKind.CHECK.sqlState();
            raised = b.checks().get(0);
            column = null;
            datatype = null;
        }
        b.domainNotNull().forEach(x -> also.add(x + " NOT NULL"));
        also.addAll(b.domainChecks());
        b.notNull().forEach(x -> also.add(e.table() + "." + x + " NOT NULL"));
        also.addAll(b.checks());
        also.remove(e.kind() == ConstraintKind.NOT_NULL ? e.table() + "." + e.column() + " NOT NULL"
                : e.kind() == ConstraintKind.DOMAIN_NOT_NULL ? e.datatype() + " NOT NULL" : String.valueOf(e.constraint()));
        String own = e.kind() == ConstraintKind.NOT_NULL ? e.column() : e.kind() == ConstraintKind.DOMAIN_NOT_NULL ? e.datatype()
                : e.constraint();
        String named = column != null ? column : raised != null ? raised : datatype;
        if (!also.isEmpty() && !java.util.Objects.equals(named, own)) {
            note = "implied: every row breaking it also breaks " + also + ", and PostgreSQL names "
                    + (column != null ? "the NOT NULL of " + column : raised != null ? raised : "domain " + datatype) + " first";
        } else if (!also.isEmpty()) {
            note = "also breaks " + also + ", which PostgreSQL checks later";
        }
        return new SchemaViolation(e, ch.base(), ch.invalid(), ch.table(), ch.row(), ch.description(), sqlState, raised, column,
                datatype, also, note);
    }

    // ---------------------------------------------------------------- NOT NULL

    private List<Change> nulls(CatalogueEntry e, Table t, Dataset valid, Connection c) throws SQLException {
        List<Row> rows = valid.rows(e.table());
        if (e.kind() == ConstraintKind.NOT_NULL && routesNowhere(t, e.column())) {
            Row bad = rows.get(0).with(e.column(), null);
            return List.of(new Change(valid, replace(valid, e.table(), 0, bad), e.table(), bad,
                    e.table() + " row 1: " + e.column() + " := NULL", Broken.none(), true));
        }
        List<Row> changed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < Math.min(3, rows.size()); i++) {
            changed.add(rows.get(i).with(e.column(), null));
            at.add(i);
        }
        return evaluated(e, t, valid, c, changed, at, Set.of(e.column()), List.of());
    }

    /** A NULL in this column has no partition to go to (range or list partitioning, no default, no NULL in a list). */
    private static boolean routesNowhere(Table t, String column) {
        String key = t.partitionKey().orElse("");
        if (!(key.startsWith("RANGE") || key.startsWith("LIST")) || !mentioned(t, key).contains(column)) {
            return false;
        }
        return t.partitions().stream().noneMatch(p -> p.isDefault() || (key.startsWith("LIST") && p.bound().contains("NULL")));
    }

    // ---------------------------------------------------------------- CHECK and domain CHECK

    private List<Change> checks(CatalogueEntry e, Table t, Dataset valid, Connection c) throws SQLException {
        List<Row> rows = valid.rows(e.table());
        List<String> columns;
        String expression;
        if (e.kind() == ConstraintKind.CHECK) {
            Constraint.Check k = (Constraint.Check) t.constraint(e.constraint());
            columns = k.columns().isEmpty() ? t.columns().stream().map(Column::name).toList() : k.columns();
            expression = k.expression();
        } else {
            columns = List.of(e.column());
            expression = domainCheck(t.column(e.column()), e.constraint()).expression();
        }
        List<Row> changed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (int i = 0; i < Math.min(2, rows.size()); i++) {
            Row r = rows.get(i);
            Map<String, List<@Nullable Object>> values = new LinkedHashMap<>();
            for (String col : columns) {
                if (!t.hasColumn(col) || t.column(col).isGenerated() || t.column(col).identity() == Column.Identity.ALWAYS) {
                    continue;
                }
                List<@Nullable Object> near = new ArrayList<>();
                for (String other : columns) {
                    if (!other.equals(col) && r.has(other)) {
                        near.add(r.get(other));
                    }
                }
                values.put(col, Candidates.of(t.column(col).type(), expression, near));
            }
            for (Map.Entry<String, List<@Nullable Object>> v : values.entrySet()) {
                for (Object x : v.getValue()) {
                    changed.add(r.with(v.getKey(), x));
                    at.add(i);
                    descriptions.add(e.table() + " row " + (i + 1) + ": " + v.getKey() + " := " + SqlLiterals.literal(x));
                }
            }
            List<String> cols = new ArrayList<>(values.keySet());
            for (int a = 0; a < cols.size(); a++) {
                for (int b = a + 1; b < cols.size(); b++) {
                    for (Object x : values.get(cols.get(a))) {
                        for (Object y : values.get(cols.get(b))) {
                            if (changed.size() >= MAX_CANDIDATES * (i + 1)) {
                                break;
                            }
                            changed.add(r.with(cols.get(a), x).with(cols.get(b), y));
                            at.add(i);
                            descriptions.add(e.table() + " row " + (i + 1) + ": " + cols.get(a) + " := " + SqlLiterals.literal(x)
                                    + ", " + cols.get(b) + " := " + SqlLiterals.literal(y));
                        }
                    }
                }
            }
        }
        return evaluated(e, t, valid, c, changed, at, new HashSet<>(columns), descriptions);
    }

    private static Constraint.Check domainCheck(Column col, @Nullable String name) {
        for (PgType d = col.type(); d.kind() == PgType.Kind.DOMAIN; d = d.element().orElseThrow()) {
            for (Constraint.Check k : d.domainChecks()) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
        }
        throw new IllegalArgumentException("column " + col.name() + " has no domain CHECK " + name);
    }

    /**
     * Evaluates every CHECK of the table and the domain CHECKs of the changed columns on each
     * changed row, keeps those that break the entry, and orders them: fewest other constraints
     * broken first.
     */
    private List<Change> evaluated(CatalogueEntry e, Table t, Dataset valid, Connection c, List<Row> changed,
                                   List<Integer> at, Set<String> changedColumns, List<String> descriptions) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (Constraint.Check k : t.checks()) {
            names.add("T:" + k.name());
            exprs.add(k.expression());
        }
        for (String col : changedColumns) {
            if (!t.hasColumn(col)) {
                continue;
            }
            for (PgType d = t.column(col).type(); d.kind() == PgType.Kind.DOMAIN; d = d.element().orElseThrow()) {
                for (Constraint.Check k : d.domainChecks()) {
                    names.add("D:" + col + ":" + k.name());
                    exprs.add(ServerEval.domainExpression(k.expression(), col));
                }
            }
        }
        List<ServerEval.Result> results = ServerEval.evaluate(c, t, changed, exprs);
        List<Change> out = new ArrayList<>();
        for (int n = 0; n < changed.size(); n++) {
            ServerEval.Result res = results.get(n);
            if (res.failed()) {
                continue;
            }
            Row row = changed.get(n);
            List<String> domainChecks = new ArrayList<>();
            List<String> checks = new ArrayList<>();
            List<String> domainNotNull = new ArrayList<>();
            List<String> notNull = new ArrayList<>();
            for (int x = 0; x < names.size(); x++) {
                if (res.isFalse(x)) {
                    String name = names.get(x);
                    if (name.startsWith("T:")) {
                        checks.add(name.substring(2));
                    } else {
                        domainChecks.add(name.substring(name.indexOf(':', 2) + 1));
                    }
                }
            }
            for (String col : changedColumns) {
                if (t.hasColumn(col) && row.has(col) && row.get(col) == null) {
                    Column column = t.column(col);
                    for (PgType d = column.type(); d.kind() == PgType.Kind.DOMAIN; d = d.element().orElseThrow()) {
                        if (d.domainNotNull()) {
                            domainNotNull.add(d.name());
                        }
                    }
                    if (column.notNull()) {
                        notNull.add(col);
                    }
                }
            }
            checks.sort(Comparator.naturalOrder());
            domainChecks.sort(Comparator.naturalOrder());
            Broken b = new Broken(domainChecks, domainNotNull, notNull, checks);
            boolean hits = switch (e.kind()) {
                case NOT_NULL -> notNull.contains(e.column());
                case DOMAIN_NOT_NULL -> domainNotNull.contains(e.datatype());
                case CHECK -> checks.contains(e.constraint());
                case DOMAIN_CHECK -> domainChecks.contains(e.constraint());
                default -> true;
            };
            if (!hits) {
                continue;
            }
            int i = at.get(n);
            Row old = valid.rows(e.table()).get(i);
            if (!keysStillValid(t, valid, e.table(), old, row)) {
                continue;
            }
            Dataset base = removeDependents(valid, t, e.table(), old, row);
            if (base == null) {
                continue;
            }
            int idx = indexOf(base.rows(e.table()), old);
            String desc = n < descriptions.size() ? descriptions.get(n) : e.table() + " row " + (i + 1) + ": " + e.column() + " := NULL";
            out.add(new Change(base, replace(base, e.table(), idx, row), e.table(), row, desc, b));
        }
        out.sort(Comparator.comparingInt(ch -> ch.broken().size()));
        return out;
    }

    /**
     * A changed row keeps its foreign keys pointing at rows of the dataset and its unique keys
     * apart from the other rows' (NULLs aside).
     */
    private boolean keysStillValid(Table t, Dataset d, String tn, Row old, Row row) {
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            if (sameValues(fk.columns(), old, row)) {
                continue;
            }
            List<String> v = values(row, fk.columns());
            if (v == null) {
                continue;
            }
            Table parent = schema.referenced(fk);
            boolean found = false;
            List<Row> parents = parent.equals(t) ? replaced(d.rows(tn), old, row) : d.rows(parent.datasetName());
            for (Row p : parents) {
                if (v.equals(values(p, fk.referencedColumns()))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        List<Constraint> keys = new ArrayList<>(t.uniques());
        t.primaryKey().ifPresent(keys::add);
        for (Constraint k : keys) {
            if (k.columns().isEmpty() || sameValues(k.columns(), old, row)) {
                continue;
            }
            boolean nnd = k instanceof Constraint.Unique u && u.nullsNotDistinct();
            List<String> v = nnd ? valuesWithNulls(row, k.columns()) : values(row, k.columns());
            if (v == null) {
                continue;
            }
            for (Row other : d.rows(tn)) {
                if (other != old && v.equals(nnd ? valuesWithNulls(other, k.columns()) : values(other, k.columns()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Row> replaced(List<Row> rows, Row old, Row row) {
        List<Row> out = new ArrayList<>(rows);
        int i = indexOf(out, old);
        if (i >= 0) {
            out.set(i, row);
        }
        return out;
    }

    // ---------------------------------------------------------------- UNIQUE and PRIMARY KEY

    private List<Change> duplicates(CatalogueEntry e, Table t, Dataset valid, Connection c) throws SQLException {
        Constraint k = t.constraint(e.constraint());
        Constraint.Unique u = k instanceof Constraint.Unique x ? x : null;
        Set<String> keyColumns = new LinkedHashSet<>(k.columns());
        if (u != null && u.expressionKeys()) {
            keyColumns.addAll(mentioned(t, keyPart(u.definition())));
        }
        Optional<String> predicate = u == null ? Optional.empty() : u.predicate();
        Set<String> also = new LinkedHashSet<>();
        predicate.ifPresent(p -> also.addAll(mentioned(t, p)));
        boolean nnd = u != null && u.nullsNotDistinct();
        return copies(e, t, valid, c, keyColumns, also, predicate.map(List::of).orElse(List.of()),
                nnd || (u != null && u.expressionKeys()));
    }

    /** The key part of {@code CREATE UNIQUE INDEX … USING btree (lower(email)) WHERE …}. */
    private static String keyPart(String definition) {
        int using = definition.indexOf(" USING ");
        String rest = using < 0 ? definition : definition.substring(using);
        int where = rest.indexOf(" WHERE ");
        return where < 0 ? rest : rest.substring(0, where);
    }

    /** The table's columns an expression mentions. */
    private static List<String> mentioned(Table t, String expression) {
        List<String> out = new ArrayList<>();
        for (Column col : t.columns()) {
            if (Pattern.compile("(?<![A-Za-z0-9_$])\"?" + Pattern.quote(col.name()) + "\"?(?![A-Za-z0-9_$])").matcher(expression).find()) {
                out.add(col.name());
            }
        }
        return out;
    }

    /**
     * Row j takes row i's values of {@code copied} (and of any foreign key overlapping them, so
     * that its references stay valid): a duplicate key, or an overlap for an exclusion.
     * {@code mustHold} are expressions row i must satisfy (an index predicate, the overlap).
     */
    private List<Change> copies(CatalogueEntry e, Table t, Dataset valid, Connection c, Set<String> copied, Set<String> alongside,
                                List<String> mustHold, boolean nullsCount) throws SQLException {
        List<Row> rows = valid.rows(e.table());
        Set<String> cols = new LinkedHashSet<>(copied);
        cols.addAll(alongside);
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            if (fk.columns().stream().anyMatch(cols::contains)) {
                cols.addAll(fk.columns());
            }
        }
        List<Change> out = new ArrayList<>();
        List<Row> sources = new ArrayList<>();
        if (!mustHold.isEmpty()) {
            List<ServerEval.Result> holds = ServerEval.evaluate(c, t, rows, mustHold);
            for (int i = 0; i < rows.size(); i++) {
                boolean all = true;
                for (int x = 0; x < mustHold.size(); x++) {
                    all &= holds.get(i).isTrue(x);
                }
                sources.add(all ? rows.get(i) : null);
            }
        } else {
            sources.addAll(rows);
        }
        for (int i = 0; i < rows.size() && out.size() < MAX_DROP_TESTS; i++) {
            Row source = sources.get(i);
            if (source == null) {
                continue;
            }
            // a key left to its default (a serial) or NULL: give row i a value first (a parent's key for a foreign key)
            Dataset start = valid;
            if (!nullsCount) {
                for (String col : copied) {
                    if (t.hasColumn(col) && (!source.has(col) || source.get(col) == null)) {
                        Object v = keyValue(t, valid, e.table(), col, i);
                        if (v != null) {
                            source = source.with(col, v);
                        }
                    }
                }
            }
            if (source != sources.get(i)) {
                start = replace(valid, e.table(), i, source);
            }
            Row ri = source;
            if (!nullsCount && copied.stream().anyMatch(col -> !ri.has(col) || ri.get(col) == null)) {
                continue;
            }
            for (int j = 0; j < rows.size() && out.size() < MAX_DROP_TESTS; j++) {
                if (i == j) {
                    continue;
                }
                Row rj = start.rows(e.table()).get(j);
                Row changed = rj;
                for (String col : cols) {
                    changed = ri.has(col) ? changed.with(col, ri.get(col)) : changed.without(col);
                }
                changed = apartOnOtherKeys(t, start.rows(e.table()), rj, changed, e.constraint(), cols);
                Dataset base = removeDependents(start, t, e.table(), rj, changed);
                if (base == null || indexOf(base.rows(e.table()), ri) < 0) {
                    continue; // the row whose key is copied referenced the changed one, and went with it
                }
                List<ServerEval.Result> checks = ServerEval.evaluate(c, t, List.of(changed),
                        t.checks().stream().map(Constraint.Check::expression).toList());
                boolean clean = !checks.get(0).failed();
                for (int x = 0; clean && x < t.checks().size(); x++) {
                    clean = !checks.get(0).isFalse(x);
                }
                if (!clean) {
                    continue;
                }
                int idx = indexOf(base.rows(e.table()), rj);
                out.add(new Change(base, replace(base, e.table(), idx, changed), e.table(), changed,
                        e.table() + " row " + (j + 1) + " takes row " + (i + 1) + "'s " + String.join(", ", cols),
                        Broken.none()));
            }
        }
        if (out.isEmpty() && rows.size() == 1 && sources.get(0) != null) {
            Row copy = rows.get(0);
            out.add(new Change(valid, valid.plus(e.table(), copy), e.table(), copy, e.table() + " row 1 added again",
                    Broken.none()));
        }
        return out;
    }

    // ---------------------------------------------------------------- EXCLUDE

    private List<Change> overlaps(CatalogueEntry e, Table t, Dataset valid, Connection c) throws SQLException {
        Constraint.Exclusion x = (Constraint.Exclusion) t.constraint(e.constraint());
        Set<String> cols = new LinkedHashSet<>(x.columns());
        List<String> hold = new ArrayList<>();
        StringBuilder overlap = new StringBuilder();
        for (int i = 0; i < x.columns().size(); i++) {
            String q = SqlLiterals.identifier(x.columns().get(i));
            overlap.append(i == 0 ? "" : " AND ").append("(").append(q).append(" ").append(x.operators().get(i)).append(" ").append(q).append(")");
        }
        hold.add(overlap.toString());
        x.predicate().ifPresent(p -> {
            cols.addAll(mentioned(t, p));
            hold.add(p);
        });
        return copies(e, t, valid, c, cols, Set.of(), hold, true);
    }

    // ---------------------------------------------------------------- FOREIGN KEY

    private List<Change> dangling(CatalogueEntry e, Table t, Dataset valid, Connection c) throws SQLException {
        Constraint.ForeignKey fk = (Constraint.ForeignKey) t.constraint(e.constraint());
        Table parent = schema.referenced(fk);
        List<Row> rows = valid.rows(e.table());
        List<Row> parents = parent.equals(t) ? rows : valid.rows(parent.datasetName());
        // change the column shared with the fewest other keys
        String col = fk.columns().get(fk.columns().size() - 1);
        int best = Integer.MAX_VALUE;
        for (String candidate : fk.columns()) {
            int uses = 0;
            for (Constraint other : t.constraints()) {
                if (other != fk && other.columns().contains(candidate)) {
                    uses++;
                }
            }
            if (uses < best) {
                best = uses;
                col = candidate;
            }
        }
        String refCol = fk.referencedColumns().get(fk.columns().indexOf(col));
        Set<String> taken = new HashSet<>();
        boolean absent = false; // a parent key left to its default (a serial): keep far from the sequence
        for (Row p : parents) {
            if (p.has(refCol)) {
                taken.add(key(p.get(refCol)));
            } else {
                absent = true;
            }
        }
        Column column = t.column(col);
        List<Row> changed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (int i = 0; i < Math.min(3, rows.size()); i++) {
            Row r = rows.get(i);
            Row filled = r;
            boolean ok = true;
            for (int k = 0; k < fk.columns().size(); k++) {
                String other = fk.columns().get(k);
                if (!other.equals(col) && (!r.has(other) || r.get(other) == null)) {
                    ok = false; // MATCH SIMPLE: a NULL in another column exempts the row; leave such rows
                }
            }
            if (!ok) {
                continue;
            }
            for (Object fresh : fresh(column, taken, r.has(col) ? r.get(col) : null, absent)) {
                changed.add(filled.with(col, fresh));
                at.add(i);
                descriptions.add(e.table() + " row " + (i + 1) + ": " + col + " := " + SqlLiterals.literal(fresh)
                        + " (no " + parent.datasetName() + " row has it)");
            }
        }
        // evaluate CHECKs: the new value must break nothing but the reference
        List<ServerEval.Result> res = ServerEval.evaluate(c, t, changed, t.checks().stream().map(Constraint.Check::expression).toList());
        List<Change> out = new ArrayList<>();
        for (int n = 0; n < changed.size(); n++) {
            boolean clean = !res.get(n).failed();
            for (int x = 0; clean && x < t.checks().size(); x++) {
                clean = !res.get(n).isFalse(x);
            }
            if (!clean) {
                continue;
            }
            Row old = rows.get(at.get(n));
            Dataset base = removeDependents(valid, t, e.table(), old, changed.get(n));
            if (base == null) {
                continue;
            }
            out.add(new Change(base, replace(base, e.table(), indexOf(base.rows(e.table()), old), changed.get(n)), e.table(),
                    changed.get(n), descriptions.get(n), Broken.none()));
        }
        return out;
    }

    /**
     * A value for a key column row {@code n} left NULL or to its default: a parent's key when the
     * column is a foreign key, else a value far from what a sequence hands out, else a fresh one.
     */
    private @Nullable Object keyValue(Table t, Dataset d, String tn, String col, int n) {
        Set<String> taken = new HashSet<>();
        for (Row r : d.rows(tn)) {
            if (r.has(col)) {
                taken.add(key(r.get(col)));
            }
        }
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            if (fk.columns().size() == 1 && fk.columns().get(0).equals(col)) {
                Table parent = schema.referenced(fk);
                for (Row p : d.rows(parent.datasetName())) {
                    String ref = fk.referencedColumns().get(0);
                    if (p.has(ref) && p.get(ref) != null && !taken.contains(key(p.get(ref))) && !refersTo(parent, p, t)) {
                        return p.get(fk.referencedColumns().get(0));
                    }
                }
                return null;
            }
        }
        Column column = t.column(col);
        if (column.hasDefault()) {
            return explicitKey(column, n);
        }
        List<Object> fresh = fresh(column, taken, null, false);
        return fresh.isEmpty() ? null : fresh.get(0);
    }

    /** The row references some row of {@code t}: making {@code t} reference it back would close a cycle. */
    private boolean refersTo(Table parent, Row p, Table t) {
        for (Constraint.ForeignKey fk : parent.foreignKeys()) {
            if (schema.referenced(fk).equals(t) && values(p, fk.columns()) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Row {@code changed} keeps apart from the other rows on every unique key but {@code target}:
     * where it collides, a column outside {@code fixed} gets a fresh value.
     */
    private Row apartOnOtherKeys(Table t, List<Row> rows, Row original, Row changed, String target, Set<String> fixed) {
        List<Constraint> keys = new ArrayList<>(t.uniques());
        t.primaryKey().ifPresent(keys::add);
        Row out = changed;
        for (Constraint k : keys) {
            if (k.name().equals(target) || k.columns().isEmpty()) {
                continue;
            }
            boolean nnd = k instanceof Constraint.Unique u && u.nullsNotDistinct();
            List<String> v = nnd ? valuesWithNulls(out, k.columns()) : values(out, k.columns());
            if (v == null) {
                continue;
            }
            boolean collides = false;
            for (Row other : rows) {
                if (other != original && v.equals(nnd ? valuesWithNulls(other, k.columns()) : values(other, k.columns()))) {
                    collides = true;
                }
            }
            if (!collides) {
                continue;
            }
            for (String col : k.columns()) {
                if (!fixed.contains(col) && t.hasColumn(col) && t.foreignKeys().stream().noneMatch(fk -> fk.columns().contains(col))) {
                    Set<String> taken = new HashSet<>();
                    for (Row r : rows) {
                        if (r.has(col)) {
                            taken.add(key(r.get(col)));
                        }
                    }
                    List<Object> fresh = fresh(t.column(col), taken, out.has(col) ? out.get(col) : null, false);
                    if (!fresh.isEmpty()) {
                        out = out.with(col, fresh.get(0));
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** An explicit key far from what a sequence hands out, for a row that left its key to the default. */
    private static @Nullable Object explicitKey(Column column, int n) {
        PgType t = column.type().underlying();
        return switch (t.kind() == PgType.Kind.BASE ? t.name() : "") {
            case "int2" -> (short) (30_000 + n);
            case "int4" -> 1_000_000_000 + n;
            case "int8" -> 1_000_000_000_000L + n;
            case "numeric" -> BigDecimal.valueOf(1_000_000_000L + n);
            case "uuid" -> UUID.nameUUIDFromBytes(("pgprop-key-" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> null;
        };
    }

    /** Values of the column's type that no row in {@code taken} has. */
    private static List<Object> fresh(Column column, Set<String> taken, @Nullable Object current, boolean farFromSequence) {
        PgType t = column.type().underlying();
        List<Object> out = new ArrayList<>();
        switch (t.kind() == PgType.Kind.BASE ? t.name() : "") {
            case "int2", "int4", "int8", "numeric" -> {
                BigDecimal max = farFromSequence ? BigDecimal.valueOf(t.name().equals("int2") ? 30_000 : 1_000_000_000) : BigDecimal.ZERO;
                BigDecimal min = BigDecimal.ZERO;
                for (String k : taken) {
                    BigDecimal d = Candidates.decimal(k);
                    if (d != null) {
                        max = d.max(max);
                        min = d.min(min);
                    }
                }
                long limit = t.name().equals("int2") ? Short.MAX_VALUE : t.name().equals("int4") ? Integer.MAX_VALUE : Long.MAX_VALUE;
                BigDecimal hi = BigDecimal.valueOf(limit);
                BigDecimal lo = BigDecimal.valueOf(-limit - 1);
                max = max.setScale(0, java.math.RoundingMode.FLOOR);
                min = min.setScale(0, java.math.RoundingMode.CEILING);
                for (BigDecimal v : List.of(max.add(BigDecimal.ONE), max.add(BigDecimal.valueOf(1000)), min.subtract(BigDecimal.ONE),
                        BigDecimal.ONE, BigDecimal.valueOf(7), BigDecimal.valueOf(1000), BigDecimal.ZERO)) {
                    if (v.compareTo(hi) <= 0 && v.compareTo(lo) >= 0 && !taken.contains(key(v)) && out.size() < 3) {
                        Object o = t.name().equals("int8") ? (Object) v.longValueExact() : t.name().equals("numeric") ? v
                                : (Object) v.intValueExact();
                        if (!out.contains(o)) {
                            out.add(o);
                        }
                    }
                }
            }
            case "uuid" -> {
                for (int n = 0; out.size() < 2; n++) {
                    UUID u = UUID.nameUUIDFromBytes(("pgprop-missing-" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (!taken.contains(key(u))) {
                        out.add(u);
                    }
                }
            }
            case "text", "varchar", "bpchar", "citext" -> {
                int len = t.length() < 0 ? 12 : t.length();
                List<String> tries = new ArrayList<>();
                if (current instanceof String s) {
                    tries.add(s.length() < len ? s + "Z" : s.substring(0, Math.max(0, len - 1)) + "Z");
                    tries.add(s.length() < len ? s + "9" : s.substring(0, Math.max(0, len - 1)) + "9");
                }
                tries.addAll(List.of("ZZZ", "zzz", "999", "zz-zz", "Z"));
                for (String s : tries) {
                    String v = s.length() > len ? s.substring(0, len) : s;
                    if (!taken.contains(key(v)) && !out.contains(v)) {
                        out.add(v);
                    }
                }
            }
            case "date" -> {
                for (LocalDate d : List.of(LocalDate.of(2099, 12, 31), LocalDate.of(1901, 1, 1))) {
                    if (!taken.contains(key(d))) {
                        out.add(d);
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    // ---------------------------------------------------------------- dataset surgery

    /**
     * {@code valid} without the rows that reference {@code old} through the columns the change
     * alters (and, in turn, without the rows that reference those); null when the changed row
     * itself would lose a row it references.
     */
    private @Nullable Dataset removeDependents(Dataset valid, Table t, String tn, Row old, Row changed) {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (String name : valid.tables()) {
            rows.put(name, new ArrayList<>(valid.rows(name)));
        }
        IdentityHashMap<Row, Boolean> removed = new IdentityHashMap<>();
        List<Object[]> work = new ArrayList<>();
        work.add(new Object[] {t, old, changed});
        while (!work.isEmpty()) {
            Object[] w = work.remove(0);
            Table gone = (Table) w[0];
            Row before = (Row) w[1];
            Row after = (Row) w[2];
            for (Table child : schema.tables()) {
                List<Row> childRows = rows.get(child.datasetName());
                if (childRows == null) {
                    continue;
                }
                for (Constraint.ForeignKey fk : child.foreignKeys()) {
                    if (!schema.referenced(fk).equals(gone)) {
                        continue;
                    }
                    if (after != null && sameValues(fk.referencedColumns(), before, after)) {
                        continue;
                    }
                    List<String> was = values(before, fk.referencedColumns());
                    if (was == null) {
                        continue;
                    }
                    for (Row r : List.copyOf(childRows)) {
                        if (r == old || removed.containsKey(r)) {
                            continue;
                        }
                        if (was.equals(values(r, fk.columns()))) {
                            removed.put(r, Boolean.TRUE);
                            childRows.remove(r);
                            work.add(new Object[] {child, r, null});
                        }
                    }
                }
            }
        }
        Dataset out = Dataset.empty();
        for (Map.Entry<String, List<Row>> en : rows.entrySet()) {
            out = out.with(en.getKey(), en.getValue());
        }
        if (removed.isEmpty()) {
            return out;
        }
        // the changed row must not reference a removed row
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            List<String> v = values(changed, fk.columns());
            if (v == null) {
                continue;
            }
            Table parent = schema.referenced(fk);
            boolean found = false;
            for (Row p : parent.equals(t) ? replaced(out.rows(tn), old, changed) : out.rows(parent.datasetName())) {
                if (v.equals(values(p, fk.referencedColumns()))) {
                    found = true;
                    break;
                }
            }
            if (!found && keyMatchedBefore(valid, parent, fk, v)) {
                return null;
            }
        }
        return out;
    }

    private static boolean keyMatchedBefore(Dataset valid, Table parent, Constraint.ForeignKey fk, List<String> v) {
        for (Row p : valid.rows(parent.datasetName())) {
            if (v.equals(values(p, fk.referencedColumns()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameValues(List<String> columns, Row a, Row b) {
        for (String col : columns) {
            if (!a.has(col) && !b.has(col)) {
                continue;
            }
            if (a.has(col) != b.has(col) || !key(a.get(col)).equals(key(b.get(col)))) {
                return false;
            }
        }
        return true;
    }

    /** The row's values of these columns as comparable keys; null when one is NULL or left out. */
    static @Nullable List<String> values(Row r, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (String col : columns) {
            if (!r.has(col) || r.get(col) == null) {
                return null;
            }
            out.add(key(r.get(col)));
        }
        return out;
    }

    private static List<String> valuesWithNulls(Row r, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (String col : columns) {
            out.add(r.has(col) ? key(r.get(col)) : "<default>");
        }
        return out;
    }

    /** A value as a comparable key: numbers by value, byte arrays by content. */
    static String key(@Nullable Object v) {
        if (v == null) {
            return "<null>";
        }
        BigDecimal d = v instanceof String ? null : Candidates.decimal(v);
        if (d != null) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        if (v instanceof String s) {
            return s.stripTrailing();
        }
        return v.toString();
    }

    private static int indexOf(List<Row> rows, Row row) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == row) {
                return i;
            }
        }
        return -1;
    }

    static Dataset replace(Dataset d, String table, int i, Row row) {
        List<Row> rows = new ArrayList<>(d.rows(table));
        rows.set(i, row);
        return d.with(table, rows);
    }

    // ---------------------------------------------------------------- the drop test

    /** The statements that drop the entry's constraint and those the change breaks as well. */
    private List<String> dropStatements(CatalogueEntry e, Table t, Broken b) {
        String q = SqlLiterals.identifier(t.schema()) + "." + SqlLiterals.identifier(t.name());
        List<String> sql = new ArrayList<>();
        Set<String> checks = new LinkedHashSet<>(b.checks());
        Set<String> notNull = new LinkedHashSet<>(b.notNull());
        Set<String> domainChecks = new LinkedHashSet<>(b.domainChecks());
        Set<String> domainNotNull = new LinkedHashSet<>(b.domainNotNull());
        switch (e.kind()) {
            case CHECK, FOREIGN_KEY, EXCLUSION -> checks.add(e.constraint());
            case NOT_NULL -> notNull.add(e.column());
            case DOMAIN_CHECK -> domainChecks.add(e.constraint());
            case DOMAIN_NOT_NULL -> domainNotNull.add(e.datatype());
            case PRIMARY_KEY -> sql.add("ALTER TABLE " + q + " DROP CONSTRAINT " + SqlLiterals.identifier(e.constraint()) + " CASCADE");
            case UNIQUE -> {
                Constraint.Unique u = (Constraint.Unique) t.constraint(e.constraint());
                sql.add(u.indexOnly() ? "DROP INDEX " + SqlLiterals.identifier(t.schema()) + "." + SqlLiterals.identifier(u.name()) + " CASCADE"
                        : "ALTER TABLE " + q + " DROP CONSTRAINT " + SqlLiterals.identifier(u.name()) + " CASCADE");
            }
            default -> { }
        }
        for (String k : checks) {
            sql.add("ALTER TABLE " + q + " DROP CONSTRAINT " + SqlLiterals.identifier(k) + " CASCADE");
        }
        for (String col : notNull) {
            t.primaryKey().filter(pk -> pk.columns().contains(col)).ifPresent(pk ->
                    sql.add("ALTER TABLE " + q + " DROP CONSTRAINT " + SqlLiterals.identifier(pk.name()) + " CASCADE"));
            if (t.hasColumn(col) && t.column(col).identity() != Column.Identity.NONE) {
                sql.add("ALTER TABLE " + q + " ALTER COLUMN " + SqlLiterals.identifier(col) + " DROP IDENTITY");
            }
            sql.add("ALTER TABLE " + q + " ALTER COLUMN " + SqlLiterals.identifier(col) + " DROP NOT NULL");
        }
        for (Column col : t.columns()) {
            for (PgType d = col.type(); d.kind() == PgType.Kind.DOMAIN; d = d.element().orElseThrow()) {
                String dq = SqlLiterals.identifier(d.schema()) + "." + SqlLiterals.identifier(d.name());
                for (Constraint.Check k : d.domainChecks()) {
                    if (domainChecks.remove(k.name())) {
                        sql.add("ALTER DOMAIN " + dq + " DROP CONSTRAINT " + SqlLiterals.identifier(k.name()));
                    }
                }
                if (domainNotNull.remove(d.name())) {
                    sql.add("ALTER DOMAIN " + dq + " DROP NOT NULL");
                }
            }
        }
        return sql;
    }

    /** In a transaction that is rolled back: drop the constraints, load the changed dataset, check deferred ones. */
    private boolean loadsWithout(Connection c, CatalogueEntry e, Table t, Change ch) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : dropStatements(e, t, ch.broken())) {
                s.execute(sql);
            }
            if (catalog == null) {
                catalog = Catalog.read(c);
            }
            s.execute(Loader.sql(catalog, ch.invalid()));
            s.execute("SET CONSTRAINTS ALL IMMEDIATE");
            return true;
        } catch (SQLException ex) {
            return false;
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }
}

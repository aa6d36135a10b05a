package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.schema.ColumnRule;
import dev.pgprop.generators.schema.SchemaGenerationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jspecify.annotations.Nullable;

/**
 * Draws datasets for a schema. Each table's rows are drawn as a list of seeds (drawn column
 * values, a parent pick per foreign key, a NULL flag per nullable foreign key); the dataset is
 * resolved from the seeds deterministically, tables in foreign-key order: a pick selects a
 * parent row modulo the parent's row count, unique keys are repaired by deterministic variants,
 * and a row that cannot be made valid is left out. So every draw, and every shrink of one, is a
 * valid dataset: jqwik shrinks the seed lists (fewer rows; a parent's children then pick among
 * the parents left, or go) and the seed values (simpler values).
 */
public final class DatasetPlan {
    /** What the spec says; immutable inputs of a plan. */
    public record Spec(Schema schema, List<String> tables, Map<String, int[]> rows, int minRows, int maxRows,
                       Map<String, Map<String, Arbitrary<?>>> overrides, Map<String, Map<String, Object>> pins,
                       Map<String, Map<String, ColumnRule>> rules, double nullProbability, @Nullable ServerEval server) {}

    private static final int VARIANTS = 48;
    private static final long MISS_LIMIT = 5_000;
    private static final int PICK_ATTEMPTS = 6;

    private final List<TablePlan> plans = new ArrayList<>();
    private final @Nullable ServerEval server;
    private final double nullProbability;

    private DatasetPlan(Spec spec) {
        this.server = spec.server();
        this.nullProbability = spec.nullProbability();
        Schema schema = spec.schema();
        List<Table> wanted = spec.tables().isEmpty() ? schema.tables()
                : spec.tables().stream().map(schema::table).toList();
        List<Table> order = schema.loadOrder(schema.withReferenced(wanted));
        Map<Table, TablePlan> byTable = new HashMap<>();
        for (Table t : order) {
            TablePlan p = new TablePlan(t, plans.size());
            plans.add(p);
            byTable.put(t, p);
        }
        Set<String> referenced = new HashSet<>();
        for (Table t : order) {
            for (Constraint.ForeignKey fk : t.foreignKeys()) {
                Table parent = schema.referenced(fk);
                fk.referencedColumns().forEach(c -> referenced.add(parent.qualifiedName() + "." + c));
            }
        }
        for (TablePlan p : plans) {
            build(p, spec, schema, byTable, referenced);
        }
        // a table that must have rows needs a row in each table its NOT NULL keys reference, and so on
        // up: without one its rows could not be made (unless the spec set that table's rows itself)
        for (int i = plans.size() - 1; i >= 0; i--) {
            TablePlan p = plans.get(i);
            if (p.minRows == 0) {
                continue;
            }
            for (TablePlan.Fk fk : p.fks) {
                TablePlan parent = fk.parent();
                boolean set = spec.rows().containsKey(parent.table.qualifiedName()) || spec.rows().containsKey(parent.table.name());
                if (!fk.self() && !fk.nullable() && !fk.later() && !set && parent.minRows == 0) {
                    parent.minRows = 1;
                    parent.maxRows = Math.max(parent.maxRows, 1);
                }
            }
        }
    }

    public static DatasetPlan of(Spec spec) {
        return new DatasetPlan(spec);
    }

    private static <T> T lookup(Map<String, Map<String, T>> m, Table t, String column) {
        Map<String, T> byColumn = m.getOrDefault(t.qualifiedName(), m.getOrDefault(t.name(), Map.of()));
        return byColumn.get(column);
    }

    private void build(TablePlan p, Spec spec, Schema schema, Map<Table, TablePlan> byTable, Set<String> referenced) {
        Table t = p.table;
        int[] counts = spec.rows().getOrDefault(t.qualifiedName(), spec.rows().get(t.name()));
        p.minRows = counts == null ? spec.minRows() : counts[0];
        p.maxRows = counts == null ? spec.maxRows() : counts[1];
        Set<String> fkColumns = new HashSet<>();
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            TablePlan parent = byTable.get(schema.referenced(fk));
            boolean self = parent == p;
            boolean later = !self && parent.index > p.index;
            boolean nullable = Schema.nullable(t, fk);
            boolean deferredFill = later && fk.initiallyDeferred();
            if (later && !nullable && !deferredFill) {
                throw new SchemaGenerationException(t.qualifiedName(), "foreign key " + fk.name() + " of "
                        + t.qualifiedName() + " is part of a cycle that no nullable or initially deferred key breaks;"
                        + " pgprop cannot order its rows. Make one key of the cycle DEFERRABLE INITIALLY DEFERRED, or"
                        + " leave the table out and pin the key with withValue(\"" + t.name() + "\", \"" + fk.columns().get(0)
                        + "\", …)");
            }
            p.fks.add(new TablePlan.Fk(fk, parent, self, nullable, later, deferredFill));
            fkColumns.addAll(fk.columns());
        }
        Set<String> keyed = new HashSet<>();
        t.primaryKey().ifPresent(pk -> keyed.addAll(pk.columns()));
        for (Column c : t.columns()) {
            if (c.isGenerated() || c.identity() == Column.Identity.ALWAYS) {
                if (c.identity() == Column.Identity.ALWAYS && referenced.contains(t.qualifiedName() + "." + c.name())) {
                    throw new SchemaGenerationException(t.qualifiedName(), "column " + t.qualifiedName() + "." + c.name()
                            + " is GENERATED ALWAYS AS IDENTITY and a foreign key references it: pgprop must write its"
                            + " values, which PostgreSQL refuses without OVERRIDING SYSTEM VALUE. Declare it GENERATED BY"
                            + " DEFAULT AS IDENTITY (or serial) in a test migration");
                }
                continue;
            }
            ColumnRule rule = lookup(spec.rules(), t, c.name());
            Arbitrary<?> override = lookup(spec.overrides(), t, c.name());
            Map<String, Object> pinMap = spec.pins().getOrDefault(t.qualifiedName(), spec.pins().getOrDefault(t.name(), Map.of()));
            boolean pinned = pinMap.containsKey(c.name());
            boolean sequence = c.isSerial() || c.identity() == Column.Identity.BY_DEFAULT;
            if (sequence && rule == null && override == null && !pinned
                    && !referenced.contains(t.qualifiedName() + "." + c.name())) {
                continue; // the sequence fills it
            }
            p.output.add(c);
            if (rule != null) {
                p.rules.put(c.name(), rule);
                continue;
            }
            if (fkColumns.contains(c.name()) && !pinned && override == null) {
                continue;
            }
            Narrowing n = narrowing(t, c);
            if (p.partition == null) {
                PartitionRule.of(t).filter(r -> r.column.equals(c.name())).ifPresent(r -> p.partition = r);
            }
            Gen g;
            if (pinned) {
                g = new Gen(Arbitraries.just(pinMap.get(c.name())), Gen.NONE);
                p.fixed.add(c.name());
            } else if (override != null) {
                g = new Gen(override.map(v -> (Object) v), Gen.NONE);
                p.fixed.add(c.name());
            } else {
                try {
                    if (p.partition != null && p.partition.column.equals(c.name())) {
                        List<Arbitrary<Object>> parts = new ArrayList<>();
                        for (Narrowing part : p.partition.parts) {
                            Narrowing both = merge(n, part);
                            parts.add(Values.gen(c.type(), both).arbitrary());
                        }
                        g = new Gen(Choice.oneOf(parts), Values.gen(c.type(), n).variants());
                    } else {
                        g = Values.gen(c.type(), n);
                    }
                } catch (Values.Unsupported e) {
                    throw new SchemaGenerationException(t.qualifiedName(), "pgprop cannot draw values of type "
                            + e.getMessage() + " for column " + t.qualifiedName() + "." + c.name() + "; supply them with"
                            + " withColumn(\"" + t.datasetName() + "\", \"" + c.name() + "\", <an Arbitrary>) or pin one"
                            + " with withValue(\"" + t.datasetName() + "\", \"" + c.name() + "\", value)");
                }
                if (c.nullable() && !n.notNull && !keyed.contains(c.name()) && nullProbability > 0) {
                    g = new Gen(Values.orNull(g.arbitrary(), nullProbability), g.variants());
                }
            }
            p.drawn.add(c);
            p.gens.add(g);
        }
        for (Constraint.Check c : t.checks()) {
            p.checks.add(new TablePlan.Check(c.name(), c.expression(), Expr.parse(c.expression()).orElse(null),
                    columnsOf(t, c), null));
        }
        for (Column c : p.output) {
            addDomainChecks(p, c, c.type());
        }
        for (Column c : t.columns()) {
            // a stored generated column's expression must compute for the row (no overflow, no NaN into an integer)
            c.generatedExpression().ifPresent(g -> p.checks.add(new TablePlan.Check("generated column " + c.name(),
                    "((" + g + ")::" + c.type().formatted() + ") IS NULL OR TRUE", null,
                    t.columns().stream().map(Column::name).filter(n -> !n.equals(c.name()) && mentions(g, n)).toList(), null)));
        }
        t.primaryKey().ifPresent(p.uniques::add);
        p.uniques.addAll(t.uniques());
        for (Constraint u : p.uniques) {
            p.uniqueColumns.add(keyColumns(t, u));
        }
        p.exclusions.addAll(t.exclusions());
        if (p.partition == null) {
            PartitionRule.of(t).ifPresent(r -> p.partition = r); // its column is a foreign key or a rule: checked per row
        }
    }

    private static List<String> columnsOf(Table t, Constraint.Check c) {
        if (!c.columns().isEmpty()) {
            return c.columns();
        }
        return t.columns().stream().map(Column::name).filter(n -> mentions(c.expression(), n)).toList();
    }

    /** Does SQL text name this column (as a whole word, or quoted)? */
    static boolean mentions(String sql, String column) {
        return java.util.regex.Pattern.compile("(?<![A-Za-z0-9_$\"])" + java.util.regex.Pattern.quote(column)
                + "(?![A-Za-z0-9_$])").matcher(sql).find() || sql.contains("\"" + column.replace("\"", "\"\"") + "\"");
    }

    /** The columns a unique index's keys compute from (expression keys included). */
    static List<String> keyColumns(Table t, Constraint u) {
        if (!(u instanceof Constraint.Unique un) || !un.expressionKeys()) {
            return u.columns();
        }
        String def = un.definition();
        int open = def.indexOf(" USING ");
        int start = def.indexOf('(', open < 0 ? 0 : open);
        int where = def.indexOf(" WHERE ");
        String keys = def.substring(start < 0 ? 0 : start, where < 0 ? def.length() : where);
        return t.columns().stream().map(Column::name).filter(n -> mentions(keys, n)).toList();
    }

    private static void addDomainChecks(TablePlan p, Column c, PgType type) {
        if (type.kind() != PgType.Kind.DOMAIN) {
            return;
        }
        for (Constraint.Check dc : type.domainChecks()) {
            p.checks.add(new TablePlan.Check(dc.name() + " (domain " + type.qualifiedName() + " of " + c.name() + ")",
                    dc.expression(), Expr.parse(dc.expression()).orElse(null), List.of(c.name()), c.name()));
        }
        addDomainChecks(p, c, type.element().orElseThrow());
    }

    private static Narrowing narrowing(Table t, Column c) {
        Narrowing n = new Narrowing();
        for (Constraint.Check check : t.checks()) {
            Expr.parse(check.expression()).ifPresent(e -> n.add(e, c.name()));
        }
        return n;
    }

    private static Narrowing merge(Narrowing checks, Narrowing part) {
        Narrowing m = new Narrowing();
        m.lower = part.lower != null ? part.lower : checks.lower;
        m.lowerInclusive = part.lower != null ? part.lowerInclusive : checks.lowerInclusive;
        m.upper = part.upper != null ? part.upper : checks.upper;
        m.upperInclusive = part.upper != null ? part.upperInclusive : checks.upperInclusive;
        m.allowed = part.allowed != null ? part.allowed : checks.allowed;
        m.excluded.addAll(checks.excluded);
        m.minLength = checks.minLength;
        m.maxLength = checks.maxLength;
        m.regex = checks.regex;
        m.regexCaseInsensitive = checks.regexCaseInsensitive;
        m.notNull = checks.notNull;
        return m;
    }

    /** One drawn row before resolution. */
    record Seed(Object[] values, int[] picks, boolean[] nulls) {}

    /** The arbitrary of whole datasets. */
    public Arbitrary<Dataset> arbitrary() {
        List<Arbitrary<List<Seed>>> tables = new ArrayList<>();
        for (TablePlan p : plans) {
            tables.add(seeds(p).list().ofMinSize(p.minRows).ofMaxSize(p.maxRows));
        }
        if (tables.isEmpty()) {
            return Arbitraries.just(Dataset.empty());
        }
        return Combinators.combine(tables).as(this::resolve);
    }

    private Arbitrary<Seed> seeds(TablePlan p) {
        List<Arbitrary<Object>> parts = new ArrayList<>();
        for (Gen g : p.gens) {
            parts.add(g.arbitrary());
        }
        for (TablePlan.Fk fk : p.fks) {
            parts.add(Arbitraries.integers().between(0, 9_999).map(Object.class::cast));
        }
        for (TablePlan.Fk fk : p.fks) {
            parts.add(fk.nullable() && nullProbability > 0
                    ? Values.chance(0.2).map(Object.class::cast)
                    : Arbitraries.just((Object) false));
        }
        int nd = p.gens.size();
        int nf = p.fks.size();
        // kept: a row's seed is read by the filter below and again when the dataset is resolved
        Arbitrary<Seed> seed = parts.isEmpty() ? Arbitraries.just(new Seed(new Object[0], new int[0], new boolean[0]))
                : Kept.of(Combinators.combine(parts).as(l -> {
                    Object[] values = l.subList(0, nd).toArray();
                    int[] picks = new int[nf];
                    boolean[] nulls = new boolean[nf];
                    for (int i = 0; i < nf; i++) {
                        picks[i] = (Integer) l.get(nd + i);
                        nulls[i] = (Boolean) l.get(nd + nf + i);
                    }
                    return new Seed(values, picks, nulls);
                }));
        List<TablePlan.Check> seedChecks = p.checks.stream().filter(c -> drawnOnly(p, c)).toList();
        if (seedChecks.isEmpty() && (p.partition == null || p.drawnIndex(p.partition.column) < 0)) {
            return seed;
        }
        return seed.filter(s -> seedHolds(p, s, seedChecks));
    }

    private static boolean drawnOnly(TablePlan p, TablePlan.Check c) {
        if (c.columns().isEmpty()) {
            return false;
        }
        for (String col : c.columns()) {
            if (p.drawnIndex(col) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Does the row have all these columns? (a loop: it runs for every check of every row) */
    private static boolean hasAll(Map<String, @Nullable Object> row, List<String> columns) {
        for (String c : columns) {
            if (!row.containsKey(c)) {
                return false;
            }
        }
        return true;
    }

    private boolean seedHolds(TablePlan p, Seed s, List<TablePlan.Check> checks) {
        Map<String, @Nullable Object> row = new HashMap<>();
        for (int i = 0; i < p.drawn.size(); i++) {
            row.put(p.drawn.get(i).name(), s.values()[i]);
        }
        String failed = firstFailing(p, row, checks);
        if (failed == null && p.partition != null && p.drawnIndex(p.partition.column) >= 0
                && !p.partition.holds(p.type(p.partition.column), row.get(p.partition.column))) {
            failed = "the partition bounds of " + p.table.qualifiedName();
        }
        if (failed == null) {
            p.seedHits.incrementAndGet();
            return true;
        }
        long misses = p.seedMisses.incrementAndGet();
        if (p.seedHits.get() == 0 && misses >= MISS_LIMIT) {
            throw new SchemaGenerationException(p.table.qualifiedName(), "no row drawn for " + p.table.qualifiedName()
                    + " in " + misses + " attempts satisfied " + failed + "; the CHECK may be unsatisfiable, or pgprop"
                    + " draws outside it: supply the columns it names with withColumn(\"" + p.table.datasetName()
                    + "\", column, <an Arbitrary>)");
        }
        return false;
    }

    /** The name of the first check the row breaks, or null. */
    private @Nullable String firstFailing(TablePlan p, Map<String, @Nullable Object> row, List<TablePlan.Check> checks) {
        for (TablePlan.Check c : checks) {
            if (!holds(p, c, row)) {
                return "CHECK " + c.name() + " (" + c.expression() + ")";
            }
        }
        return null;
    }

    private boolean holds(TablePlan p, TablePlan.Check c, Map<String, @Nullable Object> row) {
        Map<String, @Nullable Object> values = row;
        java.util.function.Function<String, PgType> types = p::type;
        if (c.domainColumn() != null) {
            Map<String, @Nullable Object> v = new HashMap<>();
            v.put("VALUE", row.get(c.domainColumn()));
            values = v;
            PgType base = p.type(c.domainColumn()).underlying();
            types = n -> base;
            if (v.get("VALUE") == null) {
                return true;
            }
        }
        if (c.parsed() != null) {
            try {
                return Eval.holds(c.parsed(), values, types);
            } catch (Eval.Unevaluable e) {
                // the server decides
            }
        }
        if (server == null && c.name().startsWith("generated column ")) {
            return true; // without a database, a generated column's expression is not checked
        }
        if (server == null) {
            throw new SchemaGenerationException(p.table.qualifiedName(), "CHECK " + c.name() + " (" + c.expression()
                    + ") of " + p.table.qualifiedName() + " has a shape pgprop evaluates on the server, but this"
                    + " arbitrary has no database: build it with SchemaArbitraries.from(db) rather than from a Schema");
        }
        if (c.domainColumn() != null) {
            Column col = p.table.column(c.domainColumn());
            return server.holds("true", List.of(col), row);
        }
        List<Column> cols = p.output.stream().filter(col -> row.containsKey(col.name())).toList();
        return server.holds(c.expression(), cols, row);
    }

    // ---- resolution ----

    private Dataset resolve(List<List<Seed>> seeds) {
        List<List<Map<String, @Nullable Object>>> rows = new ArrayList<>();
        ParentIndex index = new ParentIndex();
        for (int t = 0; t < plans.size(); t++) {
            rows.add(resolveTable(plans.get(t), seeds.get(t), rows, index));
        }
        fillDeferred(seeds, rows);
        fillLate(rows);
        dropDangling(rows);
        Dataset d = Dataset.empty();
        for (int t = 0; t < plans.size(); t++) {
            TablePlan p = plans.get(t);
            List<Row> out = new ArrayList<>(rows.get(t).size());
            int n = p.output.size();
            for (Map<String, @Nullable Object> r : rows.get(t)) {
                // column/value pairs in column order: the row is built from them without a map in between
                Object[] pairs = new Object[2 * n];
                for (int i = 0; i < n; i++) {
                    Column c = p.output.get(i);
                    pairs[2 * i] = c.name();
                    pairs[2 * i + 1] = Values.output(c.type(), r.get(c.name()));
                }
                out.add(Row.of(pairs));
            }
            d = d.with(p.table.datasetName(), out);
        }
        return d;
    }

    private List<Map<String, @Nullable Object>> resolveTable(TablePlan p, List<Seed> seeds,
                                                           List<List<Map<String, @Nullable Object>>> done, ParentIndex index) {
        List<Map<String, @Nullable Object>> kept = new ArrayList<>();
        List<Set<Object>> keys = new ArrayList<>();
        for (int u = 0; u < p.uniques.size(); u++) {
            keys.add(new HashSet<>());
        }
        for (Seed s : seeds) {
            // a row whose keys meet a CHECK, a unique key or an exclusion badly tries other parents before it goes
            int attempts = p.fks.isEmpty() ? 1 : PICK_ATTEMPTS;
            for (int a = 0; a < attempts; a++) {
                Map<String, @Nullable Object> row = attempt(p, s, a, done, kept, keys, index);
                if (row != null) {
                    for (int u = 0; u < p.uniques.size(); u++) {
                        Object k = uniqueKey(p, u, row);
                        if (k != null) {
                            keys.get(u).add(k);
                        }
                    }
                    kept.add(row);
                    p.rowHits.incrementAndGet();
                    break;
                }
            }
        }
        return kept;
    }

    /** The seed resolved with its parent picks shifted by {@code shift}; null when it cannot be a valid row. */
    private @Nullable Map<String, @Nullable Object> attempt(TablePlan p, Seed s, int shift,
                                                          List<List<Map<String, @Nullable Object>>> done,
                                                          List<Map<String, @Nullable Object>> kept, List<Set<Object>> keys,
                                                          ParentIndex index) {
        Map<String, @Nullable Object> row = new HashMap<>();
        for (int i = 0; i < p.drawn.size(); i++) {
            row.put(p.drawn.get(i).name(), s.values()[i]);
        }
        for (int f = 0; f < p.fks.size(); f++) {
            TablePlan.Fk fk = p.fks.get(f);
            if (fk.self() || fk.deferredFill()) {
                continue;
            }
            if (fk.later()) {
                setNull(row, fk, p);
                continue;
            }
            if (!reference(row, fk, s.picks()[f] + shift * (f + 1), s.nulls()[f], done.get(fk.parent().index), index, p)) {
                return null;
            }
        }
        applyRules(p, row);
        Set<String> changed = new HashSet<>();
        if (!repairUniques(p, row, kept, keys, changed)) {
            return null;
        }
        for (int f = 0; f < p.fks.size(); f++) {
            TablePlan.Fk fk = p.fks.get(f);
            if (fk.self()) {
                List<Map<String, @Nullable Object>> candidates = new ArrayList<>(kept);
                candidates.add(row);
                if (!reference(row, fk, s.picks()[f] + shift * (f + 1), s.nulls()[f], candidates, null, p)) {
                    return null;
                }
            }
        }
        if (collides(p, row, keys) || !rowValid(p, row, changed) || excluded(p, row, kept)) {
            return null;
        }
        return row;
    }

    private static void setNull(Map<String, @Nullable Object> row, TablePlan.Fk fk, TablePlan p) {
        for (String c : fk.constraint().columns()) {
            if (p.drawnIndex(c) < 0) {
                row.put(c, null);
            }
        }
    }

    /**
     * Points the row at a parent (or NULL); false when it cannot and the row must go. {@code index}
     * (null: scan) serves parents lists that no longer change.
     */
    private boolean reference(Map<String, @Nullable Object> row, TablePlan.Fk fk, int pick, boolean wantsNull,
                              List<Map<String, @Nullable Object>> parents, @Nullable ParentIndex index, TablePlan p) {
        List<String> cols = fk.constraint().columns();
        List<String> refs = fk.constraint().referencedColumns();
        if (wantsNull && fk.nullable()) {
            setNull(row, fk, p);
            return true;
        }
        // columns already set (shared with an earlier key, pinned or drawn) must agree with the parent
        List<Map<String, @Nullable Object>> candidates = index != null ? index.candidates(row, fk, parents)
                : ParentIndex.scan(row, cols, refs, parents);
        if (candidates.isEmpty()) {
            if (fk.nullable()) {
                setNull(row, fk, p);
                return true;
            }
            // MATCH SIMPLE: one NULL column makes the key unchecked
            if (!fk.constraint().matchFull()) {
                for (String c : cols) {
                    if (p.drawnIndex(c) < 0 && p.table.column(c).nullable()) {
                        row.put(c, null);
                        cols.forEach(x -> row.putIfAbsent(x, null));
                        return true;
                    }
                }
            }
            return false;
        }
        Map<String, @Nullable Object> parent = candidates.get(Math.floorMod(pick, candidates.size()));
        for (int i = 0; i < cols.size(); i++) {
            row.put(cols.get(i), parent.get(refs.get(i)));
        }
        return true;
    }

    /**
     * The parents a row can reference through a foreign key, in the parents' order, grouped by the
     * values of the key's columns the row already has: built once per parents list, key and set of
     * columns, where a scan would cost one pass over the parents per row.
     */
    static final class ParentIndex {
        private final Map<List<Map<String, @Nullable Object>>, Map<TablePlan.Fk, Map<Integer, Map<List<Object>, List<Map<String, @Nullable Object>>>>>>
                byParents = new IdentityHashMap<>();

        List<Map<String, @Nullable Object>> candidates(Map<String, @Nullable Object> row, TablePlan.Fk fk,
                                                       List<Map<String, @Nullable Object>> parents) {
            List<String> cols = fk.constraint().columns();
            List<String> refs = fk.constraint().referencedColumns();
            int mask = 0;
            List<Object> probe = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                Object v = row.get(cols.get(i));
                if (v != null) {
                    mask |= 1 << i;
                    probe.add(Values.key(v));
                }
            }
            int set = mask;
            Map<List<Object>, List<Map<String, @Nullable Object>>> groups = byParents.computeIfAbsent(parents, k -> new IdentityHashMap<>())
                    .computeIfAbsent(fk, k -> new HashMap<>()).computeIfAbsent(set, k -> group(refs, set, parents));
            return groups.getOrDefault(probe, List.of());
        }

        private static Map<List<Object>, List<Map<String, @Nullable Object>>> group(List<String> refs, int mask,
                                                                                    List<Map<String, @Nullable Object>> parents) {
            Map<List<Object>, List<Map<String, @Nullable Object>>> groups = new HashMap<>();
            for (Map<String, @Nullable Object> parent : parents) {
                if (complete(refs, parent)) {
                    List<Object> key = new ArrayList<>();
                    for (int i = 0; i < refs.size(); i++) {
                        if ((mask & (1 << i)) != 0) {
                            key.add(Values.key(parent.get(refs.get(i))));
                        }
                    }
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(parent);
                }
            }
            return groups;
        }

        static List<Map<String, @Nullable Object>> scan(Map<String, @Nullable Object> row, List<String> cols, List<String> refs,
                                                        List<Map<String, @Nullable Object>> parents) {
            List<Map<String, @Nullable Object>> candidates = new ArrayList<>();
            for (Map<String, @Nullable Object> parent : parents) {
                boolean agrees = complete(refs, parent);
                for (int i = 0; i < cols.size() && agrees; i++) {
                    Object v = row.get(cols.get(i));
                    if (v != null) {
                        agrees = Values.key(v).equals(Values.key(parent.get(refs.get(i))));
                    }
                }
                if (agrees) {
                    candidates.add(parent);
                }
            }
            return candidates;
        }

        private static boolean complete(List<String> refs, Map<String, @Nullable Object> parent) {
            for (String r : refs) {
                if (parent.get(r) == null) {
                    return false;
                }
            }
            return true;
        }
    }

    private void applyRules(TablePlan p, Map<String, @Nullable Object> row) {
        for (Map.Entry<String, ColumnRule> e : p.rules.entrySet()) {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            for (Column c : p.output) {
                if (row.containsKey(c.name())) {
                    m.put(c.name(), Values.output(c.type(), row.get(c.name())));
                }
            }
            row.put(e.getKey(), e.getValue().value(Row.of(m)));
        }
    }

    /** The key of the row under the table's unique key numbered {@code u}; null when a NULL leaves the row unchecked. */
    private static @Nullable Object uniqueKey(TablePlan p, int u, Map<String, @Nullable Object> row) {
        Constraint con = p.uniques.get(u);
        boolean nnd = con instanceof Constraint.Unique un && un.nullsNotDistinct();
        List<String> columns = p.uniqueColumns.get(u);
        if (columns.size() == 1) {
            // a one-column key is its value's key alone: cheaper to hash in the sets of keys seen
            Object v = row.get(columns.get(0));
            return v == null && !nnd ? null : valueKey(p, u, v);
        }
        List<Object> key = new ArrayList<>(columns.size());
        for (String c : columns) {
            Object v = row.get(c);
            if (v == null && !nnd) {
                return null;
            }
            key.add(valueKey(p, u, v));
        }
        return columns.isEmpty() ? null : key;
    }

    /** One value's part of a key of the unique key numbered {@code u} (an expression key folds text). */
    private static Object valueKey(TablePlan p, int u, @Nullable Object v) {
        Object k = Values.key(v);
        return p.uniques.get(u) instanceof Constraint.Unique un && un.expressionKeys() && k instanceof String s
                ? s.toLowerCase(java.util.Locale.ROOT).strip() : k;
    }

    private boolean repairUniques(TablePlan p, Map<String, @Nullable Object> row, List<Map<String, @Nullable Object>> kept,
                                  List<Set<Object>> keys, Set<String> changed) {
        for (int u = 0; u < p.uniques.size(); u++) {
            Object key = uniqueKey(p, u, row);
            if (key == null || !keys.get(u).contains(key)) {
                continue;
            }
            boolean repaired = false;
            for (String col : p.uniqueColumns.get(u)) {
                int i = p.drawnIndex(col);
                if (i < 0 || p.fixed.contains(col) || row.get(col) == null) {
                    continue;
                }
                Object base = row.get(col);
                // a variant of this column changes only the keys that hold it: one that does not and
                // collides now collides for every variant
                List<Integer> holding = new ArrayList<>();
                boolean others = false;
                for (int w = 0; w < p.uniques.size(); w++) {
                    if (p.uniqueColumns.get(w).contains(col)) {
                        holding.add(w);
                    } else if (!others) {
                        Object k = uniqueKey(p, w, row);
                        others = k != null && keys.get(w).contains(k);
                    }
                }
                // keys of this column alone are the variant's own keys: looked up without setting it in the row
                boolean alone = true;
                for (int w : holding) {
                    alone &= p.uniqueColumns.get(w).size() == 1;
                }
                for (int k = 1; k <= VARIANTS && !repaired && !others; k++) {
                    Object v = p.gens.get(i).variants().variant(base, k);
                    if (v == null) {
                        break;
                    }
                    boolean collided = false;
                    if (alone) {
                        for (int w = 0; w < holding.size() && !collided; w++) {
                            collided = keys.get(holding.get(w)).contains(valueKey(p, holding.get(w), v));
                        }
                    } else {
                        row.put(col, v);
                        collided = collides(p, row, keys, holding);
                    }
                    if (!collided) {
                        row.put(col, v);
                        if (columnValid(p, row, col)) {
                            repaired = true;
                            changed.add(col);
                        }
                    }
                }
                if (repaired) {
                    break;
                }
                row.put(col, base);
            }
            if (!repaired) {
                return false;
            }
        }
        return true;
    }

    /** Does the row collide on one of the unique keys numbered {@code which}? */
    private static boolean collides(TablePlan p, Map<String, @Nullable Object> row, List<Set<Object>> keys, List<Integer> which) {
        for (int u : which) {
            Object key = uniqueKey(p, u, row);
            if (key != null && keys.get(u).contains(key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean collides(TablePlan p, Map<String, @Nullable Object> row, List<Set<Object>> keys) {
        for (int u = 0; u < p.uniques.size(); u++) {
            Object key = uniqueKey(p, u, row);
            if (key != null && keys.get(u).contains(key)) {
                return true;
            }
        }
        return false;
    }

    private boolean columnValid(TablePlan p, Map<String, @Nullable Object> row, String column) {
        for (TablePlan.Check c : p.checks) {
            if (c.columns().contains(column) && hasAll(row, c.columns()) && !holds(p, c, row)) {
                return false;
            }
        }
        return p.partition == null || !p.partition.column.equals(column)
                || p.partition.holds(p.type(column), row.get(column));
    }

    /** Checks not already settled by the seed filter: those on foreign keys, rules and repaired columns. */
    private boolean rowValid(TablePlan p, Map<String, @Nullable Object> row, Set<String> changed) {
        for (TablePlan.Check c : p.checks) {
            if (!hasAll(row, c.columns())) {
                continue; // it names a column the server fills (a sequence): nothing to draw for it
            }
            boolean settled = drawnOnly(p, c) && (changed.isEmpty() || c.columns().stream().noneMatch(changed::contains));
            if (!settled && !holds(p, c, row)) {
                p.rowMisses.computeIfAbsent(c.name(), k -> new AtomicLong()).incrementAndGet();
                unsatisfiable(p, c.name() + " (" + c.expression() + ")");
                return false;
            }
        }
        if (p.partition != null && p.drawnIndex(p.partition.column) < 0
                && !p.partition.holds(p.type(p.partition.column), row.get(p.partition.column))) {
            p.rowMisses.computeIfAbsent("partition", k -> new AtomicLong()).incrementAndGet();
            unsatisfiable(p, "the partition bounds");
            return false;
        }
        return true;
    }

    private static void unsatisfiable(TablePlan p, String what) {
        long misses = p.rowMisses.values().stream().mapToLong(AtomicLong::get).sum();
        if (p.rowHits.get() == 0 && misses >= MISS_LIMIT / 10) {
            throw new SchemaGenerationException(p.table.qualifiedName(), "no row of " + p.table.qualifiedName()
                    + " satisfied CHECK " + what + " in " + misses + " attempts once its foreign keys and rules were"
                    + " set; the CHECK may be unsatisfiable with the rows its keys reference: supply the columns with"
                    + " withColumn or withRule");
        }
    }

    /** Best effort for EXCLUDE: a row that conflicts with a kept one (as Java reads the operators) goes. */
    private static boolean excluded(TablePlan p, Map<String, @Nullable Object> row, List<Map<String, @Nullable Object>> kept) {
        for (Constraint.Exclusion ex : p.exclusions) {
            for (Map<String, @Nullable Object> other : kept) {
                boolean conflict = true;
                for (int i = 0; i < ex.columns().size() && conflict; i++) {
                    String col = ex.columns().get(i);
                    Object a = row.get(col);
                    Object b = other.get(col);
                    if (a == null || b == null) {
                        conflict = false;
                    } else if (ex.operators().get(i).equals("=")) {
                        conflict = Values.key(a).equals(Values.key(b));
                    } else if (ex.operators().get(i).equals("&&") && a instanceof Range ra && b instanceof Range rb) {
                        PgType sub = p.type(col).underlying().element().orElseThrow();
                        try {
                            conflict = ra.overlaps(rb, (x, y) -> Values.compare(sub, x, y));
                        } catch (IllegalArgumentException e) {
                            conflict = true;
                        }
                    } else if (ex.operators().get(i).equals("<>")) {
                        conflict = !Values.key(a).equals(Values.key(b));
                    } // any other operator: assume it conflicts (conservative)
                }
                if (conflict) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The safety net: a row whose non-NULL key has no parent row goes, and so do its children,
     * until every key holds. By construction nothing is dropped here but the rows of a deferred
     * key whose parent table came out empty.
     */
    private void dropDangling(List<List<Map<String, @Nullable Object>>> rows) {
        // a key is checked again only when its parent table lost rows since it was last checked (the
        // rows left are the same whatever the order of the checks); the sets of parent keys are kept
        // while their table is unchanged, and shared by the keys that reference the same columns
        int[] version = new int[plans.size()];
        Map<TablePlan.Fk, Integer> checkedAt = new IdentityHashMap<>();
        Map<List<Object>, Set<Object>> parentKeySets = new HashMap<>();
        Map<List<Object>, Integer> parentKeyVersions = new HashMap<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (TablePlan p : plans) {
                for (TablePlan.Fk fk : p.fks) {
                    int parentIndex = fk.parent().index;
                    Integer at = checkedAt.get(fk);
                    if (at != null && at == version[parentIndex]) {
                        continue;
                    }
                    checkedAt.put(fk, version[parentIndex]);
                    List<Object> setKey = List.of(parentIndex, fk.constraint().referencedColumns());
                    Set<Object> parentKeys = parentKeySets.get(setKey);
                    if (parentKeys == null || parentKeyVersions.get(setKey) != version[parentIndex]) {
                        parentKeys = new HashSet<>();
                        for (Map<String, @Nullable Object> parent : rows.get(parentIndex)) {
                            parentKeys.add(fkKey(parent, fk.constraint().referencedColumns()));
                        }
                        parentKeySets.put(setKey, parentKeys);
                        parentKeyVersions.put(setKey, version[parentIndex]);
                    }
                    List<String> columns = fk.constraint().columns();
                    List<Map<String, @Nullable Object>> table = rows.get(p.index);
                    for (int r = table.size() - 1; r >= 0; r--) {
                        Map<String, @Nullable Object> row = table.get(r);
                        int nulls = 0;
                        for (String c : columns) {
                            nulls += row.get(c) == null ? 1 : 0;
                        }
                        boolean unchecked = fk.constraint().matchFull() ? nulls == columns.size() : nulls > 0;
                        if (!unchecked && !parentKeys.contains(fkKey(row, fk.constraint().columns()))) {
                            table.remove(r);
                            version[p.index]++;
                            changed = true;
                        }
                    }
                }
            }
        }
    }

    /** A key's values as a set of parent keys holds them (one column: its value's key alone). */
    private static Object fkKey(Map<String, @Nullable Object> row, List<String> columns) {
        if (columns.size() == 1) {
            return Values.key(row.get(columns.get(0)));
        }
        List<Object> k = new ArrayList<>(columns.size());
        for (String c : columns) {
            k.add(Values.key(row.get(c)));
        }
        return k;
    }

    /** Keys initially deferred whose parent comes later: filled now that every table is drawn. */
    private void fillDeferred(List<List<Seed>> seeds, List<List<Map<String, @Nullable Object>>> rows) {
        for (TablePlan p : plans) {
            for (int f = 0; f < p.fks.size(); f++) {
                TablePlan.Fk fk = p.fks.get(f);
                if (!fk.deferredFill()) {
                    continue;
                }
                List<Map<String, @Nullable Object>> parents = rows.get(fk.parent().index);
                List<Map<String, @Nullable Object>> table = rows.get(p.index);
                ParentIndex index = new ParentIndex(); // the parent table does not change here
                for (int r = table.size() - 1; r >= 0; r--) {
                    Map<String, @Nullable Object> row = table.get(r);
                    int pick = Math.floorMod(r * 31 + f, Math.max(parents.size(), 1));
                    if (!reference(row, fk, pick, false, parents, index, p)) {
                        fk.constraint().columns().forEach(c -> row.putIfAbsent(c, "\u0000dangling"));
                    }
                }
            }
        }
    }

    /**
     * Nullable keys whose parent comes later (a cycle closed by a key that is not deferred):
     * drawn NULL, then, for three rows in four, pointed at a parent where the row stays valid
     * (its unique keys, CHECKs and exclusions still hold). The loader inserts the row with the
     * key NULL and sets it once the parent is in.
     */
    private void fillLate(List<List<Map<String, @Nullable Object>>> rows) {
        for (TablePlan p : plans) {
            for (int f = 0; f < p.fks.size(); f++) {
                TablePlan.Fk fk = p.fks.get(f);
                List<Map<String, @Nullable Object>> parents = rows.get(fk.parent().index);
                if (!fk.later() || fk.deferredFill() || parents.isEmpty()) {
                    continue;
                }
                List<Map<String, @Nullable Object>> table = rows.get(p.index);
                List<Set<Object>> keys = new ArrayList<>();
                for (int u = 0; u < p.uniques.size(); u++) {
                    Set<Object> k = new HashSet<>();
                    for (Map<String, @Nullable Object> row : table) {
                        Object key = uniqueKey(p, u, row);
                        if (key != null) {
                            k.add(key);
                        }
                    }
                    keys.add(k);
                }
                ParentIndex index = new ParentIndex(); // the parent table does not change here
                for (int r = 0; r < table.size(); r++) {
                    if (Math.floorMod(r * 31 + f, 4) == 3) {
                        continue; // this row keeps its NULL
                    }
                    Map<String, @Nullable Object> row = table.get(r);
                    Map<String, @Nullable Object> before = new HashMap<>(row);
                    forEachKey(p, row, keys, Set::remove);
                    // the other rows, for exclusions only (a copy of the table per row)
                    List<Map<String, @Nullable Object>> others = p.exclusions.isEmpty() ? List.of() : new ArrayList<>(table);
                    if (!others.isEmpty()) {
                        others.remove(r);
                    }
                    boolean valid = reference(row, fk, Math.floorMod(r * 31 + f, parents.size()), false, parents, index, p)
                            && !collides(p, row, keys) && !excluded(p, row, others);
                    for (int i = 0; valid && i < fk.constraint().columns().size(); i++) {
                        valid = columnValid(p, row, fk.constraint().columns().get(i));
                    }
                    if (!valid) {
                        row.clear();
                        row.putAll(before);
                    }
                    forEachKey(p, row, keys, Set::add);
                }
            }
        }
    }

    private static void forEachKey(TablePlan p, Map<String, @Nullable Object> row, List<Set<Object>> keys,
                                   java.util.function.BiConsumer<Set<Object>, Object> action) {
        for (int u = 0; u < p.uniques.size(); u++) {
            Object key = uniqueKey(p, u, row);
            if (key != null) {
                action.accept(keys.get(u), key);
            }
        }
    }
}

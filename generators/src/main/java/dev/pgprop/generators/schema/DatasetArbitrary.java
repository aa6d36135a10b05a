package dev.pgprop.generators.schema;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.internal.schema.DatasetPlan;
import dev.pgprop.generators.internal.schema.ServerEval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.arbitraries.ArbitraryDecorator;
import org.jspecify.annotations.Nullable;

/**
 * An arbitrary of valid datasets for a schema, and its spec: which tables, how many rows each,
 * and per-column overrides, pins and rules. Immutable: every {@code withX} returns a new spec and
 * checks its argument against the schema. Use it wherever jqwik takes an {@code
 * Arbitrary<Dataset>}.
 *
 * <pre>{@code
 * Arbitrary<Dataset> data = SchemaArbitraries.from(db)
 *         .tables("rental", "payment")                  // and what they reference
 *         .withRows(0, 3)                               // every table
 *         .withRows("rental", 1, 10)
 *         .withColumn("customer", "email", Arbitraries.strings().alpha().ofLength(8).map(s -> s + "@example.com"))
 *         .withValue("store", "active", true)
 *         .withRule("rental", "return_date", row -> ((LocalDateTime) row.get("rental_date")).plusDays(3));
 * }</pre>
 *
 * <p>Rows are resolved from their draws in foreign-key order: a row references a parent drawn in
 * the same dataset (or NULL, where its key is nullable, one time in five by default); a row that
 * cannot be made valid (its only possible parent is gone, its unique key cannot be repaired, an
 * exclusion constraint refuses it) is left out, so a table may have fewer rows than drawn. Serial
 * and identity columns are left to their sequence unless a foreign key references them;
 * generated columns are never written.
 */
public final class DatasetArbitrary extends ArbitraryDecorator<Dataset> {
    private final Schema schema;
    private final @Nullable ServerEval server;
    private final List<String> tables;
    private final Map<String, int[]> rows;
    private final int minRows;
    private final int maxRows;
    private final Map<String, Map<String, Arbitrary<?>>> overrides;
    private final Map<String, Map<String, Object>> pins;
    private final Map<String, Map<String, ColumnRule>> rules;
    private final double nullProbability;
    private @Nullable Arbitrary<Dataset> built;

    private DatasetArbitrary(Schema schema, @Nullable ServerEval server, List<String> tables, Map<String, int[]> rows,
                             int minRows, int maxRows, Map<String, Map<String, Arbitrary<?>>> overrides,
                             Map<String, Map<String, Object>> pins, Map<String, Map<String, ColumnRule>> rules,
                             double nullProbability) {
        this.schema = schema;
        this.server = server;
        this.tables = List.copyOf(tables);
        this.rows = Map.copyOf(rows);
        this.minRows = minRows;
        this.maxRows = maxRows;
        this.overrides = overrides;
        this.pins = pins;
        this.rules = rules;
        this.nullProbability = nullProbability;
    }

    static DatasetArbitrary of(Schema schema, @Nullable ServerEval server) {
        return new DatasetArbitrary(schema, server, List.of(), Map.of(), 0, 4, Map.of(), Map.of(), Map.of(), 0.2);
    }

    /** The schema model it draws for. */
    public Schema schema() {
        return schema;
    }

    /** Only these tables and every table they reference (by default: every table of the schema). */
    public DatasetArbitrary tables(String... names) {
        List<String> list = new ArrayList<>();
        for (String n : names) {
            list.add(schema.table(n).qualifiedName());
        }
        return new DatasetArbitrary(schema, server, list, rows, minRows, maxRows, overrides, pins, rules, nullProbability);
    }

    /** Rows per table for every table not given its own count (default 0 to 4). */
    public DatasetArbitrary withRows(int min, int max) {
        checkRows(min, max);
        return new DatasetArbitrary(schema, server, tables, rows, min, max, overrides, pins, rules, nullProbability);
    }

    /** Rows drawn for one table (before rows that cannot be made valid are left out). */
    public DatasetArbitrary withRows(String table, int min, int max) {
        checkRows(min, max);
        Map<String, int[]> m = new LinkedHashMap<>(rows);
        m.put(schema.table(table).qualifiedName(), new int[] {min, max});
        return new DatasetArbitrary(schema, server, tables, m, minRows, maxRows, overrides, pins, rules, nullProbability);
    }

    private static void checkRows(int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("row counts must satisfy 0 <= min <= max, but are " + min + ".." + max);
        }
    }

    /** This column's values come from {@code values} (the catalog's CHECKs still filter the rows). */
    public DatasetArbitrary withColumn(String table, String column, Arbitrary<?> values) {
        Objects.requireNonNull(values, "values");
        return new DatasetArbitrary(schema, server, tables, rows, minRows, maxRows, put(overrides, table, column, values),
                pins, rules, nullProbability);
    }

    /** This column always holds {@code value} (null allowed). */
    public DatasetArbitrary withValue(String table, String column, @Nullable Object value) {
        return new DatasetArbitrary(schema, server, tables, rows, minRows, maxRows, overrides,
                put(pins, table, column, value), rules, nullProbability);
    }

    /** This column is computed from the row by a Java rule (see {@link ColumnRule}). */
    public DatasetArbitrary withRule(String table, String column, ColumnRule rule) {
        Objects.requireNonNull(rule, "rule");
        return new DatasetArbitrary(schema, server, tables, rows, minRows, maxRows, overrides, pins,
                put(rules, table, column, rule), nullProbability);
    }

    /** How often a nullable column or foreign key is NULL (default 0.2; 0 never). */
    public DatasetArbitrary withNullProbability(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a probability is between 0 and 1, but is " + probability);
        }
        return new DatasetArbitrary(schema, server, tables, rows, minRows, maxRows, overrides, pins, rules, probability);
    }

    private <T> Map<String, Map<String, T>> put(Map<String, Map<String, T>> m, String table, String column, @Nullable T value) {
        Table t = schema.table(table);
        t.column(column); // names the columns it has when it has no such column
        Map<String, Map<String, T>> out = new LinkedHashMap<>(m);
        Map<String, T> inner = new LinkedHashMap<>(out.getOrDefault(t.qualifiedName(), Map.of()));
        inner.put(column, value);
        out.put(t.qualifiedName(), java.util.Collections.unmodifiableMap(inner));
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    protected synchronized Arbitrary<Dataset> arbitrary() {
        if (built == null) {
            built = DatasetPlan.of(new DatasetPlan.Spec(schema, tables, rows, minRows, maxRows, overrides, pins, rules,
                    nullProbability, server)).arbitrary();
        }
        return built;
    }

    @Override
    public String toString() {
        return "DatasetArbitrary" + (tables.isEmpty() ? schema.schemas() : tables) + " rows " + minRows + ".." + maxRows
                + (rows.isEmpty() ? "" : " " + rows.entrySet().stream().map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).toList());
    }
}

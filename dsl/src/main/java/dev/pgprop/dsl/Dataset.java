package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.SqlLiterals;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An immutable dataset: tables, each a list of {@link Row}s. A scenario's {@code given} loads it
 * in foreign-key order (read from the catalog); it prints itself as runnable SQL; failure reports
 * write it as the minimal case. Table order is the order tables were first added, which {@link
 * #toSql()} follows: add parents before children.
 *
 * <pre>{@code
 * Dataset data = Dataset.empty()
 *     .plus("inventory", Row.of("sku", "SKU-000001", "on_hand", 5))
 *     .plus("allocations", Row.of("id", UUID.randomUUID(), "sku", "SKU-000001", "quantity", 2, "status", "allocated"));
 * System.out.println(data.toSql());
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Dataset {
    private static final Dataset EMPTY = new Dataset(new LinkedHashMap<>());

    private final Map<String, List<Row>> tables;

    private Dataset(LinkedHashMap<String, List<Row>> tables) {
        this.tables = Collections.unmodifiableMap(tables);
    }

    public static Dataset empty() {
        return EMPTY;
    }

    /** A dataset of one table. */
    public static Dataset of(String table, List<Row> rows) {
        return EMPTY.with(table, rows);
    }

    /** A new dataset with this table's rows replaced (or the table added at the end). */
    public Dataset with(String table, List<Row> rows) {
        validTable(table);
        Objects.requireNonNull(rows, "rows");
        LinkedHashMap<String, List<Row>> m = new LinkedHashMap<>(tables);
        m.put(table, List.copyOf(rows));
        return new Dataset(m);
    }

    /** A new dataset with one more row in this table. */
    public Dataset plus(String table, Row row) {
        Objects.requireNonNull(row, "row");
        List<Row> rows = new ArrayList<>(rows(table));
        rows.add(row);
        return with(table, rows);
    }

    /** Every table of {@code other} added (rows appended to tables both have). */
    public Dataset plus(Dataset other) {
        Dataset d = this;
        for (String t : other.tables()) {
            List<Row> rows = new ArrayList<>(d.rows(t));
            rows.addAll(other.rows(t));
            d = d.with(t, rows);
        }
        return d;
    }

    private static void validTable(String table) {
        Objects.requireNonNull(table, "table");
        if (table.isBlank()) {
            throw new IllegalArgumentException("a table name is blank");
        }
    }

    /** Table names in the order they were first added. */
    public List<String> tables() {
        return List.copyOf(tables.keySet());
    }

    /** This table's rows; empty when the dataset has no such table. */
    public List<Row> rows(String table) {
        return tables.getOrDefault(table, List.of());
    }

    public int rowCount() {
        return tables.values().stream().mapToInt(List::size).sum();
    }

    public int rowCount(String table) {
        return rows(table).size();
    }

    public boolean isEmpty() {
        return rowCount() == 0;
    }

    /** Runnable SQL: one INSERT per row, tables in this dataset's order. */
    public String toSql() {
        return toSql(tables());
    }

    /** Runnable SQL with tables in the given order (tables not named follow in dataset order). */
    public String toSql(List<String> tableOrder) {
        List<String> order = new ArrayList<>();
        for (String t : tableOrder) {
            if (tables.containsKey(t) && !order.contains(t)) {
                order.add(t);
            }
        }
        for (String t : tables.keySet()) {
            if (!order.contains(t)) {
                order.add(t);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String t : order) {
            for (Row r : rows(t)) {
                b.append(SqlLiterals.insert(t, r)).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && d.tables.equals(tables);
    }

    @Override
    public int hashCode() {
        return tables.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Dataset{");
        tables.forEach((t, rows) -> b.append(b.length() == 8 ? "" : ", ").append(t).append('=').append(rows.size()).append(" rows"));
        return b.append('}').toString();
    }
}

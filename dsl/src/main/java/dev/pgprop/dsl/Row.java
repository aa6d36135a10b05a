package dev.pgprop.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One row of a {@link Dataset}: column names to values, in column order. Immutable.
 *
 * <p>Values are plain Java: {@code String}, numbers, {@code Boolean}, {@code UUID}, {@code
 * Instant}/{@code OffsetDateTime}/{@code LocalDate}/{@code LocalDateTime}, {@code float[]} or
 * {@code PGvector} for vectors, {@code Map}/{@code List} for jsonb, {@code byte[]} for bytea, and
 * {@code null}.
 *
 * <pre>{@code
 * Row item = Row.of("sku", "SKU-000001", "on_hand", 5);
 * Row more = item.with("on_hand", 6);
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Row {
    private final Map<String, @Nullable Object> values;

    private Row(Map<String, @Nullable Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** A row from column/value pairs: {@code Row.of("id", 1, "label", "a")}. */
    public static Row of(@Nullable Object... columnsAndValues) {
        if (columnsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Row.of takes column/value pairs, but got " + columnsAndValues.length
                    + " arguments; add the missing value (null is allowed)");
        }
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            if (!(columnsAndValues[i] instanceof String column)) {
                throw new IllegalArgumentException("argument " + i + " of Row.of must be a column name (String), but is "
                        + columnsAndValues[i]);
            }
            put(m, column, columnsAndValues[i + 1]);
        }
        return new Row(m);
    }

    /** A row from a map; iteration order of the map is the column order. */
    public static Row of(Map<String, ? extends @Nullable Object> values) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> put(m, k, v));
        return new Row(m);
    }

    private static void put(Map<String, @Nullable Object> m, String column, @Nullable Object value) {
        Objects.requireNonNull(column, "column");
        if (column.isBlank()) {
            throw new IllegalArgumentException("a column name is blank");
        }
        if (m.containsKey(column)) {
            throw new IllegalArgumentException("column '" + column + "' appears twice in one row");
        }
        m.put(column, value instanceof float[] f ? f.clone() : value);
    }

    /** A new row with this column set: in its place when present, at the end when new. */
    public Row with(String column, @Nullable Object value) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>(values);
        m.put(column, value instanceof float[] f ? f.clone() : value); // re-put keeps the position
        return new Row(m);
    }

    /** A new row without this column (so its default applies on insert). */
    public Row without(String column) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>(values);
        m.remove(column);
        return new Row(m);
    }

    public Set<String> columns() {
        return values.keySet();
    }

    public Map<String, @Nullable Object> values() {
        return values;
    }

    public boolean has(String column) {
        return values.containsKey(column);
    }

    public @Nullable Object get(String column) {
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException("row has no column '" + column + "'; it has " + values.keySet());
        }
        return values.get(column);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Row r) || !r.values.keySet().equals(values.keySet())) {
            return false;
        }
        for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), r.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
            Object v = e.getValue();
            h += e.getKey().hashCode() ^ java.util.Arrays.deepHashCode(new Object[] {v});
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        values.forEach((k, v) -> b.append(b.length() == 1 ? "" : ", ").append(k).append('=')
                .append(v instanceof float[] f ? java.util.Arrays.toString(f) : v instanceof Object[] a ? java.util.Arrays.deepToString(a) : v));
        return b.append('}').toString();
    }
}

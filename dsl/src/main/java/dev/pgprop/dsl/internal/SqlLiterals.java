package dev.pgprop.dsl.internal;

import com.pgvector.PGvector;
import dev.pgprop.dsl.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Renders Java values as PostgreSQL literals, for runnable SQL in reports. */
public final class SqlLiterals {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

    private SqlLiterals() {}

    /** An identifier, quoted only when it needs to be; {@code schema.table} keeps its dot. */
    public static String identifier(String name) {
        int dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith("\"")) {
            return identifier(name.substring(0, dot)) + "." + identifier(name.substring(dot + 1));
        }
        if (PLAIN_IDENTIFIER.matcher(name).matches()) {
            return name;
        }
        return Escape.sqlIdentifier(name);
    }

    public static String insert(String table, Row row) {
        return insertInto(identifier(table), row);
    }

    /** An INSERT into a table given as ready SQL (quoted, qualified as needed). */
    public static String insertInto(String tableSql, Row row) {
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner vals = new StringJoiner(", ");
        row.values().forEach((c, v) -> {
            cols.add(identifier(c));
            vals.add(literal(v));
        });
        if (row.columns().isEmpty()) {
            return "INSERT INTO " + tableSql + " DEFAULT VALUES;";
        }
        return "INSERT INTO " + tableSql + " (" + cols + ") VALUES (" + vals + ");";
    }

    public static String string(String s) {
        return Escape.sqlString(s);
    }

    public static String literal(@Nullable Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof String s) {
            return string(s);
        }
        if (v instanceof Character c) {
            return string(c.toString());
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "'" + (Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity") + "'::float8";
            }
            return v.toString();
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof UUID u) {
            return "'" + u + "'::uuid";
        }
        if (v instanceof Instant || v instanceof OffsetDateTime || v instanceof ZonedDateTime) {
            Instant i = v instanceof Instant in ? in : v instanceof OffsetDateTime o ? o.toInstant() : ((ZonedDateTime) v).toInstant();
            return "'" + i + "'::timestamptz";
        }
        if (v instanceof LocalDateTime ldt) {
            return "'" + ldt + "'::timestamp";
        }
        if (v instanceof LocalDate ld) {
            return "'" + ld + "'::date";
        }
        if (v instanceof LocalTime lt) {
            return "'" + lt + "'::time";
        }
        if (v instanceof float[] f) {
            return "'" + vectorText(f) + "'::vector";
        }
        if (v instanceof PGvector pv) {
            return "'" + vectorText(pv.toArray()) + "'::vector";
        }
        if (v instanceof byte[] bytes) {
            return "'\\x" + HexFormat.of().formatHex(bytes) + "'::bytea";
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            return string(Json.write(v)) + "::jsonb";
        }
        if (v instanceof Enum<?> e) {
            return string(e.name());
        }
        throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as SQL (" + v
                + "); use a String, number, Boolean, UUID, Instant, float[], Map/List (jsonb) or byte[]");
    }

    public static String vectorText(float[] f) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (float x : f) {
            j.add(Float.isNaN(x) ? "NaN" : Float.isInfinite(x) ? (x > 0 ? "Infinity" : "-Infinity") : Float.toString(x));
        }
        return j.toString();
    }
}

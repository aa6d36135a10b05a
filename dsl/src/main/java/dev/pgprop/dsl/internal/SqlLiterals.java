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
import java.util.List;
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
        return insertInto(identifier(table), row, c -> null);
    }

    /**
     * An INSERT into a table given as ready SQL (quoted, qualified as needed); {@code columnType}
     * gives a column's type ({@code format_type}) where it is known, else null.
     */
    public static String insertInto(String tableSql, Row row, java.util.function.Function<String, @Nullable String> columnType) {
        StringJoiner cols = new StringJoiner(", ");
        StringJoiner vals = new StringJoiner(", ");
        row.values().forEach((c, v) -> {
            cols.add(identifier(c));
            vals.add(literal(v, columnType.apply(c)));
        });
        if (row.columns().isEmpty()) {
            return "INSERT INTO " + tableSql + " DEFAULT VALUES;";
        }
        return "INSERT INTO " + tableSql + " (" + cols + ") VALUES (" + vals + ");";
    }

    public static String string(String s) {
        return Escape.sqlString(s);
    }

    /**
     * A literal for a column of a known type ({@code format_type}, such as {@code text[]} or
     * {@code jsonb}; null when unknown). For an array column, Java arrays and lists are written as
     * that array type (nested ones as more dimensions, nulls inside kept); for any other column as
     * {@link #literal(Object)}.
     */
    public static String literal(@Nullable Object v, @Nullable String columnType) {
        if (v != null && columnType != null && columnType.endsWith("[]") && isArrayValue(v)) {
            return string(arrayText(v, elementType(columnType))) + "::" + columnType;
        }
        return literal(v);
    }

    /** The element type of an array type ({@code text} for {@code text[]} and {@code text[][]}). */
    private static String elementType(String arrayType) {
        return arrayType.substring(0, arrayType.length() - 2).replaceAll("(\\[\\])+$", "");
    }

    /** A float[] element is a vector in a vector or halfvec array, and where the type is not known. */
    private static boolean isVector(String type) {
        return type.startsWith("vector") || type.startsWith("halfvec") || type.equals("unknown");
    }

    private static boolean isJson(String type) {
        return type.equals("jsonb") || type.equals("json");
    }

    /** A Java array (other than byte[], which is bytea) or a collection. */
    private static boolean isArrayValue(Object v) {
        return v instanceof Collection<?> || v.getClass().isArray() && !(v instanceof byte[]);
    }

    /** The text form of a PostgreSQL array: {@code {"a",NULL,{"b"}}}. */
    static String arrayText(Object v, String elementType) {
        StringJoiner j = new StringJoiner(",", "{", "}");
        for (Object e : elements(v)) {
            if (e == null) {
                j.add("NULL");
            } else if (!(e instanceof byte[]) && (e instanceof Collection<?> && !isJson(elementType)
                    || e.getClass().isArray() && !(e instanceof float[] && isVector(elementType)))) {
                j.add(arrayText(e, elementType));
            } else {
                String t = elementText(e, elementType);
                j.add("\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
        }
        return j.toString();
    }

    private static java.util.List<@Nullable Object> elements(Object v) {
        java.util.List<@Nullable Object> out = new java.util.ArrayList<>();
        if (v instanceof Collection<?> c) {
            out.addAll(c);
        } else {
            int n = java.lang.reflect.Array.getLength(v);
            for (int i = 0; i < n; i++) {
                out.add(java.lang.reflect.Array.get(v, i));
            }
        }
        return out;
    }

    /** One array element as PostgreSQL's input text for its type. */
    private static String elementText(Object e, String elementType) {
        boolean known = e instanceof String || e instanceof Number || e instanceof Boolean || e instanceof Character
                || e instanceof UUID || e instanceof Instant || e instanceof OffsetDateTime || e instanceof ZonedDateTime
                || e instanceof LocalDate || e instanceof LocalDateTime || e instanceof LocalTime || e instanceof float[]
                || e instanceof PGvector || e instanceof byte[] || e instanceof Map<?, ?> || e instanceof Collection<?>
                || e instanceof Enum<?>;
        if (!known) {
            throw new IllegalArgumentException("cannot write a " + e.getClass().getName() + " (" + e + ") as an element of a "
                    + elementType + " array; use a String, number, Boolean, UUID, a java.time value, float[], Map/List or byte[]");
        }
        return inputText(e);
    }

    /**
     * A value as PostgreSQL's input syntax reads it for a column whose {@code pg_type.typname} is
     * {@code typname}: an array type ({@code _text}, {@code _int4}, ...) takes Java arrays and lists
     * as arrays; anything else as {@link #inputText(Object)}.
     */
    public static String inputText(Object v, String typname) {
        if (typname.startsWith("_") && isArrayValue(v)) {
            return arrayText(v, typname.substring(1));
        }
        return inputText(v);
    }

    private static final Pattern MODIFIERS = Pattern.compile("\\([^)]*\\)");

    /**
     * Whether {@code v}, written as COPY text by {@link #copyText} into a column whose type (domains
     * resolved to their base type, as {@code format_type} prints it, with or without its modifiers:
     * {@code numeric(10,2)} or {@code numeric}) is {@code baseType}, is stored
     * as its {@link #literal(Object, String)} in an INSERT would be. True where that literal is a
     * string the column's input function reads (text, enums, arrays of the column's type), or a
     * value of the column's own type (an Instant in a timestamptz, a whole number in any number
     * type, a BigDecimal or double in a numeric or float); false where the INSERT would convert
     * the value with a cast (a BigDecimal with decimals into an integer, an Instant into a date, a
     * boolean into text), which COPY does not do.
     */
    public static boolean copiesAsInserted(@Nullable Object v, String baseType) {
        return copiesAsInserted(baseType).test(v);
    }

    /** {@link #copiesAsInserted(Object, String)} for one column type, to ask of many values. */
    public static java.util.function.Predicate<@Nullable Object> copiesAsInserted(String baseType) {
        String type = baseType.indexOf('(') < 0 ? baseType : MODIFIERS.matcher(baseType).replaceAll("");
        boolean array = type.endsWith("[]");
        boolean decimal = decimal(type);
        boolean whole = decimal || type.equals("smallint") || type.equals("integer") || type.equals("bigint");
        List<Class<?>> own = switch (type) {
            case "boolean" -> List.of(Boolean.class);
            case "uuid" -> List.of(UUID.class);
            case "timestamp with time zone" -> List.of(Instant.class, OffsetDateTime.class, ZonedDateTime.class);
            case "timestamp without time zone" -> List.of(LocalDateTime.class);
            case "date" -> List.of(LocalDate.class);
            case "time without time zone" -> List.of(LocalTime.class);
            case "vector" -> List.of(float[].class, PGvector.class);
            case "bytea" -> List.of(byte[].class);
            case "jsonb" -> List.of(Map.class, Collection.class);
            default -> List.of();
        };
        return v -> {
            if (v == null || v instanceof String || v instanceof Character || v instanceof Enum<?>) {
                return true;
            }
            if (array) {
                return isArrayValue(v);
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger
                    || v instanceof BigDecimal d && d.scale() <= 0) {
                return whole;
            }
            if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
                return decimal;
            }
            for (Class<?> c : own) {
                if (c.isInstance(v)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean decimal(String type) {
        return type.equals("numeric") || type.equals("real") || type.equals("double precision");
    }

    /**
     * {@code v} as COPY text for a column of {@code columnType} (as {@link #literal(Object,
     * String)} takes it): an array for an array column, else {@link #inputText(Object)}; COPY's
     * escapes are the writer's.
     */
    public static String copyText(Object v, @Nullable String columnType) {
        if (columnType != null && columnType.endsWith("[]") && isArrayValue(v)) {
            return arrayText(v, elementType(columnType));
        }
        return inputText(v);
    }

    /** A value as PostgreSQL's input syntax reads it (unquoted, unescaped): COPY text, array elements. */
    public static String inputText(Object v) {
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : v.toString();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (v instanceof ZonedDateTime z) {
            return z.toInstant().toString();
        }
        if (v instanceof float[] f) {
            return vectorText(f);
        }
        if (v instanceof PGvector p) {
            return vectorText(p.toArray());
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            return Json.write(v);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return v.toString();
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
        if (v.getClass().isArray()) {
            // an array of unknown column type: an untyped array literal, which an INSERT coerces to the column's type
            return string(arrayText(v, "unknown"));
        }
        throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as SQL (" + v
                + "); use a String, number, Boolean, UUID, a java.time value, float[] (vector), Map/List (jsonb, or an array"
                + " for an array column), a Java array (an array column) or byte[]");
    }

    public static String vectorText(float[] f) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (float x : f) {
            j.add(Float.isNaN(x) ? "NaN" : Float.isInfinite(x) ? (x > 0 ? "Infinity" : "-Infinity") : Float.toString(x));
        }
        return j.toString();
    }
}

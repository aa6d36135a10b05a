package dev.pgprop.dsl.internal;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A small JSON writer for jsonb literals and pgprop's own output files. */
public final class Json {
    private Json() {}

    public static String write(@Nullable Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, @Nullable Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                b.append(first ? "" : ",");
                first = false;
                write(b, o);
            }
            b.append(']');
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof java.math.BigInteger || v instanceof java.math.BigDecimal) {
            b.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d + "; store it as a string");
            }
            b.append(v);
        } else {
            string(b, v.toString());
        }
    }

    /** Appends a JSON string (see {@link Escape#json}). */
    public static void string(StringBuilder b, String s) {
        Escape.json(b, s);
    }
}

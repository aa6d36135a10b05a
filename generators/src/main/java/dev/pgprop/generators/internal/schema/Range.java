package dev.pgprop.generators.internal.schema;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * A range value while a dataset is drawn ({@code null} bounds are unbounded); written in the
 * range's text form at the end. Discrete ranges are drawn canonical: {@code [lower,upper)}.
 */
record Range(@Nullable Object lower, @Nullable Object upper, boolean lowerInclusive, boolean upperInclusive,
             boolean empty) {
    static final Range EMPTY = new Range(null, null, false, false, true);

    /** Do the ranges share a point (PostgreSQL's {@code &&})? */
    boolean overlaps(Range o, Comparator<Object> order) {
        if (empty || o.empty) {
            return false;
        }
        return before(lower, lowerInclusive, o.upper, o.upperInclusive, order)
                && before(o.lower, o.lowerInclusive, upper, upperInclusive, order);
    }

    /** Does a range starting at (lo, loInc) begin before a range ending at (hi, hiInc) ends? */
    private static boolean before(@Nullable Object lo, boolean loInc, @Nullable Object hi, boolean hiInc,
                                  Comparator<Object> order) {
        if (lo == null || hi == null) {
            return true;
        }
        int c = order.compare(lo, hi);
        return c < 0 || (c == 0 && loInc && hiInc);
    }

    String text(java.util.function.Function<Object, String> element) {
        if (empty) {
            return "empty";
        }
        return (lowerInclusive ? "[" : "(") + (lower == null ? "" : quote(element.apply(lower))) + ","
                + (upper == null ? "" : quote(element.apply(upper))) + (upperInclusive ? "]" : ")");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Datasets at the edges of the original schema's constraints, made from valid datasets with one
 * value changed: a bounded column at its bound and one either side of it, a column equal to the
 * column it is compared with, a column holding each element of an IN list, and two rows equal on
 * a key or on all its columns but one. Each is taken by the original as it is; a mutant that moves
 * an edge takes one of them differently.
 */
final class EdgeProbes {
    private EdgeProbes() {}

    /** Labelled datasets: label -> dataset. */
    static Map<String, Dataset> of(Table t, List<Dataset> valid, java.util.function.Predicate<Dataset> originalLoads) {
        Map<String, Dataset> out = new LinkedHashMap<>();
        String name = t.datasetName();
        Dataset one = valid.stream().filter(d -> !d.rows(name).isEmpty()).findFirst().orElse(null);
        if (one == null) {
            return out;
        }
        for (Constraint.Check k : t.checks()) {
            String e = k.expression();
            for (Expr.Bound b : Expr.bounds(e)) {
                String col = Expr.column(b.lhs());
                java.util.regex.Matcher length = LENGTH.matcher(b.lhs());
                BigDecimal v = new BigDecimal(b.number());
                if (col == null && length.matches() && t.hasColumn(length.group(1))) { // length(name) <= 200: a text of each length
                    String c = length.group(1);
                    Dataset d = holding(valid, name, c, one);
                    Row r = d.rows(name).get(0);
                    for (BigDecimal x : List.of(v.subtract(BigDecimal.ONE), v, v.add(BigDecimal.ONE))) {
                        if (x.signum() >= 0 && x.compareTo(BigDecimal.valueOf(100_000)) <= 0 && x.scale() <= 0 && r.has(c)
                                && (r.get(c) == null || r.get(c) instanceof String)) {
                            out.put("edge of " + k.name() + ": " + b.lhs() + " = " + x.toPlainString(),
                                    replace(d, name, r.with(c, "a".repeat(x.intValueExact()))));
                        }
                    }
                    continue;
                }
                if (col == null || !t.hasColumn(col)) {
                    continue;
                }
                Dataset d = holding(valid, name, col, one);
                for (BigDecimal x : List.of(v.subtract(BigDecimal.ONE), v, v.add(BigDecimal.ONE))) {
                    set(d, name, col, x, out, "edge of " + k.name() + ": " + col + " = " + x.toPlainString());
                }
            }
            for (Expr.Op op : Expr.ops(e)) {
                String left = Expr.column(Expr.lhs(e, op.start() - 1));
                String right = Expr.column(rhs(e, op.end() + 1));
                if (left != null && right != null && t.hasColumn(left) && t.hasColumn(right)) {
                    Dataset d = holding(valid, name, right, one);
                    Row r = d.rows(name).get(0);
                    if (r.has(left) && r.has(right) && r.get(right) != null) {
                        out.put("edge of " + k.name() + ": " + left + " = " + right, replace(d, name, r.with(left, r.get(right))));
                    }
                } else if (left != null && t.hasColumn(left)) { // weight > '-Infinity': the column at the literal
                    String rhs = rhs(e, op.end() + 1);
                    Object value = rhs.startsWith("'") || rhs.startsWith("('") ? literal(rhs.replaceAll("^\\(|\\)$", "")) : null;
                    Dataset d = holding(valid, name, left, one);
                    Row r = d.rows(name).get(0);
                    Object typed = value == null || !r.has(left) ? null : typed(r.get(left), value);
                    if (typed != null) {
                        out.put("edge of " + k.name() + ": " + left + " = " + rhs, replace(d, name, r.with(left, typed)));
                    }
                }
            }
            for (Expr.ArrayList_ a : Expr.arrays(e)) {
                String col = Expr.column(Expr.lhs(e, a.open() - 1).replaceAll("\\s*=\\s*ANY\\s*\\(?$", ""));
                if (col == null || !t.hasColumn(col)) {
                    continue;
                }
                List<Object> values = new ArrayList<>();
                for (int[] el : a.elements()) {
                    Object value = literal(e.substring(el[0], el[1]).trim());
                    if (value != null) {
                        values.add(value);
                    }
                }
                List<Object> probes = new ArrayList<>(values);
                probes.addAll(nearMisses(values)); // the values just outside the list, as a bound's neighbours are
                Dataset d = holding(valid, name, col, one);
                Row r = d.rows(name).get(0);
                for (Object value : probes) {
                    if (r.has(col)) {
                        Object typed = typed(r.get(col), value);
                        if (typed != null) {
                            String shown = value instanceof String str ? "'" + str + "'" : value.toString();
                            out.put("edge of " + k.name() + ": " + col + " = " + shown, replace(d, name, r.with(col, typed)));
                        }
                    }
                }
            }
        }
        List<Constraint> keys = new ArrayList<>();
        t.primaryKey().ifPresent(keys::add);
        t.uniques().stream().filter(u -> !u.expressionKeys() && u.predicate().isEmpty()).forEach(keys::add);
        for (Constraint k : keys) {
            List<String> cols = k.columns();
            pair(t, valid, name, cols, originalLoads, false).ifPresent(d -> out.put("edge of " + k.name() + ": two rows equal on " + cols, d));
            if (cols.size() >= 2) {
                for (String x : cols) {
                    List<String> rest = new ArrayList<>(cols);
                    rest.remove(x);
                    pair(t, valid, name, rest, originalLoads, true).ifPresent(d -> out.put("edge of " + k.name() + ": two rows equal on " + rest, d));
                }
            }
        }
        return out;
    }

    private static String rhs(String e, int start) {
        int depth = 0;
        int i = start;
        for (; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (ch == ' ' && depth == 0) {
                break;
            }
        }
        return e.substring(start, i).trim();
    }

    /**
     * Two rows of a dataset made equal on {@code cols}: the first pair of rows (over every dataset)
     * the original takes when {@code mustLoad} (a near duplicate that other constraints do not
     * refuse), else the first pair.
     */
    private static java.util.Optional<Dataset> pair(Table t, List<Dataset> valid, String table, List<String> cols,
                                                    java.util.function.Predicate<Dataset> originalLoads, boolean mustLoad) {
        Dataset first = null;
        int tried = 0;
        for (Dataset d : valid) {
            int n = d.rows(table).size();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        continue;
                    }
                    Dataset c = copy(t, d, table, cols, i, j);
                    if (c == null) {
                        continue;
                    }
                    if (first == null) {
                        first = c;
                        if (!mustLoad) {
                            return java.util.Optional.of(c);
                        }
                    }
                    if (tried++ < 40 && originalLoads.test(c)) {
                        return java.util.Optional.of(c);
                    }
                }
            }
        }
        return java.util.Optional.ofNullable(first);
    }

    private static @Nullable Dataset copy(Table t, Dataset d, String table, List<String> cols, int from, int to) {
        List<Row> rows = new ArrayList<>(d.rows(table));
        Row first = rows.get(from);
        Row second = rows.get(to);
        for (String c : cols) {
            if (!first.has(c) && !second.has(c) && t.hasColumn(c)) { // an integer left to its sequence: both rows get one value of their own
                Object v = switch (t.column(c).type().underlying().name()) {
                    case "int2" -> (Object) (short) 30_011;
                    case "int4" -> (Object) 1_000_000_007;
                    case "int8" -> (Object) 1_000_000_000_007L;
                    default -> null;
                };
                if (v != null && t.column(c).identity() != dev.pgprop.dsl.schema.Column.Identity.ALWAYS) {
                    first = first.with(c, v);
                    rows.set(from, first);
                }
            }
            if (!first.has(c)) {
                return null; // a column left to its default: no pair to make
            }
        }
        for (String c : cols) {
            second = second.with(c, first.get(c));
        }
        rows.set(to, second);
        return d.with(table, rows);
    }

    private static void set(Dataset d, String table, String col, BigDecimal x, Map<String, Dataset> out, String label) {
        Row r = d.rows(table).get(0);
        if (!r.has(col)) {
            return;
        }
        Object typed = typed(r.get(col), x);
        if (typed != null) {
            out.put(label, replace(d, table, r.with(col, typed)));
        }
    }

    private static Dataset replace(Dataset d, String table, Row row) {
        List<Row> rows = new ArrayList<>(d.rows(table));
        rows.set(0, row);
        return d.with(table, rows);
    }

    private static final java.util.regex.Pattern LENGTH = java.util.regex.Pattern.compile("(?:char_)?length\\(\\(?([a-z_][a-z0-9_]*)\\)?(?:::[a-z_ ]+)?\\)");

    /**
     * The first dataset whose first row of the table holds a value in {@code col} (an edge is
     * made of that row: a NULL there says nothing of the value's type); {@code fallback} when
     * none does.
     */
    private static Dataset holding(List<Dataset> valid, String table, String col, Dataset fallback) {
        for (Dataset d : valid) {
            List<Row> rows = d.rows(table);
            if (!rows.isEmpty() && rows.get(0).has(col) && rows.get(0).get(col) != null) {
                return d;
            }
        }
        return fallback;
    }

    /**
     * The values next to an IN list that the list leaves out: each text element in the other
     * case ({@code 'PENDING'} for {@code 'pending'}), one less than the least number and one more
     * than the greatest.
     */
    static List<Object> nearMisses(List<Object> values) {
        List<Object> out = new ArrayList<>();
        BigDecimal min = null;
        BigDecimal max = null;
        for (Object v : values) {
            if (v instanceof String str) {
                String other = otherCase(str);
                if (!values.contains(other) && !out.contains(other)) {
                    out.add(other);
                }
            } else if (v instanceof BigDecimal n) {
                min = min == null || n.compareTo(min) < 0 ? n : min;
                max = max == null || n.compareTo(max) > 0 ? n : max;
            }
        }
        if (min != null) {
            for (BigDecimal n : List.of(min.subtract(BigDecimal.ONE), max.add(BigDecimal.ONE))) {
                if (values.stream().noneMatch(v -> v instanceof BigDecimal b && b.compareTo(n) == 0)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** The text in upper case, or in lower case when it has no lower-case letter (unchanged when it has no letter). */
    static String otherCase(String s) {
        String upper = s.toUpperCase(java.util.Locale.ROOT);
        return upper.equals(s) ? s.toLowerCase(java.util.Locale.ROOT) : upper;
    }

    private static @Nullable Object literal(String lit) {
        String s = lit.replaceAll("::[a-z_ ]+(\\[\\])?$", "").trim();
        if (s.startsWith("'") && s.endsWith("'") && s.length() >= 2) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        try {
            return new BigDecimal(s.replaceAll("[()]", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The value in the Java type the column's drawn value has; null when it cannot be. */
    private static @Nullable Object typed(@Nullable Object like, Object value) {
        try {
            if (like instanceof String) {
                return value.toString();
            }
            if ((like instanceof Double || like instanceof Float) && value instanceof String text) { // 'Infinity', '-Infinity', 'NaN'
                double x = Double.parseDouble(text.replace("inf", "Inf").replace("nan", "NaN"));
                return like instanceof Double ? (Object) x : (Object) (float) x;
            }
            if (!(value instanceof BigDecimal n)) {
                return null;
            }
            if (like instanceof Integer) {
                return n.intValueExact();
            }
            if (like instanceof Long) {
                return n.longValueExact();
            }
            if (like instanceof Short) {
                return n.shortValueExact();
            }
            if (like instanceof BigDecimal) {
                return n;
            }
            if (like instanceof Double) {
                return n.doubleValue();
            }
            if (like instanceof Float) {
                return n.floatValue();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}

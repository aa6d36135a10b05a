package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Datasets at the edges of the original schema's constraints, made from valid datasets with one
 * value changed: a bounded column (a length, an array's number of elements) at its bound and one
 * either side of it, a column equal to the column it is compared with, a column holding each
 * element of an IN list and the values next to the list, a nullable column holding NULL, and two
 * rows equal on a key or on all its columns but one. Each is taken by the original as it is, or
 * refused; a mutant that moves an edge takes one of them differently.
 */
final class EdgeProbes {
    private EdgeProbes() {}

    /** Labelled datasets: label -> dataset. */
    static Map<String, Dataset> of(Schema schema, Table t, List<Dataset> valid, java.util.function.Predicate<Dataset> originalLoads) {
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
                java.util.regex.Matcher count = CARDINALITY.matcher(b.lhs());
                if (col == null && count.matches()) { // cardinality(tags) <= 10: an array of each length
                    String c = count.group(1) != null ? count.group(1) : count.group(2);
                    if (t.hasColumn(c)) {
                        arrays(t, valid, name, c, one, k, b, v, out);
                    }
                    continue;
                }
                if (col == null || !t.hasColumn(col)) {
                    continue;
                }
                Dataset d = holding(valid, name, col, one);
                Object like = likeOf(t, valid, name, col, d.rows(name).get(0));
                for (BigDecimal x : List.of(v.subtract(BigDecimal.ONE), v, v.add(BigDecimal.ONE))) {
                    set(d, name, col, like, x, out, "edge of " + k.name() + ": " + col + " = " + x.toPlainString());
                    partnered(t, valid, d, name, col, like, x, out, "edge of " + k.name() + ": " + col + " = " + x.toPlainString());
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
                // (status = ANY (ARRAY[…])), ((kind)::text = ANY ((ARRAY[…])::text[])), (code <> ALL (ARRAY[…]))
                String before = e.substring(0, a.open()).replaceAll("[\\s(]+$", "").replaceAll("\\s*(=|<>)\\s*(ANY|ALL)$", "");
                String col = Expr.column(Expr.lhs(before, before.length()));
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
                Object like = likeOf(t, valid, name, col, r);
                for (Object value : probes) {
                    if (r.has(col)) {
                        Object typed = typed(like, value);
                        if (typed != null) {
                            String shown = value instanceof String str ? "'" + str + "'" : value.toString();
                            out.put("edge of " + k.name() + ": " + col + " = " + shown, replace(d, name, r.with(col, typed)));
                        }
                    }
                }
            }
        }
        for (dev.pgprop.dsl.schema.Column c : t.columns()) { // a nullable column holding NULL (drawn rarely where a foreign key holds it)
            if (c.nullable() && !c.isGenerated() && c.identity() == dev.pgprop.dsl.schema.Column.Identity.NONE) {
                Dataset d = holding(valid, name, c.name(), one);
                Row r = d.rows(name).get(0);
                if (r.has(c.name()) && r.get(c.name()) != null) {
                    out.put("edge of " + c.name() + ": NULL", replace(d, name, r.with(c.name(), null)));
                }
            }
        }
        List<Constraint> keys = new ArrayList<>();
        t.primaryKey().ifPresent(keys::add);
        t.uniques().stream().filter(u -> !u.expressionKeys() && u.predicate().isEmpty()).forEach(keys::add);
        for (Constraint k : keys) {
            List<String> cols = k.columns();
            pair(schema, t, valid, name, cols, originalLoads, Want.DIFFERENT, null).ifPresent(d -> out.put("edge of " + k.name() + ": two rows equal on "
                    + cols, d));
            if (cols.size() >= 2) {
                for (String x : cols) {
                    List<String> rest = new ArrayList<>(cols);
                    rest.remove(x);
                    pair(schema, t, valid, name, rest, originalLoads, Want.LOADS, x).ifPresent(d -> out.put("edge of " + k.name() + ": two rows equal"
                            + " on " + rest, d));
                }
            }
        }
        // a unique index over expressions or with a predicate: two rows equal on every column it names, one the index refuses
        for (Constraint.Unique u : t.uniques()) {
            if (u.expressionKeys() || u.predicate().isPresent()) {
                List<String> cols = named(t, u);
                if (!cols.isEmpty()) {
                    pair(schema, t, valid, name, cols, originalLoads, Want.REFUSED, null).ifPresent(d -> out.put("edge of " + u.name()
                            + ": two rows equal on " + cols, d));
                }
            }
        }
        return out;
    }

    /** What a pair of rows made equal on some columns is for. */
    private enum Want {
        /** Two rows equal on a key: the pair that differs in the most other columns. */
        DIFFERENT,
        /** Two rows equal on all columns of a key but one: a pair the original takes. */
        LOADS,
        /** Two rows equal on the columns a partial or expression index names: a pair the original refuses. */
        REFUSED
    }

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("\"?([A-Za-z_][A-Za-z0-9_$]*)\"?");

    /** The table's columns a unique index names in its keys and its predicate, in table order. */
    private static List<String> named(Table t, Constraint.Unique u) {
        String def = u.definition();
        int using = def.indexOf(" USING ");
        String keys = (using < 0 ? def : def.substring(using)) + " " + u.predicate().orElse("");
        java.util.Set<String> words = new java.util.HashSet<>();
        java.util.regex.Matcher m = IDENTIFIER.matcher(keys.replaceAll("'(?:[^']|'')*'", "''"));
        while (m.find()) {
            words.add(m.group(1));
        }
        return t.columns().stream().map(dev.pgprop.dsl.schema.Column::name).filter(words::contains).toList();
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
     * Two rows of a dataset made equal on {@code cols}, as {@code want} says: the first pair of rows
     * (over every dataset) the original takes (a near duplicate that other constraints do not
     * refuse; when the rows also agree on the key's column {@code other} that was left out, with
     * another value of it), or refuses (a partial index whose predicate holds for it), or the pair with no NULL
     * in {@code cols} whose rows differ in the most other columns (so that a key with one of them
     * added takes it); else the first pair.
     */
    private static java.util.Optional<Dataset> pair(Schema schema, Table t, List<Dataset> valid, String table, List<String> cols,
                                                    java.util.function.Predicate<Dataset> originalLoads, Want want,
                                                    @Nullable String other) {
        Dataset first = null;
        int best = -1;
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
                    if (want == Want.DIFFERENT) { // the pair that differs in the most other columns (a mutant that adds one of them to the key)
                        Row equal = c.rows(table).get(j); // a NULL in the key would make the two rows distinct
                        int differing = differing(d.rows(table).get(i), d.rows(table).get(j), cols)
                                + (cols.stream().allMatch(col -> equal.get(col) != null) ? 1_000 : 0);
                        if (first == null || differing > best) {
                            first = c;
                            best = differing;
                        }
                        continue;
                    }
                    Row changed = c.rows(table).get(j);
                    if (want == Want.LOADS && cols.stream().anyMatch(col -> changed.get(col) == null)) {
                        continue; // a NULL makes the two rows distinct under any key
                    }
                    if (first == null) {
                        first = c;
                    }
                    if (want == Want.REFUSED) {
                        if (tried++ < 40 && !originalLoads.test(c)) {
                            return java.util.Optional.of(c);
                        }
                        continue;
                    }
                    if (tried++ < 40 && originalLoads.test(c)) {
                        return java.util.Optional.of(c);
                    }
                    // the changed row references parents the dataset lacks ((tenant_id, project_id) of another tenant): copies of its
                    // first row's parents under the new values, and of their parents in turn
                    Dataset withParents = parents(schema, t, c, c.rows(table).get(j), d.rows(table).get(i), 0);
                    if (withParents != null && withParents != c && tried++ < 40 && originalLoads.test(withParents)) {
                        return java.util.Optional.of(withParents);
                    }
                    // the rows agree on the column left out too (one account's devices): another value of it, from the table's rows
                    // or the parents it references
                    Row like = d.rows(table).get(i);
                    if (other != null && String.valueOf(changed.get(other)).equals(String.valueOf(like.get(other)))) {
                        for (Object v : values(schema, t, d, other)) {
                            if (tried >= 40) {
                                break;
                            }
                            if (String.valueOf(v).equals(String.valueOf(like.get(other)))) {
                                continue;
                            }
                            List<Row> rows = new ArrayList<>(c.rows(table));
                            rows.set(j, changed.with(other, v));
                            Dataset moved = parents(schema, t, c.with(table, rows), rows.get(j), like, 0);
                            if (moved != null && tried++ < 40 && originalLoads.test(moved)) {
                                return java.util.Optional.of(moved);
                            }
                        }
                    }
                }
            }
        }
        return java.util.Optional.ofNullable(first);
    }

    /**
     * The dataset with every parent that {@code row} (of table {@code t}) references and the
     * dataset lacks: a copy of the parent that {@code like} references, with the referenced
     * columns set to the row's values, and so on for the copy's own parents (three levels at
     * most). Null when a parent cannot be made so.
     */
    private static @Nullable Dataset parents(Schema schema, Table t, Dataset data, Row row, Row like, int depth) {
        Dataset d = data;
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            if (!schema.hasTable(fk.referencedQualifiedName()) || fk.columns().stream().anyMatch(c -> !row.has(c) || row.get(c) == null)) {
                continue;
            }
            Table parent = schema.referenced(fk);
            String pn = parent.datasetName();
            List<Row> rows = d.tables().contains(pn) ? d.rows(pn) : List.of();
            if (rows.stream().anyMatch(r -> matches(r, fk.referencedColumns(), row, fk.columns()))) {
                continue;
            }
            if (depth >= 3 || fk.columns().stream().anyMatch(c -> !like.has(c) || like.get(c) == null)) {
                return null;
            }
            Row template = rows.stream().filter(r -> matches(r, fk.referencedColumns(), like, fk.columns())).findFirst().orElse(null);
            if (template == null) {
                return null;
            }
            Row copy = template;
            for (int k = 0; k < fk.columns().size(); k++) {
                copy = copy.with(fk.referencedColumns().get(k), row.get(fk.columns().get(k)));
            }
            List<Row> more = new ArrayList<>(rows);
            more.add(copy);
            Dataset deeper = parents(schema, parent, d.with(pn, more), copy, template, depth + 1);
            if (deeper == null) {
                return null;
            }
            d = deeper;
        }
        return d;
    }

    /** The values of a column in the dataset: in the table's rows, and in the parents' columns it references. */
    private static List<Object> values(Schema schema, Table t, Dataset d, String col) {
        java.util.Set<Object> out = new java.util.LinkedHashSet<>();
        d.rows(t.datasetName()).stream().filter(r -> r.has(col) && r.get(col) != null).forEach(r -> out.add(r.get(col)));
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            int k = fk.columns().indexOf(col);
            if (k < 0 || !schema.hasTable(fk.referencedQualifiedName())) {
                continue;
            }
            String pn = schema.referenced(fk).datasetName();
            String pc = fk.referencedColumns().get(k);
            if (d.tables().contains(pn)) {
                d.rows(pn).stream().filter(r -> r.has(pc) && r.get(pc) != null).forEach(r -> out.add(r.get(pc)));
            }
        }
        return List.copyOf(out);
    }

    private static boolean matches(Row r, List<String> cols, Row other, List<String> otherCols) {
        for (int k = 0; k < cols.size(); k++) {
            String c = cols.get(k);
            if (!r.has(c) || !String.valueOf(r.get(c)).equals(String.valueOf(other.get(otherCols.get(k))))) {
                return false;
            }
        }
        return true;
    }

    /** How many columns other than {@code cols} both rows set to different values. */
    private static int differing(Row a, Row b, List<String> cols) {
        int n = 0;
        for (String c : a.columns()) {
            if (!cols.contains(c) && b.has(c) && !java.util.Objects.equals(String.valueOf(a.get(c)), String.valueOf(b.get(c)))) {
                n++;
            }
        }
        return n;
    }

    private static @Nullable Dataset copy(Table t, Dataset d, String table, List<String> cols, int from, int to) {
        List<Row> rows = new ArrayList<>(d.rows(table));
        Row first = rows.get(from);
        Row second = rows.get(to);
        for (String c : cols) {
            // an integer left to its sequence: both rows get one value of their own (GENERATED ALWAYS too, loaded with OVERRIDING
            // SYSTEM VALUE: a key on it is only as unique as the values written into it)
            if (!first.has(c) && !second.has(c) && t.hasColumn(c)) {
                Object v = switch (t.column(c).type().underlying().name()) {
                    case "int2" -> (Object) (short) 30_011;
                    case "int4" -> (Object) 1_000_000_007;
                    case "int8" -> (Object) 1_000_000_000_007L;
                    default -> null;
                };
                if (v != null) {
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

    private static void set(Dataset d, String table, String col, @Nullable Object like, BigDecimal x, Map<String, Dataset> out,
                            String label) {
        Row r = d.rows(table).get(0);
        if (!r.has(col)) {
            return;
        }
        Object typed = typed(like, x);
        if (typed != null) {
            out.put(label, replace(d, table, r.with(col, typed)));
        }
    }

    /**
     * The bound edge with every column that another CHECK compares with the bounded column set to the
     * same value: {@code on_hand >= 0} at 0 is refused by {@code allocated <= on_hand} unless
     * {@code allocated} is 0 too, and a mutant that moves the bound shows only on a row both take.
     */
    private static void partnered(Table t, List<Dataset> valid, Dataset d, String table, String col, @Nullable Object like,
                                  BigDecimal x, Map<String, Dataset> out, String label) {
        List<String> partners = new ArrayList<>();
        for (Constraint.Check k : t.checks()) {
            String e = k.expression();
            for (Expr.Op op : Expr.ops(e)) {
                String left = Expr.column(Expr.lhs(e, op.start() - 1));
                String right = Expr.column(rhs(e, op.end() + 1));
                if (left == null || right == null || !t.hasColumn(left) || !t.hasColumn(right)) {
                    continue;
                }
                String other = left.equals(col) ? right : right.equals(col) ? left : null;
                if (other != null && !other.equals(col) && !partners.contains(other)) {
                    partners.add(other);
                }
            }
        }
        Row r = d.rows(table).get(0);
        if (partners.isEmpty() || !r.has(col)) {
            return;
        }
        Object typed = typed(like, x);
        if (typed == null) {
            return;
        }
        Row changed = r.with(col, typed);
        for (String p : partners) {
            Object pt = r.has(p) ? typed(likeOf(t, valid, table, p, r), x) : null;
            if (pt == null) {
                return;
            }
            changed = changed.with(p, pt);
        }
        out.put(label + " and " + String.join(", ", partners) + " = " + x.toPlainString(), replace(d, table, changed));
    }

    /**
     * A value of the column's Java type to convert an edge value like: the row's own, else any
     * drawn row's, else one made from the column's type (a nullable column may be NULL in every
     * row drawn).
     */
    private static @Nullable Object likeOf(Table t, List<Dataset> valid, String table, String col, Row r) {
        if (r.has(col) && r.get(col) != null) {
            return r.get(col);
        }
        for (Dataset d : valid) {
            for (Row other : d.rows(table)) {
                if (other.has(col) && other.get(col) != null) {
                    return other.get(col);
                }
            }
        }
        return t.columns().stream().filter(c -> c.name().equals(col)).findFirst().map(c -> switch (c.type().underlying().name()) {
            case "int2" -> (Object) (short) 0;
            case "int4" -> (Object) 0;
            case "int8" -> (Object) 0L;
            case "numeric" -> (Object) BigDecimal.ZERO;
            case "float4" -> (Object) 0f;
            case "float8" -> (Object) 0d;
            case "text", "varchar", "bpchar", "name", "citext" -> (Object) "";
            default -> null;
        }).orElse(null);
    }

    private static Dataset replace(Dataset d, String table, Row row) {
        List<Row> rows = new ArrayList<>(d.rows(table));
        rows.set(0, row);
        return d.with(table, rows);
    }

    private static final java.util.regex.Pattern CARDINALITY = java.util.regex.Pattern.compile(
            "cardinality\\(\\(?([a-z_][a-z0-9_]*)\\)?\\)|array_length\\(\\(?([a-z_][a-z0-9_]*)\\)?, 1\\)");

    /**
     * An array column at a bound on its number of elements and one either side of it: the elements
     * of a drawn value of the column, repeated as needed (or made up for a text or integer array
     * when none was drawn).
     */
    private static void arrays(Table t, List<Dataset> valid, String name, String col, Dataset one, Constraint.Check k, Expr.Bound b,
                               BigDecimal v, Map<String, Dataset> out) {
        List<Object> elements = new ArrayList<>();
        for (Dataset d : valid) {
            for (Row r : d.rows(name)) {
                if (elements.isEmpty() && r.has(col) && r.get(col) != null) {
                    elements.addAll(elementsOf(r.get(col)));
                }
            }
        }
        String element = t.column(col).type().underlying().element().map(x -> x.underlying().name()).orElse("");
        Dataset d = holding(valid, name, col, one);
        Row r = d.rows(name).get(0);
        for (BigDecimal x : List.of(v.subtract(BigDecimal.ONE), v, v.add(BigDecimal.ONE))) {
            if (x.signum() < 0 || x.scale() > 0 || x.compareTo(BigDecimal.valueOf(10_000)) > 0) {
                continue;
            }
            List<Object> value = new ArrayList<>();
            for (int i = 0; i < x.intValueExact(); i++) {
                Object made = switch (element) {
                    case "text", "varchar", "bpchar", "citext" -> "e" + i;
                    case "int2", "int4", "int8" -> i + 1;
                    default -> null;
                };
                Object e = elements.isEmpty() ? made : elements.get(i % elements.size());
                if (e == null) {
                    return;
                }
                value.add(e);
            }
            out.put("edge of " + k.name() + ": " + b.lhs() + " = " + x.toPlainString(), replace(d, name, r.with(col, value)));
        }
    }

    private static List<Object> elementsOf(Object value) {
        List<Object> out = new ArrayList<>();
        if (value instanceof java.util.Collection<?> c) {
            c.stream().filter(java.util.Objects::nonNull).forEach(out::add);
        } else if (value instanceof Object[] arr) {
            java.util.Arrays.stream(arr).filter(java.util.Objects::nonNull).forEach(out::add);
        }
        return out;
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

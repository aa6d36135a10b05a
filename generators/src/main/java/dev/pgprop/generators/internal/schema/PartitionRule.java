package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.schema.Partition;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The partitions of a table partitioned on one column by RANGE or LIST, as bounds a row's value
 * must fall in. A DEFAULT partition or HASH partitioning takes every row: no rule.
 */
final class PartitionRule {
    private static final Pattern KEY = Pattern.compile("(RANGE|LIST) \\(\"?([A-Za-z_][A-Za-z0-9_$]*)\"?\\)");
    private static final Pattern RANGE = Pattern.compile("FOR VALUES FROM \\((.*)\\) TO \\((.*)\\)");
    private static final Pattern IN = Pattern.compile("FOR VALUES IN \\((.*)\\)");

    final String column;
    final List<Narrowing> parts;

    private PartitionRule(String column, List<Narrowing> parts) {
        this.column = column;
        this.parts = parts;
    }

    static Optional<PartitionRule> of(Table t) {
        if (t.partitionKey().isEmpty() || t.partitions().stream().anyMatch(Partition::isDefault)) {
            return Optional.empty();
        }
        Matcher k = KEY.matcher(t.partitionKey().get());
        if (!k.matches() || !t.hasColumn(k.group(2))) {
            return Optional.empty();
        }
        List<Narrowing> parts = new ArrayList<>();
        for (Partition p : leaves(t.partitions())) {
            Narrowing n = new Narrowing();
            Matcher r = RANGE.matcher(p.bound());
            Matcher in = IN.matcher(p.bound());
            if (k.group(1).equals("RANGE") && r.matches()) {
                n.lower = literal(r.group(1));
                n.lowerInclusive = true;
                n.upper = literal(r.group(2));
                n.upperInclusive = false;
            } else if (k.group(1).equals("LIST") && in.matches()) {
                List<String> values = new ArrayList<>();
                for (String v : in.group(1).split(",")) {
                    String lit = literal(v.trim());
                    if (lit != null) {
                        values.add(lit);
                    }
                }
                n.allowed = values;
            } else {
                return Optional.empty();
            }
            parts.add(n);
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(new PartitionRule(k.group(2), parts));
    }

    /** Leaf partitions (a sub-partitioned partition's own bound still applies, but sub-bounds are not read). */
    private static List<Partition> leaves(List<Partition> ps) {
        return ps;
    }

    private static @Nullable String literal(String text) {
        String s = text.trim();
        if (s.equalsIgnoreCase("MINVALUE") || s.equalsIgnoreCase("MAXVALUE") || s.equalsIgnoreCase("NULL")) {
            return null;
        }
        if (s.startsWith("'")) {
            int end = s.lastIndexOf('\'');
            return s.substring(1, end).replace("''", "'");
        }
        return s;
    }

    /** Does the value fall in some partition? */
    boolean holds(PgType type, @Nullable Object v) {
        if (v == null) {
            return parts.stream().anyMatch(n -> n.allowed != null && n.allowed.isEmpty());
        }
        Bounds b = bounds(type);
        for (int i = 0; i < parts.size(); i++) {
            Narrowing n = parts.get(i);
            try {
                if (n.allowed != null) {
                    for (Object x : b.allowed.get(i)) {
                        if (Values.key(x).equals(Values.key(v))) {
                            return true;
                        }
                    }
                    continue;
                }
                Object lo = b.lower.get(i);
                Object hi = b.upper.get(i);
                if ((n.lower == null || lo != null && Values.compare(type, v, lo) >= 0)
                        && (n.upper == null || hi != null && Values.compare(type, v, hi) < 0)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // a value Java cannot order: the next partition
            }
        }
        return false;
    }

    /** The parts' bounds read as values of a type (null where a bound does not read as one). */
    private record Bounds(PgType type, List<@Nullable Object> lower, List<@Nullable Object> upper, List<List<Object>> allowed) {}

    /** Read once for the column's type, not for every row the rule is asked about. */
    private volatile @Nullable Bounds last;

    private Bounds bounds(PgType type) {
        Bounds b = last;
        if (b != null && b.type() == type) {
            return b;
        }
        List<@Nullable Object> lower = new ArrayList<>();
        List<@Nullable Object> upper = new ArrayList<>();
        List<List<Object>> allowed = new ArrayList<>();
        for (Narrowing n : parts) {
            lower.add(n.lower == null ? null : Values.parse(type, n.lower));
            upper.add(n.upper == null ? null : Values.parse(type, n.upper));
            List<Object> values = new ArrayList<>();
            for (String a : n.allowed == null ? List.<String>of() : n.allowed) {
                Object x = Values.parse(type, a);
                if (x != null) {
                    values.add(x);
                }
            }
            allowed.add(values);
        }
        b = new Bounds(type, lower, upper, allowed);
        last = b;
        return b;
    }
}

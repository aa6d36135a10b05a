package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.schema.PgType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Values worth trying when a constraint must be broken: the type's boundaries, the constants of
 * the constraint's expression and their neighbours, and the neighbours of other columns' values
 * (for comparisons between two columns). Every value is valid for the column's type; whether it
 * breaks the constraint the server decides.
 */
final class Candidates {
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z_0-9])-?\\d+(\\.\\d+)?(?![A-Za-z_])");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern INTERVAL_IN_ARRAY = Pattern.compile("\\{(\\d+),(\\d+)}");

    private Candidates() {}

    /** Numbers written in an expression (lengths, bounds), with the bounds of regex repetitions. */
    static List<BigDecimal> numbers(String expression) {
        Set<BigDecimal> out = new LinkedHashSet<>();
        Matcher m = NUMBER.matcher(expression.replaceAll("'(?:[^']|'')*'", " "));
        while (m.find()) {
            out.add(new BigDecimal(m.group()));
        }
        Matcher r = INTERVAL_IN_ARRAY.matcher(expression);
        while (r.find()) {
            out.add(new BigDecimal(r.group(1)));
            out.add(new BigDecimal(r.group(2)));
        }
        return List.copyOf(out);
    }

    /** String constants of an expression. */
    static List<String> strings(String expression) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = QUOTED.matcher(expression);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return List.copyOf(out);
    }

    /**
     * Candidate values for a column of this type. {@code near} are values of other columns of the
     * row the expression compares with.
     */
    static List<@Nullable Object> of(PgType declared, String expression, List<@Nullable Object> near) {
        PgType t = declared.underlying();
        List<BigDecimal> numbers = numbers(expression);
        List<String> strings = strings(expression);
        List<@Nullable Object> out = new ArrayList<>();
        out.add(null);
        switch (t.kind()) {
            case ENUM -> out.addAll(t.labels());
            case ARRAY -> arrays(t, numbers, out);
            case RANGE -> ranges(t, out);
            case BASE -> base(t, numbers, strings, near, out);
            default -> { }
        }
        Set<@Nullable Object> distinct = new LinkedHashSet<>(out);
        return new ArrayList<>(distinct);
    }

    private static void base(PgType t, List<BigDecimal> numbers, List<String> strings, List<@Nullable Object> near,
                             List<@Nullable Object> out) {
        switch (t.name()) {
            case "int2", "int4", "int8" -> integers(t.name(), numbers, near, out);
            case "numeric" -> numerics(t, numbers, near, out);
            case "float4", "float8" -> floats(numbers, near, out);
            case "money" -> {
                for (BigDecimal n : numbers(numbers, near)) {
                    for (BigDecimal d : List.of(BigDecimal.ZERO, new BigDecimal("0.01"), BigDecimal.ONE)) {
                        out.add(n.subtract(d).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
                        out.add(n.add(d).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
                    }
                }
                out.add("-1.00");
                out.add("0.00");
            }
            case "text", "varchar", "bpchar", "name", "citext" -> texts(t, numbers, strings, near, out);
            case "bool" -> {
                out.add(Boolean.TRUE);
                out.add(Boolean.FALSE);
            }
            case "date" -> {
                out.add(LocalDate.of(1900, 1, 1));
                out.add(LocalDate.of(2100, 1, 1));
                for (Object n : near) {
                    if (n instanceof LocalDate d) {
                        out.add(d.minusDays(1));
                        out.add(d);
                        out.add(d.plusDays(1));
                    }
                }
                out.add("-infinity");
                out.add("infinity");
            }
            case "timestamptz", "timestamp" -> {
                boolean zoned = t.name().equals("timestamptz");
                for (Object n : near) {
                    Instant i = n instanceof Instant in ? in : n instanceof OffsetDateTime o ? o.toInstant()
                            : n instanceof LocalDateTime l ? l.toInstant(java.time.ZoneOffset.UTC) : null;
                    if (i != null) {
                        for (Instant x : List.of(i.minus(1, ChronoUnit.DAYS), i.minusSeconds(1), i, i.plusSeconds(1))) {
                            out.add(zoned ? x : LocalDateTime.ofInstant(x, java.time.ZoneOffset.UTC));
                        }
                    }
                }
                Instant old = Instant.parse("1900-01-01T00:00:00Z");
                Instant late = Instant.parse("2100-01-01T00:00:00Z");
                out.add(zoned ? old : LocalDateTime.ofInstant(old, java.time.ZoneOffset.UTC));
                out.add(zoned ? late : LocalDateTime.ofInstant(late, java.time.ZoneOffset.UTC));
                out.add("-infinity");
                out.add("infinity");
            }
            case "uuid" -> {
                out.add(new UUID(0, 0));
                out.add(new UUID(-1, -1));
            }
            case "json", "jsonb" -> out.addAll(List.of("[]", "1", "\"s\"", "null", "true", "{}"));
            case "bytea" -> {
                out.add(new byte[0]);
                out.add(new byte[] {1});
            }
            case "interval" -> out.addAll(List.of("0", "-1 day", "1 day"));
            case "inet", "cidr" -> out.addAll(List.of("0.0.0.0/0", "10.0.0.0/8", "::1/128"));
            default -> { }
        }
    }

    private static List<BigDecimal> numbers(List<BigDecimal> numbers, List<@Nullable Object> near) {
        List<BigDecimal> out = new ArrayList<>(List.of(BigDecimal.ZERO, BigDecimal.ONE));
        out.addAll(numbers);
        for (Object n : near) {
            BigDecimal d = decimal(n);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    static @Nullable BigDecimal decimal(@Nullable Object n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return new BigDecimal(n.toString());
        }
        if (n instanceof Double || n instanceof Float) {
            double d = ((Number) n).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (n instanceof String s) {
            try {
                return new BigDecimal(s.replace("$", "").replace(",", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static void integers(String name, List<BigDecimal> numbers, List<@Nullable Object> near, List<@Nullable Object> out) {
        long min = name.equals("int2") ? Short.MIN_VALUE : name.equals("int4") ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = name.equals("int2") ? Short.MAX_VALUE : name.equals("int4") ? Integer.MAX_VALUE : Long.MAX_VALUE;
        List<BigDecimal> all = new ArrayList<>();
        for (BigDecimal n : numbers(numbers, near)) {
            BigDecimal whole = n.setScale(0, java.math.RoundingMode.FLOOR);
            all.add(whole.subtract(BigDecimal.ONE));
            all.add(whole);
            all.add(whole.add(BigDecimal.ONE));
        }
        all.add(BigDecimal.valueOf(-1));
        all.add(BigDecimal.valueOf(min));
        all.add(BigDecimal.valueOf(max));
        for (BigDecimal d : all) {
            if (d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0) {
                long v = d.longValueExact();
                out.add(name.equals("int8") ? (Object) v : (Object) (int) v);
            }
        }
    }

    private static void numerics(PgType t, List<BigDecimal> numbers, List<@Nullable Object> near, List<@Nullable Object> out) {
        int scale = t.scale() >= 0 ? t.scale() : 2;
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        BigDecimal max = t.precision() > 0 ? BigDecimal.ONE.movePointRight(t.precision() - scale).subtract(unit) : null;
        List<BigDecimal> all = new ArrayList<>();
        for (BigDecimal n : numbers(numbers, near)) {
            for (BigDecimal d : List.of(BigDecimal.ZERO, unit, BigDecimal.ONE)) {
                all.add(n.subtract(d));
                all.add(n.add(d));
            }
        }
        all.add(BigDecimal.ONE.negate());
        if (max != null) {
            all.add(max);
            all.add(max.negate());
        }
        for (BigDecimal d : all) {
            BigDecimal v = d.setScale(scale, java.math.RoundingMode.HALF_UP);
            if (max == null || v.abs().compareTo(max) <= 0) {
                out.add(v);
            }
        }
        out.add("NaN");
    }

    private static void floats(List<BigDecimal> numbers, List<@Nullable Object> near, List<@Nullable Object> out) {
        for (BigDecimal n : numbers(numbers, near)) {
            double d = n.doubleValue();
            out.add(d - 1);
            out.add(d);
            out.add(d + 1);
        }
        out.add(-1.0);
        out.add(Double.NaN);
        out.add(Double.POSITIVE_INFINITY);
        out.add(Double.NEGATIVE_INFINITY);
    }

    private static void texts(PgType t, List<BigDecimal> numbers, List<String> strings, List<@Nullable Object> near,
                              List<@Nullable Object> out) {
        List<String> all = new ArrayList<>(List.of("", " ", "a", "A", "0", "-", "!", "a b", "@", "x@y", "abc", "ABC", "ab1",
                "aaaa", "AAA-0000", "a.b", "_"));
        for (String s : strings) {
            all.add(s);
            all.add(s + "x");
            all.add(s.toUpperCase(java.util.Locale.ROOT));
            all.add(s.toLowerCase(java.util.Locale.ROOT));
            all.add("x" + s);
            if (!s.isEmpty()) {
                all.add(s.substring(1));
            }
        }
        for (BigDecimal n : numbers) {
            if (n.signum() >= 0 && n.compareTo(BigDecimal.valueOf(2000)) <= 0 && n.scale() <= 0) {
                int k = n.intValue();
                for (int len : new int[] {k - 1, k, k + 1}) {
                    if (len >= 0) {
                        all.add("a".repeat(len));
                        all.add("A".repeat(len));
                        all.add("9".repeat(len));
                    }
                }
            }
        }
        for (Object n : near) {
            if (n instanceof String s) {
                all.add(s);
            }
        }
        for (String s : all) {
            if (t.length() < 0 || s.length() <= t.length()) {
                out.add(s);
            }
        }
    }

    private static void arrays(PgType t, List<BigDecimal> numbers, List<@Nullable Object> out) {
        out.add("{}");
        PgType e = t.element().orElseThrow().underlying();
        String element = e.kind() == PgType.Kind.ENUM && !e.labels().isEmpty() ? e.labels().get(0)
                : e.kind() == PgType.Kind.BASE && List.of("int2", "int4", "int8", "numeric", "float4", "float8", "text",
                "varchar", "bpchar").contains(e.name()) ? "1" : null;
        if (element == null) {
            return;
        }
        out.add("{" + element + "}");
        for (BigDecimal n : numbers) {
            if (n.signum() > 0 && n.compareTo(BigDecimal.valueOf(200)) <= 0 && n.scale() <= 0) {
                out.add("{" + String.join(",", java.util.Collections.nCopies(n.intValue() + 1, element)) + "}");
            }
        }
    }

    private static void ranges(PgType t, List<@Nullable Object> out) {
        out.add("empty");
        out.add("(,)");
        String sub = t.element().map(e -> e.underlying().name()).orElse("");
        switch (sub) {
            case "int4", "int8" -> out.addAll(List.of("[0,2000)", "[-10,5)", "[1440,1441)", "(,5)", "[5,)"));
            case "numeric" -> out.addAll(List.of("[0,1)", "(,1)", "[1,)"));
            case "date" -> out.addAll(List.of("[2000-01-01,2000-01-02)", "(,2000-01-01)", "[2000-01-01,)"));
            case "timestamp", "timestamptz" -> out.addAll(List.of("[2000-01-01 00:00,2000-01-02 00:00)",
                    "(,2000-01-01 00:00)", "[2000-01-01 00:00,)"));
            default -> { }
        }
    }
}

package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.schema.PgType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/** Values of every supported type: their arbitraries, text forms, order and literal parsing. */
final class Values {
    static final LocalDate EPOCH_DATE = LocalDate.of(2025, 1, 1);
    static final LocalDateTime EPOCH = EPOCH_DATE.atStartOfDay();
    static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
    static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);
    private static final int TEXT_MAX = 16;

    private Values() {}

    /** Thrown for a type pgprop cannot draw. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** The generator for a type, narrowed by what the CHECKs say about the column. */
    static Gen gen(PgType type, Narrowing n) {
        if (n.allowed != null && type.underlying().kind() != PgType.Kind.ARRAY) {
            List<Object> values = new ArrayList<>();
            for (String text : n.allowed) {
                Object v = parse(type, text);
                if (v != null) {
                    values.add(v);
                }
            }
            if (!values.isEmpty()) {
                return new Gen(Arbitraries.of(values), Gen.cycle(values));
            }
        }
        Gen g = switch (type.kind()) {
            case DOMAIN -> domain(type, n);
            case ENUM -> new Gen(Arbitraries.of(new ArrayList<Object>(type.labels())), Gen.cycle(type.labels()));
            case ARRAY -> array(type);
            case COMPOSITE -> composite(type);
            case RANGE -> range(type);
            case VECTOR -> vector(type);
            case BASE -> base(type, n);
            default -> throw new Unsupported(type.formatted());
        };
        if (!n.excluded.isEmpty()) {
            List<Object> excluded = n.excluded.stream().map(t -> parse(type, t)).toList();
            return new Gen(g.arbitrary().filter(v -> excluded.stream().noneMatch(x -> x != null && compare(type, v, x) == 0)),
                    g.variants());
        }
        return g;
    }

    private static Gen domain(PgType type, Narrowing n) {
        Narrowing inner = new Narrowing();
        copy(n, inner);
        for (var c : type.domainChecks()) {
            Expr.parse(c.expression()).ifPresent(e -> inner.add(e, "VALUE"));
        }
        return gen(type.element().orElseThrow(), inner);
    }

    private static void copy(Narrowing from, Narrowing to) {
        to.lower = from.lower;
        to.lowerInclusive = from.lowerInclusive;
        to.upper = from.upper;
        to.upperInclusive = from.upperInclusive;
        to.allowed = from.allowed;
        to.excluded.addAll(from.excluded);
        to.minLength = from.minLength;
        to.maxLength = from.maxLength;
        to.regex = from.regex;
        to.regexCaseInsensitive = from.regexCaseInsensitive;
    }

    private static Gen base(PgType t, Narrowing n) {
        return switch (t.name()) {
            case "int2" -> integral(n, Short.MIN_VALUE, Short.MAX_VALUE, v -> (short) v);
            case "int4" -> integral(n, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);
            case "int8" -> integral(n, Long.MIN_VALUE, Long.MAX_VALUE, v -> v);
            case "oid" -> integral(n, 0, 4294967295L, v -> v);
            case "numeric" -> numeric(t, n);
            case "money" -> money(n);
            case "float4" -> floating(n, true);
            case "float8" -> floating(n, false);
            case "bool" -> new Gen(Arbitraries.of(false, true).map(Object.class::cast), Gen.cycle(List.of(false, true)));
            case "text", "varchar", "bpchar", "name", "citext" -> text(t, n);
            case "date" -> date(n);
            case "timestamp" -> timestamp(t, n);
            case "timestamptz" -> timestamptz(t, n);
            case "time" -> time(t);
            case "timetz" -> timetz(t);
            case "interval" -> interval();
            case "uuid" -> new Gen(Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new)
                    .map(Object.class::cast), (b, k) -> new UUID(((UUID) b).getMostSignificantBits(),
                    ((UUID) b).getLeastSignificantBits() + k));
            case "json" -> new Gen(json().map(v -> (Object) json(v)), Gen.NONE);
            case "jsonb" -> new Gen(json().filter(v -> v instanceof Map || v instanceof List), (b, k) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("k" + k, b);
                return m;
            });
            case "bytea" -> new Gen(Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(Object.class::cast),
                    (b, k) -> {
                        byte[] a = Arrays.copyOf((byte[]) b, ((byte[]) b).length + 1);
                        a[a.length - 1] = (byte) k;
                        return k < 256 ? a : null;
                    });
            case "inet" -> new Gen(inet(false), Gen.NONE);
            case "cidr" -> new Gen(inet(true), Gen.NONE);
            case "macaddr" -> new Gen(mac(6), Gen.NONE);
            case "macaddr8" -> new Gen(mac(8), Gen.NONE);
            case "bit" -> new Gen(bits(t.length() < 0 ? 1 : t.length(), true), Gen.NONE);
            case "varbit" -> new Gen(bits(t.length() < 0 ? 16 : t.length(), false), Gen.NONE);
            case "xml" -> new Gen(Arbitraries.strings().alpha().ofMaxLength(8).map(s -> (Object) ("<x>" + s + "</x>")), Gen.NONE);
            default -> throw new Unsupported(t.formatted());
        };
    }

    private interface LongTo {
        Object apply(long v);
    }

    private static Gen integral(Narrowing n, long min, long max, LongTo box) {
        long lo = min;
        long hi = max;
        if (n.lower != null) {
            BigDecimal l = decimal(n.lower);
            if (l != null) {
                l = n.lowerInclusive ? l.setScale(0, RoundingMode.CEILING) : l.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE);
                lo = Math.max(lo, clamp(l, min, max));
            }
        }
        if (n.upper != null) {
            BigDecimal u = decimal(n.upper);
            if (u != null) {
                u = n.upperInclusive ? u.setScale(0, RoundingMode.FLOOR) : u.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE);
                hi = Math.min(hi, clamp(u, min, max));
            }
        }
        if (lo > hi) {
            hi = lo; // unsatisfiable: the CHECK filter names it
        }
        long flo = lo;
        long fhi = hi;
        Arbitrary<Object> a = Arbitraries.longs().between(lo, hi).map(box::apply);
        return new Gen(a, (b, k) -> {
            long v = ((Number) b).longValue();
            long span = fhi - flo;
            if (span >= 0 && span < k) {
                return null;
            }
            long next = v + k;
            if (next > fhi || next < v) {
                next = flo + (k - (fhi - v) - 1);
            }
            return box.apply(next);
        });
    }

    private static long clamp(BigDecimal v, long min, long max) {
        if (v.compareTo(BigDecimal.valueOf(min)) < 0) {
            return min;
        }
        if (v.compareTo(BigDecimal.valueOf(max)) > 0) {
            return max;
        }
        return v.longValueExact();
    }

    static @Nullable BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Gen numeric(PgType t, Narrowing n) {
        int scale = t.scale() >= 0 ? t.scale() : -1;
        BigDecimal max;
        if (t.precision() > 0) {
            int s = Math.max(scale, 0);
            max = BigDecimal.TEN.pow(Math.max(t.precision() - s, 0)).subtract(BigDecimal.ONE.movePointLeft(s));
        } else {
            max = new BigDecimal("1000000000000");
        }
        BigDecimal lo = max.negate();
        BigDecimal hi = max;
        BigDecimal step = BigDecimal.ONE.movePointLeft(Math.max(scale, 0));
        boolean bounded = false;
        if (n.lower != null && decimal(n.lower) != null) {
            BigDecimal l = decimal(n.lower);
            lo = lo.max(n.lowerInclusive ? l : l.add(scale >= 0 ? step : new BigDecimal("0.000001")));
            bounded = true;
        }
        if (n.upper != null && decimal(n.upper) != null) {
            BigDecimal u = decimal(n.upper);
            hi = hi.min(n.upperInclusive ? u : u.subtract(scale >= 0 ? step : new BigDecimal("0.000001")));
            bounded = true;
        }
        if (lo.compareTo(hi) > 0) {
            hi = lo;
        }
        Arbitrary<Object> plain;
        if (scale >= 0) {
            BigDecimal flo = lo.setScale(scale, RoundingMode.CEILING);
            BigDecimal fhi = hi.setScale(scale, RoundingMode.FLOOR);
            if (flo.compareTo(fhi) > 0) {
                fhi = flo;
            }
            plain = Arbitraries.bigDecimals().between(flo, fhi).ofScale(scale).map(Object.class::cast);
        } else {
            BigDecimal flo = lo;
            BigDecimal fhi = hi;
            plain = Choice.oneOf(Arbitraries.bigDecimals().between(flo, fhi).ofScale(0),
                    Arbitraries.bigDecimals().between(flo, fhi).ofScale(3)).map(Object.class::cast);
        }
        Arbitrary<Object> a = plain;
        if (!bounded) {
            List<Object> specials = new ArrayList<>(List.of(Double.NaN));
            if (t.precision() < 0) {
                specials.add(Double.POSITIVE_INFINITY);
                specials.add(Double.NEGATIVE_INFINITY);
            }
            a = Choice.frequencyOf(Tuple.of(19, plain), Tuple.of(1, Arbitraries.of(specials)));
        }
        BigDecimal fhi = hi;
        BigDecimal flo = lo;
        return new Gen(a, (b, k) -> {
            if (!(b instanceof BigDecimal d)) {
                return null;
            }
            BigDecimal next = d.add(step.multiply(BigDecimal.valueOf(k)));
            if (next.compareTo(fhi) > 0) {
                next = d.subtract(step.multiply(BigDecimal.valueOf(k)));
            }
            return next.compareTo(flo) < 0 ? null : next;
        });
    }

    private static Gen money(Narrowing n) {
        Narrowing m = new Narrowing();
        copy(n, m);
        Gen g = numeric(new PgType("pg_catalog", "numeric", "numeric(17,2)", PgType.Kind.BASE, -1, 17, 2, -1,
                Optional.empty(), List.of(), List.of(), false, List.of()), m);
        return new Gen(g.arbitrary().filter(v -> v instanceof BigDecimal), g.variants()); // money has no NaN
    }

    private static Gen floating(Narrowing n, boolean single) {
        double lo = -1e6;
        double hi = 1e6;
        boolean bounded = false;
        if (n.lower != null && decimal(n.lower) != null) {
            lo = decimal(n.lower).doubleValue();
            if (!n.lowerInclusive) {
                lo = Math.nextUp(lo);
            }
            bounded = true;
        }
        if (n.upper != null && decimal(n.upper) != null) {
            hi = decimal(n.upper).doubleValue();
            if (!n.upperInclusive) {
                hi = Math.nextDown(hi);
            }
            bounded = true;
        }
        if (lo > hi) {
            hi = lo;
        }
        Arbitrary<Object> plain = single
                ? Arbitraries.floats().between((float) lo, (float) hi).ofScale(3).map(Object.class::cast)
                : Arbitraries.doubles().between(lo, hi).ofScale(6).map(Object.class::cast);
        Arbitrary<Object> a = plain;
        if (!bounded) {
            List<Object> specials = single
                    ? List.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE)
                    : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE);
            a = Choice.frequencyOf(Tuple.of(19, plain), Tuple.of(1, Arbitraries.of(specials)));
        }
        double fhi = hi;
        return new Gen(a, (b, k) -> {
            double v = ((Number) b).doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v) || v + k > fhi) {
                return null;
            }
            return single ? (Object) (float) (v + k) : (Object) (v + k);
        });
    }

    /**
     * {@code a} or, with probability {@code p}, NULL: what jqwik's {@code injectNull} does, without
     * its {@code flatMap}, which looks a generator up in jqwik's store for every value drawn. A
     * uniform number in 0..999 below {@code p} × 1000 makes it NULL; it shrinks towards 0, so a value
     * shrinks to NULL first, as with {@code injectNull}.
     */
    static <T> Arbitrary<T> orNull(Arbitrary<T> a, double p) {
        int nulls = (int) Math.round(p * 1000);
        if (nulls <= 0) {
            return a;
        }
        return Combinators.combine(Arbitraries.integers().between(0, 999).withDistribution(RandomDistribution.uniform()), a)
                .as((k, v) -> k < nulls ? null : v);
    }

    /** True with probability {@code p}, shrinking towards true (as frequencyOf(p: true, 1-p: false) does). */
    static Arbitrary<Boolean> chance(double p) {
        int hits = (int) Math.round(p * 1000);
        return Arbitraries.integers().between(0, 999).withDistribution(RandomDistribution.uniform()).map(k -> k < hits);
    }

    /** The characters of ordinary text, in shrinking order: letters, digits, then quotes and others that need escaping. */
    private static final char[] ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + " -_'\\\"%.,é€").toCharArray();

    private static Gen text(PgType t, Narrowing n) {
        int typeMax = t.name().equals("name") ? 63 : t.length();
        boolean padded = t.name().equals("bpchar");
        if (padded && typeMax < 0) {
            typeMax = 1; // bare char is char(1)
        }
        int max = typeMax < 0 ? TEXT_MAX : Math.min(typeMax, 64);
        if (n.maxLength >= 0) {
            max = Math.min(max, n.maxLength);
        }
        int min = Math.min(n.minLength, max);
        int fmax = max;
        int fmin = min;
        Arbitrary<Object> a;
        if (n.regex != null) {
            String regex = n.regex;
            RegexStrings rgx;
            Pattern check;
            try {
                rgx = new RegexStrings(Eval.javaRegex(regex));
                check = Eval.pattern(regex, n.regexCaseInsensitive);
            } catch (RuntimeException e) {
                throw new Unsupported(t.formatted() + " matching the regular expression '" + regex + "' ("
                        + e.getMessage() + ")");
            }
            // kept: the filter reads the string, and so does the row; each read would generate it again.
            // A string longer than the column allows comes out null (not built) and is turned down.
            a = Kept.of(Arbitraries.longs().between(0, Long.MAX_VALUE).map(seed -> (Object) rgx.generate(seed, fmax)))
                    .filter(s -> {
                        String str = (String) s;
                        return str != null && str.length() >= fmin && str.indexOf('\0') < 0
                                && check.matcher(str).find() && (!padded || !str.endsWith(" "));
                    });
            return new Gen(a, Gen.NONE);
        }
        // one list of characters, not ranges: jqwik picks between ranges with a flatMap per character
        Arbitrary<String> chars = Arbitraries.strings().withChars(ALPHABET).ofMinLength(min).ofMaxLength(max);
        Arbitrary<String> wide = Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMinLength(min).ofMaxLength(max);
        Arbitrary<String> full = Arbitraries.strings().withCharRange('a', 'z').ofLength(max);
        // kept: the filter reads the string, and so does the row; each read would build it again from its characters
        a = Kept.of(Choice.frequencyOf(Tuple.of(16, chars), Tuple.of(2, wide), Tuple.of(2, full))
                        .map(s -> (Object) (padded ? stripTrailing(s) : s)))
                .filter(s -> ((String) s).length() >= fmin);
        return new Gen(a, (b, k) -> {
            String s = (String) b;
            String suffix = Integer.toString(k, 36);
            if (suffix.length() > fmax) {
                return null;
            }
            String base = s.length() + suffix.length() > fmax ? s.substring(0, fmax - suffix.length()) : s;
            String v = base + suffix;
            return v.length() < fmin ? null : v;
        });
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    private static Gen date(Narrowing n) {
        LocalDate lo = MIN_DATE;
        LocalDate hi = MAX_DATE;
        boolean bounded = false;
        if (n.lower != null && parseDate(n.lower) instanceof LocalDate l) {
            lo = n.lowerInclusive ? l : l.plusDays(1);
            bounded = true;
        }
        if (n.upper != null && parseDate(n.upper) instanceof LocalDate u) {
            hi = n.upperInclusive ? u : u.minusDays(1);
            bounded = true;
        }
        if (lo.isAfter(hi)) {
            hi = lo;
        }
        LocalDate origin = EPOCH_DATE.isBefore(lo) ? lo : EPOCH_DATE.isAfter(hi) ? hi : EPOCH_DATE;
        long down = ChronoUnit.DAYS.between(lo, origin);
        long up = ChronoUnit.DAYS.between(origin, hi);
        Arbitrary<Object> near = Arbitraries.longs().between(-Math.min(down, 3650), Math.min(up, 3650))
                .map(d -> (Object) origin.plusDays(d));
        Arbitrary<Object> far = Arbitraries.longs().between(-down, up).map(d -> (Object) origin.plusDays(d));
        Arbitrary<Object> a = Choice.frequencyOf(Tuple.of(17, near), Tuple.of(3, far));
        if (!bounded) {
            a = Choice.frequencyOf(Tuple.of(19, a), Tuple.of(1, Arbitraries.of("infinity", "-infinity")));
        }
        LocalDate fhi = hi;
        return new Gen(a, (b, k) -> b instanceof LocalDate d && !d.plusDays(k).isAfter(fhi) ? d.plusDays(k) : null);
    }

    private static Gen timestamp(PgType t, Narrowing n) {
        LocalDateTime lo = MIN_DATE.atStartOfDay();
        LocalDateTime hi = MAX_DATE.atTime(23, 59, 59);
        boolean bounded = false;
        if (n.lower != null && parseTimestamp(n.lower) instanceof LocalDateTime l) {
            lo = n.lowerInclusive ? l : l.plusNanos(1000);
            bounded = true;
        }
        if (n.upper != null && parseTimestamp(n.upper) instanceof LocalDateTime u) {
            hi = n.upperInclusive ? u : u.minusNanos(1000);
            bounded = true;
        }
        if (lo.isAfter(hi)) {
            hi = lo;
        }
        LocalDateTime origin = EPOCH.isBefore(lo) ? lo : EPOCH.isAfter(hi) ? hi : EPOCH;
        long down = ChronoUnit.SECONDS.between(lo, origin);
        long up = ChronoUnit.SECONDS.between(origin, hi);
        int precision = t.precision() < 0 ? 6 : t.precision();
        long unit = (long) Math.pow(10, 6 - precision);
        Arbitrary<Object> near = Combinators.combine(Arbitraries.longs().between(-Math.min(down, 400L * 86400),
                Math.min(up, 400L * 86400)), Arbitraries.longs().between(0, 999_999 / unit))
                .as((s, micros) -> (Object) clampTs(origin.plusSeconds(s).plusNanos(micros * unit * 1000), origin, down, up));
        Arbitrary<Object> far = Arbitraries.longs().between(-down, up).map(s -> (Object) origin.plusSeconds(s));
        Arbitrary<Object> a = Choice.frequencyOf(Tuple.of(17, near), Tuple.of(3, far));
        if (!bounded) {
            a = Choice.frequencyOf(Tuple.of(19, a), Tuple.of(1, Arbitraries.of("infinity", "-infinity")));
        }
        LocalDateTime fhi = hi;
        return new Gen(a, (b, k) -> b instanceof LocalDateTime d && !d.plusSeconds(k).isAfter(fhi) ? d.plusSeconds(k) : null);
    }

    private static LocalDateTime clampTs(LocalDateTime v, LocalDateTime origin, long down, long up) {
        LocalDateTime hi = origin.plusSeconds(up);
        return v.isAfter(hi) ? hi : v;
    }

    private static Gen timestamptz(PgType t, Narrowing n) {
        Narrowing local = new Narrowing();
        copy(n, local);
        local.lower = n.lower == null ? null : instantText(n.lower);
        local.upper = n.upper == null ? null : instantText(n.upper);
        Gen g = timestamp(t, local);
        return new Gen(g.arbitrary().map(v -> v instanceof LocalDateTime l ? (Object) l.toInstant(ZoneOffset.UTC) : v),
                (b, k) -> b instanceof Instant i ? i.plusSeconds(k) : null);
    }

    private static @Nullable String instantText(String text) {
        Object i = parseInstant(text);
        return i instanceof Instant in ? LocalDateTime.ofInstant(in, ZoneOffset.UTC).toString() : null;
    }

    private static Gen time(PgType t) {
        Arbitrary<Object> a = Choice.frequencyOf(
                Tuple.of(19, Arbitraries.longs().between(0, 86_399_999_999L).map(us -> (Object) LocalTime.ofNanoOfDay(us * 1000))),
                Tuple.of(1, Arbitraries.just("24:00:00")));
        return new Gen(a, (b, k) -> b instanceof LocalTime lt && lt.toSecondOfDay() + k < 86_400 ? lt.plusSeconds(k) : null);
    }

    private static Gen timetz(PgType t) {
        Arbitrary<Object> a = Combinators.combine(Arbitraries.longs().between(0, 86_399L),
                Arbitraries.integers().between(-14, 14)).as((s, h) -> (Object) (LocalTime.ofSecondOfDay(s)
                + (h < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(h))));
        return new Gen(a, Gen.NONE);
    }

    private static Gen interval() {
        Arbitrary<Object> a = Combinators.combine(Arbitraries.integers().between(-1000, 1000),
                Arbitraries.integers().between(-400, 400), Arbitraries.longs().between(-86_400_000_000L, 86_400_000_000L))
                .as((m, d, us) -> (Object) (m + " mons " + d + " days " + BigDecimal.valueOf(us, 6).toPlainString() + " seconds"));
        return new Gen(a, Gen.NONE);
    }

    private static Arbitrary<Object> json() {
        Arbitrary<Object> scalar = Choice.oneOf(Arbitraries.integers().between(-1000, 1000).map(Object.class::cast),
                Arbitraries.strings().alpha().ofMaxLength(6).map(Object.class::cast), Arbitraries.of(true, false).map(Object.class::cast));
        Arbitrary<Object> object = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4), scalar)
                .ofMaxSize(3).map(m -> (Object) new LinkedHashMap<>(m));
        Arbitrary<Object> list = scalar.list().ofMaxSize(3).map(Object.class::cast);
        return Choice.frequencyOf(Tuple.of(6, object), Tuple.of(2, list), Tuple.of(2, scalar));
    }

    private static Arbitrary<Object> inet(boolean cidr) {
        return Combinators.combine(Arbitraries.integers().between(0, 255).list().ofSize(4),
                Arbitraries.integers().between(cidr ? 0 : 32, 32), Arbitraries.of(false, true)).as((bytes, bits, v6) -> {
                    if (v6) {
                        int prefix = cidr ? Math.min(128, bits * 4) : 128;
                        BigInteger v = BigInteger.ZERO;
                        for (int b : bytes) {
                            v = v.shiftLeft(32).or(BigInteger.valueOf(b * 16777619L & 0xffffffffL));
                        }
                        v = v.shiftRight(128 - prefix).shiftLeft(128 - prefix);
                        StringBuilder s = new StringBuilder();
                        for (int i = 7; i >= 0; i--) {
                            s.append(v.shiftRight(i * 16).and(BigInteger.valueOf(0xffff)).toString(16)).append(i > 0 ? ":" : "");
                        }
                        return (Object) (s + "/" + prefix);
                    }
                    long v = 0;
                    for (int b : bytes) {
                        v = (v << 8) | b;
                    }
                    if (cidr) {
                        v = bits == 0 ? 0 : (v >> (32 - bits)) << (32 - bits);
                    }
                    String ip = ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
                    return (Object) (ip + "/" + bits);
                });
    }

    private static Arbitrary<Object> mac(int n) {
        return Arbitraries.bytes().array(byte[].class).ofSize(n).map(b -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < b.length; i++) {
                s.append(i == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
            }
            return (Object) s.toString();
        });
    }

    private static Arbitrary<Object> bits(int n, boolean fixed) {
        net.jqwik.api.arbitraries.StringArbitrary s = Arbitraries.strings().withChars('0', '1');
        return (fixed ? s.ofLength(n) : s.ofMaxLength(n)).map(Object.class::cast);
    }

    private static Gen array(PgType t) {
        Gen element = gen(t.element().orElseThrow(), new Narrowing());
        return new Gen(orNull(element.arbitrary(), 0.1).list().ofMaxSize(4).map(l -> (Object) l.toArray()), (b, k) -> {
            Object[] a = (Object[]) b;
            if (a.length == 0) {
                return null;
            }
            Object v = element.variants().variant(a[0], k);
            if (v == null) {
                return null;
            }
            Object[] copy = a.clone();
            copy[0] = v;
            return copy;
        });
    }

    private static Gen composite(PgType t) {
        List<Arbitrary<Object>> parts = new ArrayList<>();
        for (PgType.Attribute a : t.attributes()) {
            parts.add(orNull(gen(a.type(), new Narrowing()).arbitrary(), 0.1));
        }
        return new Gen(Combinators.combine(parts).as(l -> (Object) new Composite(new ArrayList<>(l))), Gen.NONE);
    }

    private static Gen range(PgType t) {
        PgType sub = t.element().orElseThrow().underlying();
        boolean discrete = List.of("int4", "int8", "date").contains(sub.name());
        Gen element = gen(sub, new Narrowing());
        Arbitrary<Object> bounded = Combinators.combine(element.arbitrary(), element.arbitrary(), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as((a, b, li, ui) -> {
                    if (isSpecial(a) || isSpecial(b)) {
                        return Range.EMPTY;
                    }
                    int c = compare(sub, a, b);
                    Object lo = c <= 0 ? a : b;
                    Object hi = c <= 0 ? b : a;
                    if (discrete) {
                        return c == 0 ? Range.EMPTY : new Range(lo, hi, true, false, false);
                    }
                    if (c == 0 && !(li && ui)) {
                        return new Range(lo, hi, true, true, false);
                    }
                    return new Range(lo, hi, li, ui, false);
                });
        Arbitrary<Object> open = Combinators.combine(element.arbitrary().filter(v -> !isSpecial(v)), Arbitraries.of(true, false))
                .as((v, lowerOpen) -> (Object) (lowerOpen ? new Range(null, v, false, false, false) : new Range(v, null, true, false, false)));
        Arbitrary<Object> a = Choice.frequencyOf(Tuple.of(16, bounded.map(Object.class::cast)), Tuple.of(2, open),
                Tuple.of(1, Arbitraries.just(Range.EMPTY)), Tuple.of(1, Arbitraries.just(new Range(null, null, false, false, false))));
        return new Gen(a, Gen.NONE);
    }

    private static boolean isSpecial(Object v) {
        return v instanceof String || v instanceof Double d && (d.isNaN() || d.isInfinite());
    }

    private static Gen vector(PgType t) {
        int dims = t.dimensions() > 0 ? t.dimensions() : 3;
        Arbitrary<Float> component = Arbitraries.floats().between(-1, 1).ofScale(3);
        Arbitrary<Object> a = switch (t.name()) {
            case "vector" -> component.array(float[].class).ofSize(dims).map(Object.class::cast);
            case "halfvec" -> component.array(float[].class).ofSize(dims).map(f -> (Object) vectorText(f));
            default -> component.list().ofSize(dims).map(l -> {
                StringBuilder s = new StringBuilder("{");
                boolean first = true;
                for (int i = 0; i < l.size(); i++) {
                    if (l.get(i) != 0) {
                        s.append(first ? "" : ",").append(i + 1).append(':').append(l.get(i));
                        first = false;
                    }
                }
                return (Object) s.append("}/").append(dims).toString();
            });
        };
        return new Gen(a, Gen.NONE);
    }

    // ---- literals, order, text forms ----

    /** A literal of a CHECK or an IN list, read as a value of the type; null when it cannot be. */
    static @Nullable Object parse(PgType type, String text) {
        PgType t = type.underlying();
        if (t.kind() == PgType.Kind.ENUM) {
            return t.labels().contains(text) ? text : null;
        }
        if (t.kind() != PgType.Kind.BASE) {
            return null;
        }
        try {
            return switch (t.name()) {
                case "int2" -> Short.parseShort(text.trim());
                case "int4" -> Integer.parseInt(text.trim());
                case "int8", "oid" -> Long.parseLong(text.trim());
                case "numeric", "money" -> special(text) != null ? special(text) : new BigDecimal(text.trim());
                case "float4" -> special(text) != null ? (Object) special(text).floatValue() : (Object) Float.parseFloat(text.trim());
                case "float8" -> special(text) != null ? special(text) : Double.parseDouble(text.trim());
                case "bool" -> text.equalsIgnoreCase("true") || text.equalsIgnoreCase("t");
                case "text", "varchar", "bpchar", "name", "citext" -> t.name().equals("bpchar") ? stripTrailing(text) : text;
                case "date" -> parseDate(text);
                case "timestamp" -> parseTimestamp(text);
                case "timestamptz" -> parseInstant(text);
                case "uuid" -> UUID.fromString(text);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static @Nullable Double special(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "infinity" -> Double.POSITIVE_INFINITY;
            case "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    static @Nullable Object parseDate(String text) {
        try {
            String s = text.trim();
            return s.equalsIgnoreCase("infinity") || s.equalsIgnoreCase("-infinity") ? s.toLowerCase(Locale.ROOT) : LocalDate.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static @Nullable Object parseTimestamp(String text) {
        try {
            String s = text.trim();
            if (s.equalsIgnoreCase("infinity") || s.equalsIgnoreCase("-infinity")) {
                return s.toLowerCase(Locale.ROOT);
            }
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s.replace(' ', 'T'));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static @Nullable Object parseInstant(String text) {
        try {
            String s = text.trim().replace(' ', 'T');
            if (s.equalsIgnoreCase("infinity") || s.equalsIgnoreCase("-infinity")) {
                return s.toLowerCase(Locale.ROOT);
            }
            if (s.matches(".*[+-]\\d\\d$")) {
                s = s + ":00";
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * PostgreSQL's order of two values of one type (numbers with NaN above everything, dates with
     * ±infinity); throws IllegalArgumentException when Java cannot tell (text under a collation).
     */
    static int compare(PgType type, Object a, Object b) {
        if (a instanceof Number || b instanceof Number) {
            return compareNumbers(a, b);
        }
        if (a instanceof String sa && b instanceof String sb) {
            if (isInfinity(sa) || isInfinity(sb)) {
                return Integer.compare(rank(sa), rank(sb));
            }
            if (sa.equals(sb)) {
                return 0;
            }
            PgType u = type.underlying();
            if (u.kind() == PgType.Kind.ENUM) {
                return Integer.compare(u.labels().indexOf(sa), u.labels().indexOf(sb));
            }
            throw new IllegalArgumentException("text order depends on the collation");
        }
        if (a instanceof String s) {
            if (isInfinity(s)) {
                return rank(s);
            }
            throw new IllegalArgumentException("cannot compare " + a + " and " + b);
        }
        if (b instanceof String s) {
            if (isInfinity(s)) {
                return -rank(s);
            }
            throw new IllegalArgumentException("cannot compare " + a + " and " + b);
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        if (a instanceof LocalTime x && b instanceof LocalTime y) {
            return x.compareTo(y);
        }
        if (a instanceof UUID x && b instanceof UUID y) {
            return x.equals(y) ? 0 : Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits()) != 0
                    ? Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits())
                    : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.compareTo(y);
        }
        if (a.equals(b)) {
            return 0;
        }
        throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " and " + b.getClass().getSimpleName());
    }

    private static boolean isInfinity(String s) {
        return s.equals("infinity") || s.equals("-infinity");
    }

    private static int rank(String s) {
        return s.equals("infinity") ? 1 : s.equals("-infinity") ? -1 : 0;
    }

    static int compareNumbers(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && integral(x) && integral(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        double da = ((Number) a).doubleValue();
        double db = ((Number) b).doubleValue();
        boolean sa = Double.isNaN(da) || Double.isInfinite(da);
        boolean sb = Double.isNaN(db) || Double.isInfinite(db);
        if (sa || sb) {
            return Double.compare(Double.isNaN(da) ? Double.MAX_VALUE * 2 : da, Double.isNaN(db) ? Double.MAX_VALUE * 2 : db)
                    + (Double.isNaN(da) && !Double.isNaN(db) ? 1 : 0) - (Double.isNaN(db) && !Double.isNaN(da) ? 1 : 0);
        }
        return toDecimal(a).compareTo(toDecimal(b));
    }

    private static boolean integral(Object n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }

    private static BigDecimal toDecimal(Object n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            return new BigDecimal(((Number) n).toString());
        }
        return BigDecimal.valueOf(((Number) n).longValue());
    }

    /** A value as a unique index compares it: equal keys for values PostgreSQL holds equal. */
    static Object key(@Nullable Object v) {
        if (v == null) {
            return "\u0000null";
        }
        if (v instanceof Number n) {
            if (integral(n)) {
                return n.longValue();
            }
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            // a whole number is a Long key, whatever type carries it, so 5, 5L and 5.00 are one key
            BigDecimal stripped = toDecimal(n).stripTrailingZeros();
            if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 18) {
                return stripped.longValueExact();
            }
            return stripped;
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        if (v instanceof float[] f) {
            return Arrays.toString(f);
        }
        if (v instanceof String s) {
            return stripTrailing(s); // char(n) ignores trailing blanks; other strings rarely end in one
        }
        return v;
    }

    /** The value as the dataset carries it (composites and ranges in text form, arrays typed). */
    static @Nullable Object output(PgType type, @Nullable Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Boolean) {
            return v; // the most common values, carried as they are whatever the type
        }
        PgType t = type.underlying();
        if (v instanceof Composite c) {
            return text(t, c);
        }
        if (v instanceof Range r) {
            PgType sub = t.element().orElseThrow();
            return r.text(e -> text(sub, e));
        }
        if (v instanceof Object[] a) {
            PgType element = t.kind() == PgType.Kind.ARRAY ? t.element().orElseThrow() : t;
            Object[] out = new Object[a.length];
            Class<?> common = null;
            for (int i = 0; i < a.length; i++) {
                out[i] = output(element, a[i]);
                if (out[i] != null) {
                    common = common == null || common == out[i].getClass() ? out[i].getClass() : Object.class;
                }
            }
            if (common != null && common != Object.class && !common.isArray()) {
                Object[] typed = (Object[]) java.lang.reflect.Array.newInstance(common, out.length);
                System.arraycopy(out, 0, typed, 0, out.length);
                return typed;
            }
            return out;
        }
        if (t.name().equals("numeric") && v instanceof Double d) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        if (t.name().equals("money") && v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return v;
    }

    /** PostgreSQL's text form of a value, as a composite field, range bound or SQL literal carries it. */
    static String text(PgType type, Object v) {
        PgType t = type.underlying();
        if (v instanceof Composite c) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < c.fields().size(); i++) {
                Object f = c.fields().get(i);
                if (i > 0) {
                    b.append(',');
                }
                if (f != null) {
                    String s = text(t.attributes().get(i).type(), f);
                    b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            return b.append(')').toString();
        }
        if (v instanceof Range r) {
            PgType sub = t.element().orElseThrow();
            return r.text(e -> text(sub, e));
        }
        Object out = output(t, v);
        if (out instanceof Object[] a) {
            return arrayText(a);
        }
        if (out instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (out instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (out instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (out instanceof float[] f) {
            return vectorText(f);
        }
        if (out instanceof Map<?, ?> || out instanceof List<?>) {
            return json(out);
        }
        if (out instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        if (out instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return f.isNaN() ? "NaN" : f > 0 ? "Infinity" : "-Infinity";
        }
        return String.valueOf(out);
    }

    static String vectorText(float[] f) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < f.length; i++) {
            b.append(i == 0 ? "" : ",").append(f[i]);
        }
        return b.append(']').toString();
    }

    private static String arrayText(Object[] a) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ",");
            if (a[i] == null) {
                b.append("NULL");
            } else if (a[i] instanceof Object[] inner) {
                b.append(arrayText(inner));
            } else {
                String s = a[i] instanceof String str ? str : text(PgType.base("text", "text"), a[i]);
                b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.append('}').toString();
    }

    /** JSON text of maps, lists, strings, numbers and booleans. */
    static String json(@Nullable Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, x) -> b.append(b.length() == 1 ? "" : ",").append(json(String.valueOf(k))).append(':').append(json(x)));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            l.forEach(x -> b.append(b.length() == 1 ? "" : ",").append(json(x)));
            return b.append(']').toString();
        }
        if (v instanceof String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
        return String.valueOf(v);
    }

    /** Length in characters, as {@code length()} counts them. */
    static int length(Object v) {
        return v instanceof String s ? s.codePointCount(0, s.length()) : v instanceof byte[] b ? b.length
                : String.valueOf(v).getBytes(StandardCharsets.UTF_8).length;
    }
}

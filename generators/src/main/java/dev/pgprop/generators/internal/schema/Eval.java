package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.schema.PgType;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a parsed CHECK in Java with SQL's three-valued logic ({@code null} is unknown, which
 * passes a CHECK). {@link Unevaluable} when Java cannot decide as PostgreSQL would (text order
 * under a collation, a literal of a type it does not read): the caller asks the server.
 */
final class Eval {
    static final class Unevaluable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unevaluable(String message) {
            super(message, null, false, false);
        }
    }

    private Eval() {}

    /** Does the CHECK hold (true or unknown)? */
    static boolean holds(Expr e, Map<String, @Nullable Object> row, Function<String, PgType> types) {
        return !Boolean.FALSE.equals(eval(e, row, types));
    }

    static @Nullable Boolean eval(Expr e, Map<String, @Nullable Object> row, Function<String, PgType> types) {
        if (e instanceof Expr.And a) {
            boolean unknown = false;
            for (Expr p : a.parts()) {
                Boolean b = eval(p, row, types);
                if (Boolean.FALSE.equals(b)) {
                    return false;
                }
                unknown |= b == null;
            }
            return unknown ? null : true;
        }
        if (e instanceof Expr.Or o) {
            boolean unknown = false;
            for (Expr p : o.parts()) {
                Boolean b = eval(p, row, types);
                if (Boolean.TRUE.equals(b)) {
                    return true;
                }
                unknown |= b == null;
            }
            return unknown ? null : false;
        }
        if (e instanceof Expr.Not n) {
            Boolean b = eval(n.inner(), row, types);
            return b == null ? null : !b;
        }
        if (e instanceof Expr.IsNull n) {
            Object v = value(n.term(), row, null, types);
            return (v == null) != n.negated();
        }
        if (e instanceof Expr.Bool b) {
            Object v = value(b.term(), row, null, types);
            if (v == null) {
                return null;
            }
            if (v instanceof Boolean bool) {
                return bool;
            }
            throw new Unevaluable("not a boolean: " + v);
        }
        if (e instanceof Expr.In in) {
            PgType t = typeOf(in.term(), types);
            Object v = value(in.term(), row, t, types);
            if (v == null) {
                return null;
            }
            boolean found = false;
            boolean unknown = false;
            for (Expr.Term.Literal lit : in.values()) {
                Object x = literal(lit, t);
                if (x == null) {
                    unknown = true;
                } else if (Values.key(v).equals(Values.key(x))) {
                    found = true;
                }
            }
            if (found) {
                return !in.negated();
            }
            return unknown ? null : in.negated();
        }
        if (e instanceof Expr.Regex r) {
            Object v = value(r.term(), row, null, types);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw new Unevaluable("regex on a non-text value");
            }
            boolean m = pattern(r.pattern(), r.caseInsensitive()).matcher(s).find();
            return m != r.negated();
        }
        if (e instanceof Expr.Compare c) {
            PgType t = typeOf(c.left(), types);
            if (t == null) {
                t = typeOf(c.right(), types);
            }
            Object a = value(c.left(), row, t, types);
            Object b = value(c.right(), row, t, types);
            if (a == null || b == null) {
                return null;
            }
            int cmp;
            if (c.op().equals("=") || c.op().equals("<>")) {
                boolean eq;
                try {
                    eq = Values.compare(t == null ? PgType.base("text", "text") : t, a, b) == 0;
                } catch (IllegalArgumentException ex) {
                    eq = Values.key(a).equals(Values.key(b));
                }
                return eq == c.op().equals("=");
            }
            try {
                cmp = Values.compare(t == null ? PgType.base("text", "text") : t, a, b);
            } catch (IllegalArgumentException ex) {
                throw new Unevaluable(ex.getMessage());
            }
            return switch (c.op()) {
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                default -> cmp >= 0;
            };
        }
        throw new Unevaluable("unknown shape");
    }

    private static @Nullable PgType typeOf(Expr.Term t, Function<String, PgType> types) {
        if (t instanceof Expr.Term.Column c) {
            return types.apply(c.name());
        }
        if (t instanceof Expr.Term.Length) {
            return PgType.base("int4", "integer");
        }
        return null;
    }

    private static @Nullable Object value(Expr.Term t, Map<String, @Nullable Object> row, @Nullable PgType type,
                                          Function<String, PgType> types) {
        if (t instanceof Expr.Term.Column c) {
            if (!row.containsKey(c.name())) {
                throw new Unevaluable("column " + c.name() + " is not in the row");
            }
            return row.get(c.name());
        }
        if (t instanceof Expr.Term.Length l) {
            Object v = value(l.column(), row, null, types);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw new Unevaluable("length of a non-text value");
            }
            PgType ct = types.apply(l.column().name());
            String str = ct != null && ct.underlying().name().equals("bpchar") ? s.stripTrailing() : s;
            return str.codePointCount(0, str.length());
        }
        Expr.Term.Literal lit = (Expr.Term.Literal) t;
        if (lit.text() == null) {
            return null;
        }
        Object v = literal(lit, type);
        if (v == null) {
            throw new Unevaluable("literal " + lit.text());
        }
        return v;
    }

    private static @Nullable Object literal(Expr.Term.Literal lit, @Nullable PgType type) {
        if (lit.text() == null) {
            return null;
        }
        if (type == null) {
            return lit.quoted() ? lit.text() : Values.decimal(lit.text());
        }
        return Values.parse(type, lit.text());
    }

    private static final Map<String, String> POSIX = Map.of("[:digit:]", "0-9", "[:alpha:]", "a-zA-Z", "[:alnum:]",
            "a-zA-Z0-9", "[:upper:]", "A-Z", "[:lower:]", "a-z", "[:space:]", " \\t\\n\\r", "[:xdigit:]", "0-9a-fA-F");

    /** A PostgreSQL regular expression as Java reads it (POSIX classes spelled out). */
    static String javaRegex(String pg) {
        String s = pg;
        for (Map.Entry<String, String> e : POSIX.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        if (s.contains("[:")) {
            throw new Unevaluable("POSIX class in " + pg);
        }
        return s;
    }

    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The compiled pattern, compiled once: a CHECK's regular expression is evaluated for every drawn row. */
    static Pattern pattern(String pg, boolean caseInsensitive) {
        String key = (caseInsensitive ? "i:" : "c:") + pg;
        Pattern p = PATTERNS.get(key);
        if (p == null) {
            try {
                p = Pattern.compile(javaRegex(pg), caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (RuntimeException e) {
                throw new Unevaluable("regex " + pg);
            }
            PATTERNS.put(key, p);
        }
        return p;
    }
}

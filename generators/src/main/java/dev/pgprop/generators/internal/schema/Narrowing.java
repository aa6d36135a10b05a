package dev.pgprop.generators.internal.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the parsed CHECKs say about one column on their own: bounds, an IN list, excluded values,
 * length bounds, a regular expression, NOT NULL. Generators draw inside it; the row filter still
 * evaluates every CHECK, so it only has to be mostly right.
 */
final class Narrowing {
    @Nullable String lower;
    boolean lowerInclusive;
    @Nullable String upper;
    boolean upperInclusive;
    @Nullable List<String> allowed;
    final List<String> excluded = new ArrayList<>();
    int minLength;
    int maxLength = -1;
    @Nullable String regex;
    boolean regexCaseInsensitive;
    boolean notNull;

    boolean isEmpty() {
        return lower == null && upper == null && allowed == null && minLength == 0 && maxLength < 0 && regex == null;
    }

    /** Adds what {@code e} (a whole CHECK) says about {@code column}. */
    void add(Expr e, String column) {
        if (e instanceof Expr.And a) {
            a.parts().forEach(p -> add(p, column));
        } else if (e instanceof Expr.Or o) {
            // "col IS NULL OR <about col>": the other branch holds for every non-null value
            List<Expr> rest = new ArrayList<>();
            boolean nullBranch = false;
            for (Expr p : o.parts()) {
                if (p instanceof Expr.IsNull n && !n.negated() && isColumn(n.term(), column)) {
                    nullBranch = true;
                } else {
                    rest.add(p);
                }
            }
            if (nullBranch && rest.size() == 1 && Expr.columns(rest.get(0)).equals(List.of(column))) {
                add(rest.get(0), column);
            }
        } else if (e instanceof Expr.IsNull n && n.negated() && isColumn(n.term(), column)) {
            notNull = true;
        } else if (e instanceof Expr.In in && !in.negated() && isColumn(in.term(), column)) {
            List<String> values = new ArrayList<>();
            in.values().forEach(v -> {
                if (v.text() != null) {
                    values.add(v.text());
                }
            });
            allowed = allowed == null ? values : new ArrayList<>(allowed.stream().filter(values::contains).toList());
        } else if (e instanceof Expr.In in && in.negated() && isColumn(in.term(), column)) {
            in.values().forEach(v -> {
                if (v.text() != null) {
                    excluded.add(v.text());
                }
            });
        } else if (e instanceof Expr.Regex r && !r.negated() && isColumn(r.term(), column)) {
            regex = r.pattern();
            regexCaseInsensitive = r.caseInsensitive();
        } else if (e instanceof Expr.Compare c) {
            compare(c.left(), c.op(), c.right(), column);
            compare(c.right(), flip(c.op()), c.left(), column);
        }
    }

    private void compare(Expr.Term left, String op, Expr.Term right, String column) {
        if (!(right instanceof Expr.Term.Literal lit) || lit.text() == null) {
            return;
        }
        String v = lit.text();
        if (left instanceof Expr.Term.Length l && l.column().name().equals(column)) {
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                return;
            }
            switch (op) {
                case "=" -> {
                    minLength = Math.max(minLength, n);
                    maxLength = maxLength < 0 ? n : Math.min(maxLength, n);
                }
                case ">" -> minLength = Math.max(minLength, n + 1);
                case ">=" -> minLength = Math.max(minLength, n);
                case "<" -> maxLength = maxLength < 0 ? n - 1 : Math.min(maxLength, n - 1);
                case "<=" -> maxLength = maxLength < 0 ? n : Math.min(maxLength, n);
                default -> { }
            }
            return;
        }
        if (!isColumn(left, column)) {
            return;
        }
        switch (op) {
            case "=" -> allowed = allowed == null ? new ArrayList<>(List.of(v)) : new ArrayList<>(allowed.stream().filter(v::equals).toList());
            case "<>" -> excluded.add(v);
            case ">", ">=" -> {
                if (lower == null || tighter(v, lower, true)) {
                    lower = v;
                    lowerInclusive = op.equals(">=");
                }
            }
            case "<", "<=" -> {
                if (upper == null || tighter(v, upper, false)) {
                    upper = v;
                    upperInclusive = op.equals("<=");
                }
            }
            default -> { }
        }
    }

    private static boolean tighter(String candidate, String current, boolean lowerBound) {
        try {
            int c = new BigDecimal(candidate).compareTo(new BigDecimal(current));
            return lowerBound ? c > 0 : c < 0;
        } catch (NumberFormatException e) {
            int c = candidate.compareTo(current); // ISO dates and times order as text
            return lowerBound ? c > 0 : c < 0;
        }
    }

    static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static boolean isColumn(Expr.Term t, String column) {
        return t instanceof Expr.Term.Column c && c.name().equals(column);
    }
}

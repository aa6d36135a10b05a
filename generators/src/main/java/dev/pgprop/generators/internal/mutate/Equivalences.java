package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Policy;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.mutate.Equivalence;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The equivalence rules. Each names itself in {@link Equivalence#rule()}:
 * <ul>
 * <li>{@code pk-implies-not-null}: NOT NULL dropped from a primary-key column (the key keeps it);
 * <li>{@code identity-implies-not-null}: NOT NULL dropped from an identity column (PostgreSQL keeps it);
 * <li>{@code domain-implies-not-null}: NOT NULL dropped from a column whose domain is NOT NULL;
 * <li>{@code check-implies-not-null}: NOT NULL dropped or added where a CHECK requires {@code col IS NOT NULL};
 * <li>{@code domain-implies-check}: a CHECK dropped that the column's domain also checks;
 * <li>{@code duplicate-check}: a CHECK dropped that another CHECK of the table repeats;
 * <li>{@code not-null-implies-check}: a CHECK {@code col IS NOT NULL} dropped where the column is NOT NULL;
 * <li>{@code implied-by-checks}: a bound {@code col >= n} dropped, moved or flipped where the table's other CHECKs
 *     imply it before and after ({@code col >= m}, or a chain {@code col >= y}, {@code y >= m} with y NOT NULL;
 *     m at least n);
 * <li>{@code bound-outside-type}: a bound moved where both bounds lie beyond the range of the column's type
 *     (an integer type, {@code numeric(p,s)}) or of the length of its {@code varchar(n)} / {@code char(n)};
 * <li>{@code boundary-outside-type}: a comparison flipped ({@code <} to {@code <=}, …) where the column cannot
 *     equal the number it is compared with (beyond that range, or finer than the type's scale);
 * <li>{@code key-implied-by-subset}: a unique key dropped or changed where another key on a subset of
 *     its columns makes the old and the new key redundant;
 * <li>{@code fk-not-valid}: a foreign key re-added NOT VALID (only rows present when it is added go unchecked);
 * <li>{@code policy-command-covered}: a policy turned FOR ALL where other policies already grant each command it gains,
 *     to the same roles, by the same expressions;
 * <li>{@code policy-already-true}: a policy widened to true whose expressions are already true;
 * <li>{@code grant-already-held}: a privilege granted to a role that already has it;
 * </ul>
 */
final class Equivalences {
    private static final Map<String, long[]> INTEGER_RANGES = Map.of("int2", new long[] {Short.MIN_VALUE, Short.MAX_VALUE}, "int4",
            new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, "int8", new long[] {Long.MIN_VALUE, Long.MAX_VALUE});

    private final Schema schema;

    Equivalences(Schema schema) {
        this.schema = schema;
    }

    Equivalence dropNotNull(Table t, Column col) {
        Optional<Constraint.PrimaryKey> pk = t.primaryKey();
        if (pk.isPresent() && pk.get().columns().contains(col.name())) {
            return Equivalence.equivalent("pk-implies-not-null", "the primary key " + pk.get().name() + " keeps " + col.name()
                    + " NOT NULL (PostgreSQL refuses to drop it)");
        }
        if (col.identity() != Column.Identity.NONE) {
            return Equivalence.equivalent("identity-implies-not-null", col.name() + " is an identity column, which PostgreSQL keeps NOT NULL");
        }
        if (col.type().kind() == PgType.Kind.DOMAIN && !new Column(col.name(), col.position(), col.type(), false, col.defaultExpression(),
                col.identity(), col.generatedExpression()).nullable()) {
            return Equivalence.equivalent("domain-implies-not-null", "the domain " + col.type().qualifiedName() + " of " + col.name()
                    + " is NOT NULL");
        }
        Optional<Constraint.Check> check = requiresNotNull(t, col);
        if (check.isPresent()) {
            return Equivalence.equivalent("check-implies-not-null", "CHECK " + check.get().name() + " requires " + col.name() + " IS NOT NULL");
        }
        return Equivalence.notEquivalent("a row with " + col.name() + " NULL is accepted by the mutant only");
    }

    Equivalence addNotNull(Table t, Column col) {
        Optional<Constraint.Check> check = requiresNotNull(t, col);
        if (check.isPresent()) {
            return Equivalence.equivalent("check-implies-not-null", "CHECK " + check.get().name() + " already requires " + col.name()
                    + " IS NOT NULL");
        }
        return Equivalence.notEquivalent("a row with " + col.name() + " NULL is refused by the mutant only");
    }

    /** A CHECK one of whose top-level AND conditions is {@code col IS NOT NULL}. */
    private static Optional<Constraint.Check> requiresNotNull(Table t, Column col) {
        String wanted = Expr.normal(col.name() + " IS NOT NULL");
        for (Constraint.Check k : t.checks()) {
            String sep = Expr.separator(k.expression());
            if (!sep.equals(" OR ") && Expr.parts(k.expression()).stream().anyMatch(p -> Expr.normal(p).equals(wanted))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    Equivalence dropCheck(Table t, Constraint.Check k) {
        String mine = Expr.normal(k.expression());
        if (k.columns().size() == 1 && t.hasColumn(k.columns().get(0))) {
            String col = k.columns().get(0);
            PgType type = t.column(col).type();
            while (type.kind() == PgType.Kind.DOMAIN) {
                for (Constraint.Check d : type.domainChecks()) {
                    if (Expr.normal(d.expression().replaceAll("\\bVALUE\\b", col)).equals(mine)) {
                        return Equivalence.equivalent("domain-implies-check", "the domain " + type.qualifiedName() + " of " + col
                                + " checks the same (" + d.name() + ")");
                    }
                }
                type = type.element().orElseThrow();
            }
        }
        for (Constraint.Check other : t.checks()) {
            if (!other.name().equals(k.name()) && Expr.normal(other.expression()).equals(mine)) {
                return Equivalence.equivalent("duplicate-check", "CHECK " + other.name() + " checks the same");
            }
        }
        for (String col : k.columns()) {
            if (t.hasColumn(col) && !t.column(col).nullable() && Expr.normal(col + " IS NOT NULL").equals(mine)) {
                return Equivalence.equivalent("not-null-implies-check", col + " is NOT NULL, which refuses every row " + k.name()
                        + " refuses");
            }
        }
        List<Expr.Bound> bounds = Expr.bounds(k.expression());
        if (Expr.parts(k.expression()).size() == 1 && bounds.size() == 1) {
            Expr.Bound b = bounds.get(0);
            String col = Expr.column(b.lhs());
            Optional<String> why = col == null ? Optional.empty() : impliedBound(t, k, col, b.op(), new BigDecimal(b.number()));
            if (why.isPresent()) {
                return Equivalence.equivalent("implied-by-checks", k.expression() + " follows from " + why.get());
            }
        }
        return Equivalence.notEquivalent("a row breaking " + k.expression() + " is accepted by the mutant only");
    }

    Equivalence bound(Table t, Constraint.Check k, Expr.Bound b, String newBound) {
        String col = Expr.column(b.lhs());
        if (col == null || !t.hasColumn(col)) {
            Range range = range(t, b.lhs());
            return range == null ? Equivalence.undecided("bound-of-expression", "the left side " + b.lhs() + " is an expression whose range"
                    + " is not known") : outsideType(b.lhs(), b.op(), b.number(), newBound, range);
        }
        if (Expr.parts(k.expression()).size() == 1) {
            Optional<String> before = impliedBound(t, k, col, b.op(), new BigDecimal(b.number()));
            Optional<String> after = impliedBound(t, k, col, b.op(), new BigDecimal(newBound));
            if (before.isPresent() && after.isPresent()) {
                return Equivalence.equivalent("implied-by-checks", "both " + b.lhs() + " " + b.op() + " " + b.number() + " and " + b.lhs() + " "
                        + b.op() + " " + newBound + " follow from " + after.get());
            }
        }
        return outsideType(b.lhs(), b.op(), b.number(), newBound, range(t, b.lhs()));
    }

    /**
     * {@code bound-outside-type}: both bounds beyond the range of the left side's type on the side
     * the comparison looks at, so that every value the column can hold is decided alike.
     */
    private static Equivalence outsideType(String lhs, String op, String number, String newBound, @Nullable Range range) {
        BigDecimal x = new BigDecimal(number);
        BigDecimal y = new BigDecimal(newBound);
        BigDecimal lo = x.min(y);
        BigDecimal hi = x.max(y);
        if (range == null) {
            return Equivalence.notEquivalent("a value between " + number + " and " + newBound + " is decided differently");
        }
        boolean outside = switch (op) {
            case ">=" -> hi.compareTo(range.min()) <= 0;
            case ">" -> hi.compareTo(range.min()) < 0;
            case "<=" -> lo.compareTo(range.max()) >= 0;
            case "<" -> lo.compareTo(range.max()) > 0;
            default -> (lo.compareTo(range.max()) > 0 || hi.compareTo(range.min()) < 0);
        };
        if (outside) {
            return Equivalence.equivalent("bound-outside-type", "both " + number + " and " + newBound + " lie beyond the range of "
                    + range.what() + " [" + range.min().toPlainString() + ", " + range.max().toPlainString() + "] on that side");
        }
        return Equivalence.notEquivalent(lhs + " = " + (op.startsWith(">") ? hi : lo).toPlainString() + " is decided differently");
    }

    /**
     * A comparison flipped ({@code <} to {@code <=}, {@code >=} to {@code >}, …) changes the verdict
     * only where the left side equals the number it is compared with: {@code boundary-outside-type}
     * when that value is one the left side cannot take (beyond its type's range, or finer than its
     * scale: {@code qty < 2.5} on an integer). Any other flip is decided by the run.
     */
    Equivalence flip(Table t, Constraint.Check k, Expr.Op op, String flipped) {
        String e = k.expression();
        boolean boundary = Set.of("<", "<=", ">", ">=").contains(op.op()) && Set.of("<", "<=", ">", ">=").contains(flipped);
        for (Expr.Bound b : Expr.bounds(e)) {
            if (!boundary || b.opStart() != op.start()) {
                continue;
            }
            String col = Expr.column(b.lhs());
            if (col != null && t.hasColumn(col) && Expr.parts(e).size() == 1) {
                Optional<String> before = impliedBound(t, k, col, op.op(), new BigDecimal(b.number()));
                Optional<String> after = impliedBound(t, k, col, flipped, new BigDecimal(b.number()));
                if (before.isPresent() && after.isPresent()) {
                    return Equivalence.equivalent("implied-by-checks", "both " + b.lhs() + " " + op.op() + " " + b.number() + " and " + b.lhs()
                            + " " + flipped + " " + b.number() + " follow from " + after.get());
                }
            }
            Range range = range(t, b.lhs());
            BigDecimal n = new BigDecimal(b.number());
            if (range != null && (n.compareTo(range.min()) < 0 || n.compareTo(range.max()) > 0)) {
                return Equivalence.equivalent("boundary-outside-type", b.lhs() + " = " + b.number() + " cannot hold: it lies beyond the range of "
                        + range.what() + " [" + range.min().toPlainString() + ", " + range.max().toPlainString() + "]");
            }
            if (range != null && n.signum() != 0 && n.stripTrailingZeros().scale() > range.scale()) {
                return Equivalence.equivalent("boundary-outside-type", b.lhs() + " = " + b.number() + " cannot hold: " + range.what()
                        + " has no value with more than " + range.scale() + " digits after the point");
            }
        }
        return Equivalence.notEquivalent("a value on the boundary of the comparison is decided differently");
    }

    /** The values a comparison's left side can take: the least, the greatest, and the digits after the point. */
    private record Range(BigDecimal min, BigDecimal max, int scale, String what) {}

    private static final java.util.regex.Pattern LENGTH = java.util.regex.Pattern.compile(
            "(?:char_)?length\\(\\(?([a-z_][a-z0-9_]*)\\)?(?:::text)?\\)");
    private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("\\(?([a-z_][a-z0-9_]*)\\)?(::numeric|::bigint)?");

    /**
     * The range of a comparison's left side where the column's type bounds it exactly: a column of
     * an integer type or of {@code numeric(p,s)} (as it is, or cast to {@code numeric}, or an
     * integer to {@code bigint}: casts that keep every value), and the character length of a
     * {@code varchar(n)} or {@code char(n)} column, 0 to n. Null otherwise (a float, an expression,
     * a cast that rounds).
     */
    private static @Nullable Range range(Table t, String lhs) {
        java.util.regex.Matcher length = LENGTH.matcher(lhs);
        if (length.matches() && t.hasColumn(length.group(1))) {
            PgType type = t.column(length.group(1)).type().underlying();
            if ((type.name().equals("varchar") || type.name().equals("bpchar")) && type.length() >= 0) {
                return new Range(BigDecimal.ZERO, BigDecimal.valueOf(type.length()), 0, "the length of " + type.formatted());
            }
            return null;
        }
        java.util.regex.Matcher column = COLUMN.matcher(lhs);
        if (!column.matches() || !t.hasColumn(column.group(1))) {
            return null;
        }
        PgType type = t.column(column.group(1)).type().underlying();
        long[] ints = INTEGER_RANGES.get(type.name());
        if (ints != null) {
            return new Range(BigDecimal.valueOf(ints[0]), BigDecimal.valueOf(ints[1]), 0, t.column(column.group(1)).type().formatted());
        }
        if (type.name().equals("numeric") && type.precision() > 0 && !"::bigint".equals(column.group(2))) {
            // numeric(p,s) holds at most p digits, s of them after the point (PostgreSQL rounds to s first, then refuses an overflow)
            BigDecimal max = BigDecimal.TEN.pow(type.precision()).subtract(BigDecimal.ONE).scaleByPowerOfTen(-type.scale());
            return new Range(max.negate(), max, type.scale(), type.formatted());
        }
        return null;
    }

    /**
     * Whether the table's other CHECKs (their top-level AND conditions) imply {@code col op n} for
     * {@code op} one of {@code >= > <= <}: {@code col >= m} in another CHECK (a NULL passes both), or
     * a chain {@code col >= y}, {@code y >= m} (each column on the way NOT NULL, or a NULL would pass
     * every step) with m at least n (more than n for {@code >}; the mirror for upper bounds). The
     * conditions that imply it, in words.
     */
    private static Optional<String> impliedBound(Table t, Constraint.Check except, String col, String op, BigDecimal n) {
        boolean lower = op.startsWith(">");
        if (!(op.equals(">=") || op.equals(">") || op.equals("<=") || op.equals("<"))) {
            return Optional.empty();
        }
        java.util.Map<String, BigDecimal> bound = new java.util.HashMap<>(); // column -> its best bound on this side
        java.util.Map<String, String> because = new java.util.HashMap<>();
        List<String[]> beyond = new ArrayList<>(); // {a, b, text}: a >= b (lower) or a <= b (upper)
        for (Constraint.Check k : t.checks()) {
            if (k.name().equals(except.name()) || Expr.separator(k.expression()).equals(" OR ")) {
                continue;
            }
            for (String part : Expr.parts(k.expression())) {
                String p = Expr.unwrap(part);
                List<Expr.Op> ops = Expr.ops(p);
                if (ops.size() != 1) {
                    continue;
                }
                Expr.Op o = ops.get(0);
                String left = Expr.column(p.substring(0, o.start()).trim());
                String rightText = p.substring(o.end()).trim();
                String right = Expr.column(rightText);
                BigDecimal num = number(rightText);
                if (left == null || o.op().equals("=") || o.op().equals("<>")) {
                    continue;
                }
                boolean greater = o.op().startsWith(">");
                if (right != null) {
                    beyond.add(greater == lower ? new String[] {left, right, p} : new String[] {right, left, p});
                } else if (num != null && greater == lower) {
                    BigDecimal old = bound.get(left);
                    if (old == null || (lower ? num.compareTo(old) > 0 : num.compareTo(old) < 0)) {
                        bound.put(left, num);
                        because.put(left, p + " (" + k.name() + ")");
                    }
                }
            }
        }
        for (int round = 0; round < t.columns().size(); round++) { // a bound travels along the chain, one step a round
            for (String[] e : beyond) {
                BigDecimal via = bound.get(e[1]);
                if (via == null || !t.hasColumn(e[1]) || t.column(e[1]).nullable()) {
                    continue;
                }
                BigDecimal old = bound.get(e[0]);
                if (old == null || (lower ? via.compareTo(old) > 0 : via.compareTo(old) < 0)) {
                    bound.put(e[0], via);
                    because.put(e[0], e[2] + " and " + because.get(e[1]) + ", " + e[1] + " being NOT NULL");
                }
            }
        }
        BigDecimal m = bound.get(col);
        if (m == null) {
            return Optional.empty();
        }
        int c = m.compareTo(n);
        boolean implied = switch (op) {
            case ">=" -> c >= 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c < 0;
        };
        return implied ? Optional.of(because.get(col)) : Optional.empty();
    }

    private static @org.jspecify.annotations.Nullable BigDecimal number(String operand) {
        String s = operand.replaceAll("::[a-z_ ]+", "").replaceAll("[()']", "").trim();
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private record Key(String name, Set<String> columns) {}

    /** The plain keys of a table (primary key, unique constraints and indexes with no predicate or expression). */
    private static List<Key> plainKeys(Table t) {
        List<Key> out = new ArrayList<>();
        t.primaryKey().ifPresent(pk -> out.add(new Key(pk.name(), Set.copyOf(pk.columns()))));
        t.uniques().stream().filter(u -> u.predicate().isEmpty() && !u.expressionKeys())
                .forEach(u -> out.add(new Key(u.name(), Set.copyOf(u.columns()))));
        return out;
    }

    private static Optional<Key> impliedBy(Table t, String except, Set<String> columns) {
        return plainKeys(t).stream().filter(o -> !o.name().equals(except) && columns.containsAll(o.columns())).findFirst();
    }

    Equivalence dropKey(Table t, Constraint k, List<String> dependents) {
        boolean plain = !(k instanceof Constraint.Unique u) || (u.predicate().isEmpty() && !u.expressionKeys());
        Optional<Key> by = plain && dependents.isEmpty() ? impliedBy(t, k.name(), Set.copyOf(k.columns())) : Optional.empty();
        if (by.isPresent() && (k instanceof Constraint.Unique || by.get().columns().stream().allMatch(c -> !t.column(c).nullable()))) {
            return Equivalence.equivalent("key-implied-by-subset", "the key " + by.get().name() + " on " + by.get().columns()
                    + " already makes " + k.columns() + " unique");
        }
        return Equivalence.notEquivalent("two rows equal on " + k.columns() + " are accepted by the mutant only");
    }

    Equivalence rekey(Table t, Constraint k, List<String> newColumns) {
        Optional<Key> before = impliedBy(t, k.name(), Set.copyOf(k.columns()));
        Optional<Key> after = impliedBy(t, k.name(), Set.copyOf(newColumns));
        boolean pkSideEffect = k instanceof Constraint.PrimaryKey && newColumns.stream().anyMatch(c -> t.column(c).nullable());
        if (before.isPresent() && after.isPresent() && !pkSideEffect) {
            return Equivalence.equivalent("key-implied-by-subset", "the key " + before.get().name() + " on " + before.get().columns()
                    + " already makes both " + k.columns() + " and " + newColumns + " unique");
        }
        return Equivalence.notEquivalent("two rows equal on one of " + k.columns() + " and " + newColumns + " but not the other");
    }

    Equivalence action(Table t, Constraint.ForeignKey fk, Constraint.Action from, Constraint.Action to) {
        Set<Constraint.Action> pair = Set.of(from, to);
        if (pair.equals(Set.of(Constraint.Action.RESTRICT, Constraint.Action.NO_ACTION))) {
            if (!fk.deferrable()) {
                return Equivalence.notEquivalent("one statement that takes a referenced key of " + fk.referencedTable() + " away and puts it"
                        + " back (a data-modifying WITH) is accepted under NO ACTION, which looks at the end of the statement, and refused"
                        + " under RESTRICT, which looks at once");
            }
            return Equivalence.notEquivalent(fk.name() + " is deferrable: with the check deferred, NO ACTION lets a transaction remove a"
                    + " parent and its children in either order, RESTRICT does not");
        }
        return Equivalence.notEquivalent("removing or changing a referenced row of " + fk.referencedTable() + " has another effect on "
                + t.name());
    }

    Equivalence notValid(Constraint.ForeignKey fk) {
        return Equivalence.equivalent("fk-not-valid", "PostgreSQL checks a NOT VALID foreign key on every row written after it is added;"
                + " only rows present then go unchecked, and they met " + fk.name() + " already");
    }

    Equivalence widenPolicy(Policy p) {
        boolean usingTrue = p.using().map(u -> Expr.normal(u).equals("true")).orElse(true);
        boolean checkTrue = p.withCheck().map(u -> Expr.normal(u).equals("true")).orElse(true);
        if (usingTrue && checkTrue) {
            return Equivalence.equivalent("policy-already-true", "the expressions of " + p.name() + " are already true");
        }
        return Equivalence.notEquivalent("a row the policy's expression excludes is visible to (or writable by) its roles in the mutant");
    }

    /**
     * {@code policy-command-covered}: a permissive policy turned FOR ALL where, for every command
     * it gains, another permissive policy of the table for that command (or ALL) and for the same
     * roles or more already admits the same rows by the same expressions: the policies of a command
     * are OR-ed, and a repeated term adds nothing. Anything else is decided by the run.
     */
    Equivalence policyCommand(Table t, Policy p, String cmd) {
        Equivalence undecided = Equivalence.undecided("policy-overlap", "another policy may grant the same command");
        if (!cmd.equals("ALL") || !p.permissive()) {
            return undecided;
        }
        String using = same(p.using().orElse(p.withCheck().orElse("true")));
        String check = same(p.withCheck().orElse(p.using().orElse("true")));
        List<String> covered = new ArrayList<>();
        for (String gained : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
            if (gained.equals(p.command())) {
                continue;
            }
            Optional<Policy> same = t.policies().stream().filter(o -> !o.name().equals(p.name()) && o.permissive()
                    && (o.command().equals(gained) || o.command().equals("ALL"))
                    && (o.roles().contains("public") || o.roles().containsAll(p.roles()))
                    && (gained.equals("INSERT") || same(o.using().orElse("true")).equals(using))
                    && (!(gained.equals("INSERT") || gained.equals("UPDATE"))
                        || same(o.withCheck().orElse(o.using().orElse("true"))).equals(check))).findFirst();
            if (same.isEmpty()) {
                return undecided;
            }
            covered.add(gained + " by " + same.get().name());
        }
        return Equivalence.equivalent("policy-command-covered", "the commands " + p.name() + " gains are granted by the same expressions"
                + " already: " + String.join(", ", covered));
    }

    /** An expression as PostgreSQL prints it, spaces aside: the same tree prints the same (parentheses kept: they decide). */
    private static String same(String e) {
        return e.replaceAll("\\s+", " ").trim();
    }

    Equivalence grant(String role, String privilege, Table t, boolean alreadyHeld) {
        if (alreadyHeld) {
            return Equivalence.equivalent("grant-already-held", role + " already has " + privilege + " on " + t.name()
                    + " (through PUBLIC, a role it belongs to, or ownership)");
        }
        return Equivalence.notEquivalent(role + " can " + privilege + " " + t.name() + " in the mutant only");
    }

    Schema schema() {
        return schema;
    }
}

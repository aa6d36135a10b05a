package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Policy;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.dsl.schema.Trigger;
import dev.pgprop.generators.mutate.Equivalence;
import dev.pgprop.generators.mutate.Mutant;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mutation operators: every mutant the catalog of a migrated database offers, in table order,
 * each with its equivalence verdict ({@link Equivalences}).
 */
public final class Operators {
    /** The operators, in the order mutants are listed. */
    public static final List<String> ALL = List.of("notnull.drop", "notnull.add", "check.drop", "check.bound", "check.operator",
            "check.in-remove", "check.in-add", "check.negate", "pk.drop", "unique.drop", "key.remove-column", "key.add-column",
            "key.exchange-column", "fk.drop", "fk.on-delete", "fk.on-update", "fk.references", "fk.not-valid", "default.drop",
            "default.change", "rls.disable", "policy.true", "policy.drop", "policy.command", "policy.role", "trigger.drop",
            "trigger.disable", "grant.public", "grant.role", "index.drop-unique");

    private static final List<String> PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");
    private static final Set<String> KEY_TYPES = Set.of("int2", "int4", "int8", "text", "varchar", "bpchar", "uuid", "date",
            "timestamp", "timestamptz", "numeric", "bool", "citext");

    private final Schema schema;
    private final Connection c;
    private final Equivalences eq;
    private final List<Mutant> out = new ArrayList<>();

    private Operators(Schema schema, Connection c) {
        this.schema = schema;
        this.c = c;
        this.eq = new Equivalences(schema);
    }

    /** Every mutant of the schema's tables; {@code c} is a connection to the migrated database (grants, roles). */
    public static List<Mutant> derive(Schema schema, Connection c) {
        Operators o = new Operators(schema, c);
        try {
            List<String> roles = o.roles();
            for (Table t : schema.tables()) {
                o.table(t, roles);
            }
        } catch (SQLException e) {
            throw new PgPropException("cannot read grants and roles for the mutation operators: " + e.getMessage(), e);
        }
        Map<String, Mutant> unique = new LinkedHashMap<>();
        for (Mutant m : o.out) {
            unique.putIfAbsent(m.id(), m);
        }
        return List.copyOf(unique.values());
    }

    private void table(Table t, List<String> roles) throws SQLException {
        String q = qualified(t);
        for (Column col : t.columns()) {
            notNull(t, q, col);
        }
        for (Constraint.Check k : t.checks()) {
            checks(t, q, k);
        }
        keys(t, q);
        for (Constraint.ForeignKey fk : t.foreignKeys()) {
            foreignKey(t, q, fk);
        }
        for (Column col : t.columns()) {
            defaults(t, q, col);
        }
        rowSecurity(t, q, roles);
        for (Trigger tr : t.triggers()) {
            String n = id(tr.name());
            add("trigger.drop", t, tr.name(), "", "trigger " + tr.name() + " dropped", "DROP TRIGGER " + n + " ON " + q,
                    Equivalence.undecided("trigger-effect", "whether the trigger's effect shows depends on what its function does"));
            if (!tr.enabled().equals("D")) {
                add("trigger.disable", t, tr.name(), "", "trigger " + tr.name() + " disabled",
                        "ALTER TABLE " + q + " DISABLE TRIGGER " + n,
                        Equivalence.undecided("trigger-effect", "whether the trigger's effect shows depends on what its function does"));
            }
        }
        grants(t, q, roles);
    }

    // --- NOT NULL -------------------------------------------------------------------------------

    private void notNull(Table t, String q, Column col) {
        if (col.isGenerated()) {
            return;
        }
        String n = id(col.name());
        if (col.notNull()) {
            add("notnull.drop", t, col.name(), "", col.name() + " loses NOT NULL", "ALTER TABLE " + q + " ALTER COLUMN " + n + " DROP NOT NULL",
                    eq.dropNotNull(t, col));
        } else if (col.nullable()) {
            add("notnull.add", t, col.name(), "", col.name() + " becomes NOT NULL", "ALTER TABLE " + q + " ALTER COLUMN " + n + " SET NOT NULL",
                    eq.addNotNull(t, col));
        }
    }

    // --- CHECK ----------------------------------------------------------------------------------

    private void checks(Table t, String q, Constraint.Check k) {
        String e = k.expression();
        add("check.drop", t, k.name(), "", "CHECK " + k.name() + " " + e + " dropped",
                "ALTER TABLE " + q + " DROP CONSTRAINT " + id(k.name()), eq.dropCheck(t, k));
        for (Expr.Bound b : Expr.bounds(e)) {
            BigDecimal v = new BigDecimal(b.number());
            for (int delta : new int[] {-1, 1}) {
                String nv = v.add(BigDecimal.valueOf(delta)).toPlainString();
                String mutated = e.substring(0, b.numStart()) + nv + e.substring(b.numEnd());
                boolean lowerBound = b.op().startsWith(">");
                boolean upperBound = b.op().startsWith("<");
                String how = lowerBound ? (delta < 0 ? "widened" : "narrowed") : upperBound ? (delta > 0 ? "widened" : "narrowed") : "moved";
                String variant = b.lhs().replaceAll("[^A-Za-z0-9_]", "") + b.op() + nv;
                add("check.bound", t, k.name(), variant, k.name() + ": " + b.lhs() + " " + b.op() + " " + b.number() + " becomes " + b.lhs()
                        + " " + b.op() + " " + nv + " (a bound " + how + " by one)", recheck(q, k, mutated), eq.bound(t, k, b, nv));
            }
        }
        for (Expr.Op op : Expr.ops(e)) {
            String flipped = switch (op.op()) {
                case "<" -> "<=";
                case "<=" -> "<";
                case ">" -> ">=";
                case ">=" -> ">";
                case "=" -> "<>";
                default -> "=";
            };
            String lhs = Expr.lhs(e, op.start() - 1);
            String mutated = e.substring(0, op.start()) + flipped + e.substring(op.end());
            String variant = lhs.replaceAll("[^A-Za-z0-9_]", "") + op.op() + "to" + flipped;
            add("check.operator", t, k.name(), variant, k.name() + ": " + lhs + " " + op.op() + " … becomes " + lhs + " " + flipped + " …",
                    recheck(q, k, mutated), eq.flip(t, k, op, flipped));
        }
        for (Expr.ArrayList_ a : Expr.arrays(e)) {
            List<String> els = new ArrayList<>();
            for (int[] el : a.elements()) {
                els.add(e.substring(el[0], el[1]).trim());
            }
            if (els.size() >= 2) {
                for (int i = 0; i < els.size(); i++) {
                    List<String> fewer = new ArrayList<>(els);
                    String removed = fewer.remove(i);
                    String mutated = e.substring(0, a.open()) + "ARRAY[" + String.join(", ", fewer) + e.substring(a.close());
                    add("check.in-remove", t, k.name(), literal(removed), k.name() + ": " + removed + " removed from the list",
                            recheck(q, k, mutated), Equivalence.notEquivalent("a row with " + removed + " is refused by the mutant only"));
                }
            }
            String extra = extraElement(els);
            if (extra != null) {
                String mutated = e.substring(0, a.close()) + ", " + extra + e.substring(a.close());
                add("check.in-add", t, k.name(), literal(extra), k.name() + ": " + extra + " added to the list",
                        recheck(q, k, mutated), Equivalence.notEquivalent("a row with " + extra + " is accepted by the mutant only"));
            }
        }
        List<String> parts = Expr.parts(e);
        String sep = Expr.separator(e);
        for (int i = 0; i < parts.size(); i++) {
            List<String> changed = new ArrayList<>(parts);
            changed.set(i, "NOT (" + parts.get(i) + ")");
            String mutated = parts.size() == 1 ? changed.get(0) : String.join(sep, changed);
            add("check.negate", t, k.name(), parts.size() == 1 ? "all" : "part" + (i + 1), k.name() + ": " + parts.get(i) + " negated",
                    recheck(q, k, mutated), Equivalence.undecided("negation", "whether a row meets the negated condition and the rest depends on the"
                            + " other conditions; the run decides"));
        }
    }

    private static String recheck(String q, Constraint.Check k, String expression) {
        return "ALTER TABLE " + q + " DROP CONSTRAINT " + id(k.name()) + ", ADD CONSTRAINT " + id(k.name()) + " CHECK (" + expression + ")"
                + (k.noInherit() ? " NO INHERIT" : "");
    }

    /**
     * The element a mutant adds to an IN list: the first text element in the other case (a list
     * that also takes {@code 'PENDING'}), or a made-up one when that is already listed or has no
     * letter; one more than the greatest number.
     */
    private static String extraElement(List<String> els) {
        String first = els.get(0);
        if (first.startsWith("'")) {
            int end = first.indexOf('\'', 1);
            if (end < 0) {
                return null;
            }
            String text = first.substring(1, end);
            String other = EdgeProbes.otherCase(text);
            boolean listed = els.stream().anyMatch(el -> el.startsWith("'" + other.replace("'", "''") + "'"));
            return (other.equals(text) || listed ? "'pgprop_mutant'" : "'" + other.replace("'", "''") + "'") + first.substring(end + 1);
        }
        BigDecimal max = null;
        for (String el : els) {
            try {
                BigDecimal v = new BigDecimal(el.replaceAll("[()]", "").replaceAll("::.*", ""));
                max = max == null || v.compareTo(max) > 0 ? v : max;
            } catch (NumberFormatException ex) {
                return null;
            }
        }
        return max == null ? null : max.add(BigDecimal.ONE).toPlainString();
    }

    private static String literal(String sql) {
        return sql.replaceAll("::[a-z_ ]+(\\[\\])?", "").replaceAll("[^A-Za-z0-9_.-]", "");
    }

    // --- UNIQUE / PRIMARY KEY / unique indexes --------------------------------------------------

    private void keys(Table t, String q) {
        List<Constraint> keys = new ArrayList<>();
        t.primaryKey().ifPresent(keys::add);
        keys.addAll(t.uniques());
        for (Constraint k : keys) {
            boolean pk = k instanceof Constraint.PrimaryKey;
            Constraint.Unique u = pk ? null : (Constraint.Unique) k;
            List<String> dependents = referencingKeys(t, k);
            if (u != null && u.indexOnly()) {
                add("index.drop-unique", t, k.name(), "", "unique index " + k.name() + " " + k.definition() + " dropped",
                        "DROP INDEX " + id(t.schema()) + "." + id(k.name()), eq.dropKey(t, k, dependents));
                continue;
            }
            String drop = "ALTER TABLE " + q + " DROP CONSTRAINT " + id(k.name()) + (dependents.isEmpty() ? "" : " CASCADE");
            add(pk ? "pk.drop" : "unique.drop", t, k.name(), "", (pk ? "primary key " : "unique key ") + k.name() + " " + k.columns()
                    + " dropped" + (dependents.isEmpty() ? "" : " (with the foreign keys that reference it: " + dependents + ")"),
                    drop, eq.dropKey(t, k, dependents));
            boolean plain = u == null || (u.predicate().isEmpty() && !u.expressionKeys() && !u.nullsNotDistinct());
            if (!dependents.isEmpty() || !plain) {
                continue; // a key a foreign key needs, or one of a special shape, is only dropped
            }
            String kind = pk ? "PRIMARY KEY" : "UNIQUE";
            List<String> cols = k.columns();
            // a unique key of a partitioned table must hold every partition key column: PostgreSQL
            // refuses a key without one, so no schema can have that bug and it is not planted
            java.util.Set<String> partitionColumns = partitionColumns(t);
            if (cols.size() >= 2) {
                for (String col : cols) {
                    if (partitionColumns.contains(col)) {
                        continue;
                    }
                    List<String> fewer = new ArrayList<>(cols);
                    fewer.remove(col);
                    add("key.remove-column", t, k.name(), col, k.name() + ": " + col + " removed, the key is " + fewer,
                            rekey(q, k, kind, fewer), eq.rekey(t, k, fewer));
                }
            }
            Optional<Column> other = t.columns().stream().filter(x -> !cols.contains(x.name()) && !x.isGenerated()
                    && KEY_TYPES.contains(x.type().underlying().name())).findFirst();
            if (other.isPresent()) {
                String o = other.get().name();
                List<String> more = new ArrayList<>(cols);
                more.add(o);
                add("key.add-column", t, k.name(), o, k.name() + ": " + o + " added, the key is " + more, rekey(q, k, kind, more),
                        eq.rekey(t, k, more));
                // the last column that is no partition key column goes out
                int at = cols.size() - 1;
                while (at >= 0 && partitionColumns.contains(cols.get(at))) {
                    at--;
                }
                if (at < 0) {
                    continue;
                }
                List<String> swapped = new ArrayList<>(cols);
                String out0 = swapped.set(at, o);
                add("key.exchange-column", t, k.name(), out0 + "-" + o, k.name() + ": " + out0 + " exchanged for " + o + ", the key is "
                        + swapped, rekey(q, k, kind, swapped), eq.rekey(t, k, swapped));
            }
        }
    }

    /** The plain columns of a partitioned table's partition key ({@code RANGE (paid_at)}, {@code LIST ("Region", kind)}); none for others. */
    static java.util.Set<String> partitionColumns(Table t) {
        java.util.Set<String> out = new java.util.HashSet<>();
        String def = t.partitionKey().orElse("");
        int open = def.indexOf('(');
        if (open < 0 || !def.endsWith(")")) {
            return out;
        }
        int depth = 0;
        boolean quoted = false;
        StringBuilder part = new StringBuilder();
        for (char ch : def.substring(open + 1, def.length() - 1).toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                addColumn(out, part.toString());
                part.setLength(0);
                continue;
            }
            part.append(ch);
        }
        addColumn(out, part.toString());
        return out;
    }

    private static void addColumn(java.util.Set<String> out, String element) {
        String e = element.strip();
        // an operator class may follow the column (RANGE (at timestamptz_ops)); an expression is no column
        String first = e.startsWith("\"") ? e.substring(0, e.indexOf('"', 1) + 1) : e.split("\\s+")[0];
        if (first.startsWith("\"") && first.endsWith("\"") && first.length() >= 2) {
            out.add(first.substring(1, first.length() - 1).replace("\"\"", "\""));
        } else if (first.matches("[a-z_][a-z0-9_$]*")) {
            out.add(first);
        }
    }

    private static String rekey(String q, Constraint k, String kind, List<String> cols) {
        return "ALTER TABLE " + q + " DROP CONSTRAINT " + id(k.name()) + ", ADD CONSTRAINT " + id(k.name()) + " " + kind + " ("
                + String.join(", ", cols.stream().map(Operators::id).toList()) + ")";
    }

    /** The foreign keys (of any table) whose referenced columns are exactly this key's. */
    private List<String> referencingKeys(Table t, Constraint k) {
        List<String> out = new ArrayList<>();
        for (Table other : schema.tables()) {
            for (Constraint.ForeignKey fk : other.foreignKeys()) {
                if (fk.referencedQualifiedName().equals(t.qualifiedName()) && Set.copyOf(fk.referencedColumns()).equals(Set.copyOf(k.columns()))) {
                    out.add(fk.name());
                }
            }
        }
        return out;
    }

    // --- FOREIGN KEY ----------------------------------------------------------------------------

    private void foreignKey(Table t, String q, Constraint.ForeignKey fk) {
        String n = id(fk.name());
        add("fk.drop", t, fk.name(), "", "foreign key " + fk.name() + " " + fk.columns() + " -> " + fk.referencedTable() + " dropped",
                "ALTER TABLE " + q + " DROP CONSTRAINT " + n,
                Equivalence.notEquivalent("a row referencing no parent is accepted by the mutant only"));
        List<Constraint.Action> actions = List.of(Constraint.Action.CASCADE, Constraint.Action.SET_NULL, Constraint.Action.RESTRICT,
                Constraint.Action.NO_ACTION);
        for (Constraint.Action a : actions) {
            if (a != fk.onDelete()) {
                add("fk.on-delete", t, fk.name(), word(a), fk.name() + ": ON DELETE " + sql(fk.onDelete()) + " becomes ON DELETE " + sql(a),
                        refk(q, fk, fk.referencedSchema(), fk.referencedTable(), fk.referencedColumns(), fk.onUpdate(), a, ""),
                        eq.action(t, fk, fk.onDelete(), a));
            }
            if (a != fk.onUpdate()) {
                add("fk.on-update", t, fk.name(), word(a), fk.name() + ": ON UPDATE " + sql(fk.onUpdate()) + " becomes ON UPDATE " + sql(a),
                        refk(q, fk, fk.referencedSchema(), fk.referencedTable(), fk.referencedColumns(), a, fk.onDelete(), ""),
                        eq.action(t, fk, fk.onUpdate(), a));
            }
        }
        Table parent = schema.referenced(fk);
        List<Constraint> parentKeys = new ArrayList<>();
        parent.primaryKey().ifPresent(parentKeys::add);
        parent.uniques().stream().filter(u -> u.predicate().isEmpty() && !u.expressionKeys()).forEach(parentKeys::add);
        for (Constraint pk : parentKeys) {
            if (pk.columns().size() != fk.referencedColumns().size() || Set.copyOf(pk.columns()).equals(Set.copyOf(fk.referencedColumns()))) {
                continue;
            }
            boolean sameTypes = true;
            for (int i = 0; i < pk.columns().size(); i++) {
                sameTypes &= parent.column(pk.columns().get(i)).type().underlying().name()
                        .equals(parent.column(fk.referencedColumns().get(i)).type().underlying().name());
            }
            if (sameTypes) {
                add("fk.references", t, fk.name(), String.join("+", pk.columns()), fk.name() + ": references " + parent.name() + pk.columns()
                        + " instead of " + fk.referencedColumns(), refk(q, fk, fk.referencedSchema(), fk.referencedTable(), pk.columns(),
                        fk.onUpdate(), fk.onDelete(), ""), Equivalence.undecided("other-key", "the other key of " + parent.name()
                        + " may hold the same values as the first in every valid dataset"));
            }
        }
        if (fk.validated()) {
            add("fk.not-valid", t, fk.name(), "", fk.name() + " re-added NOT VALID",
                    refk(q, fk, fk.referencedSchema(), fk.referencedTable(), fk.referencedColumns(), fk.onUpdate(), fk.onDelete(), " NOT VALID"),
                    eq.notValid(fk));
        }
    }

    private static String refk(String q, Constraint.ForeignKey fk, String rs, String rt, List<String> rcols, Constraint.Action upd,
                               Constraint.Action del, String suffix) {
        return "ALTER TABLE " + q + " DROP CONSTRAINT " + id(fk.name()) + ", ADD CONSTRAINT " + id(fk.name()) + " FOREIGN KEY ("
                + String.join(", ", fk.columns().stream().map(Operators::id).toList()) + ") REFERENCES " + id(rs) + "." + id(rt) + " ("
                + String.join(", ", rcols.stream().map(Operators::id).toList()) + ")" + (fk.matchFull() ? " MATCH FULL" : "")
                + " ON UPDATE " + sql(upd) + " ON DELETE " + sql(del) + (fk.deferrable() ? " DEFERRABLE" : "")
                + (fk.initiallyDeferred() ? " INITIALLY DEFERRED" : "") + suffix;
    }

    static String sql(Constraint.Action a) {
        return a.name().replace('_', ' ');
    }

    private static String word(Constraint.Action a) {
        return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    // --- DEFAULT --------------------------------------------------------------------------------

    private void defaults(Table t, String q, Column col) {
        if (col.defaultExpression().isEmpty() || col.isGenerated()) {
            return;
        }
        String d = col.defaultExpression().get();
        String n = id(col.name());
        add("default.drop", t, col.name(), "", col.name() + ": DEFAULT " + d + " dropped", "ALTER TABLE " + q + " ALTER COLUMN " + n + " DROP DEFAULT",
                Equivalence.notEquivalent("a row that leaves " + col.name() + " out gets NULL (or is refused) in the mutant only"));
        String changed = changedDefault(col.type().underlying(), d);
        if (changed != null) {
            add("default.change", t, col.name(), "", col.name() + ": DEFAULT " + d + " becomes " + changed,
                    "ALTER TABLE " + q + " ALTER COLUMN " + n + " SET DEFAULT " + changed,
                    Equivalence.notEquivalent("a row that leaves " + col.name() + " out gets another value"));
        }
    }

    private static String changedDefault(PgType t, String d) {
        return switch (t.name()) {
            case "int2", "int4", "int8", "numeric", "float4", "float8" -> "(" + d + ") + 1";
            case "text", "varchar", "bpchar", "citext" -> "'pgprop_mutant'";
            case "bool" -> "NOT (" + d + ")";
            case "date" -> "(" + d + ") - 1";
            case "timestamp", "timestamptz" -> "(" + d + ") - interval '1 day'";
            case "uuid" -> "'00000000-0000-0000-0000-000000000000'::uuid";
            case "jsonb", "json" -> "'{\"pgprop_mutant\": true}'::" + t.name();
            default -> t.kind() == PgType.Kind.ENUM && t.labels().size() > 1 ? "'" + otherLabel(t, d).replace("'", "''") + "'::"
                    + id(t.schema()) + "." + id(t.name()) : null;
        };
    }

    private static String otherLabel(PgType t, String d) {
        for (String l : t.labels()) {
            if (!d.startsWith("'" + l + "'")) {
                return l;
            }
        }
        return t.labels().get(0);
    }

    // --- row-level security ---------------------------------------------------------------------

    private void rowSecurity(Table t, String q, List<String> roles) {
        if (t.rowSecurity()) {
            add("rls.disable", t, "row security", "", "row-level security disabled on " + t.name(),
                    "ALTER TABLE " + q + " DISABLE ROW LEVEL SECURITY", Equivalence.undecided("rls-bypass",
                            "no role that is subject to row security may read or write the table"));
        }
        for (Policy p : t.policies()) {
            String n = id(p.name());
            StringBuilder widen = new StringBuilder("ALTER POLICY " + n + " ON " + q);
            if (p.using().isPresent()) {
                widen.append(" USING (true)");
            }
            if (p.withCheck().isPresent()) {
                widen.append(" WITH CHECK (true)");
            }
            add("policy.true", t, p.name(), "", "policy " + p.name() + " widened to true", widen.toString(), eq.widenPolicy(p));
            add("policy.drop", t, p.name(), "", "policy " + p.name() + " dropped", "DROP POLICY " + n + " ON " + q,
                    Equivalence.undecided("policy-overlap", "another permissive policy may grant the same rows"));
            for (String cmd : List.of("ALL", "SELECT", "INSERT", "UPDATE", "DELETE")) {
                if (!cmd.equals(p.command())) {
                    add("policy.command", t, p.name(), cmd.toLowerCase(Locale.ROOT), "policy " + p.name() + ": FOR " + p.command()
                            + " becomes FOR " + cmd, "DROP POLICY " + n + " ON " + q + ";\n" + createPolicy(q, p, cmd, p.roles()),
                            eq.policyCommand(t, p, cmd));
                }
            }
            List<String> to = p.roles().contains("public") ? roles.stream().filter(r -> !p.roles().contains(r)).limit(1).toList()
                    : List.of("public");
            for (String r : to) {
                add("policy.role", t, p.name(), r, "policy " + p.name() + ": TO " + String.join(", ", p.roles()) + " becomes TO " + r,
                        "ALTER POLICY " + n + " ON " + q + " TO " + (r.equals("public") ? "public" : id(r)),
                        Equivalence.undecided("policy-overlap", "another policy may grant the same rows to these roles"));
            }
        }
    }

    private static String createPolicy(String q, Policy p, String cmd, List<String> roles) {
        String using = p.using().orElse(p.withCheck().orElse("true"));
        String check = p.withCheck().orElse(p.using().orElse("true"));
        StringBuilder b = new StringBuilder("CREATE POLICY " + id(p.name()) + " ON " + q + " AS " + (p.permissive() ? "PERMISSIVE" : "RESTRICTIVE")
                + " FOR " + cmd + " TO " + String.join(", ", roles.stream().map(r -> r.equals("public") ? "public" : id(r)).toList()));
        if (!cmd.equals("INSERT")) {
            b.append(" USING (").append(using).append(')');
        }
        if (cmd.equals("INSERT") || cmd.equals("UPDATE") || cmd.equals("ALL")) {
            b.append(" WITH CHECK (").append(check).append(')');
        }
        return b.toString();
    }

    // --- grants ---------------------------------------------------------------------------------

    /** The roles the schema grants to or names in policies (no superusers), in name order. */
    private List<String> roles() throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        List<String> schemas = schema.tables().stream().map(Table::schema).distinct().toList();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT r.rolname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
                + " aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee WHERE n.nspname = ANY (?) AND NOT r.rolsuper"
                + " AND a.grantee <> c.relowner ORDER BY 1")) {
            s.setArray(1, c.createArrayOf("text", schemas.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        for (Table t : schema.tables()) {
            for (Policy p : t.policies()) {
                p.roles().stream().filter(r -> !r.equals("public")).forEach(names::add);
            }
        }
        List<String> out = new ArrayList<>();
        for (String r : names) {
            try (PreparedStatement s = c.prepareStatement("SELECT NOT rolsuper FROM pg_roles WHERE rolname = ?")) {
                s.setString(1, r);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        out.add(r);
                    }
                }
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    private void grants(Table t, String q, List<String> roles) throws SQLException {
        for (String priv : PRIVILEGES) {
            boolean publicHas;
            try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_class c, aclexplode(coalesce(c.relacl,"
                    + " acldefault('r', c.relowner))) a WHERE c.oid = ?::regclass AND a.grantee = 0 AND a.privilege_type = ?)")) {
                s.setString(1, q);
                s.setString(2, priv);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    publicHas = rs.getBoolean(1);
                }
            }
            String p = priv.toLowerCase(Locale.ROOT);
            if (!publicHas) {
                add("grant.public", t, p, "", priv + " on " + t.name() + " granted to PUBLIC", "GRANT " + priv + " ON " + q + " TO PUBLIC",
                        Equivalence.notEquivalent("a role without " + priv + " on " + t.name() + " gains it"));
            }
            for (String r : roles) {
                boolean has;
                try (PreparedStatement s = c.prepareStatement("SELECT has_table_privilege(?, ?::regclass, ?)")) {
                    s.setString(1, r);
                    s.setString(2, q);
                    s.setString(3, priv);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        has = rs.getBoolean(1);
                    }
                }
                add("grant.role", t, p, r, priv + " on " + t.name() + " granted to " + r, "GRANT " + priv + " ON " + q + " TO " + id(r),
                        eq.grant(r, priv, t, has));
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private void add(String operator, Table t, String object, String variant, String description, String ddl, Equivalence e) {
        String mid = operator + "/" + t.datasetName() + "." + object + (variant.isEmpty() ? "" : "/" + variant);
        out.add(new Mutant(mid, operator, t.datasetName(), object, description, ddl, e));
    }

    static String qualified(Table t) {
        return id(t.schema()) + "." + id(t.name());
    }

    /** One identifier, quoted unless plain: a policy named {@code Authors edit their posts.} is one name, not a qualified one. */
    public static String id(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : dev.pgprop.dsl.internal.Escape.sqlIdentifier(name);
    }
}

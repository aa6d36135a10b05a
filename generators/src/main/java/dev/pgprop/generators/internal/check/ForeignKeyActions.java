package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.id;
import static dev.pgprop.generators.internal.check.Behaviours.key;
import static dev.pgprop.generators.internal.check.Behaviours.lit;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.internal.check.Behaviours.Attempt;
import dev.pgprop.generators.internal.check.Behaviours.Verdict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Foreign-key actions behave as declared: deleting (updating the key of) a referenced parent row
 * cascades, sets the child's columns to NULL or to their defaults, or is refused by that foreign
 * key (RESTRICT, NO ACTION, deferred ones at {@code SET CONSTRAINTS ALL IMMEDIATE}).
 */
final class ForeignKeyActions {
    private static final Pattern SET_COLUMNS = Pattern.compile("ON (DELETE|UPDATE) SET (?:NULL|DEFAULT) \\(([^)]*)\\)");

    private final Behaviours b;

    ForeignKeyActions(Behaviours b) {
        this.b = b;
    }

    List<SchemaCheck.BehaviourResult> check(Table child, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        List<SchemaCheck.BehaviourResult> out = new ArrayList<>();
        for (Constraint.ForeignKey fk : child.foreignKeys()) {
            if (!b.schema.hasTable(fk.referencedQualifiedName())) {
                continue;
            }
            Table parent = b.schema.referenced(fk);
            out.add(b.sampled("fk-action", child, fk.name() + " ON DELETE " + words(fk.onDelete()), gen, random, b.samples,
                    d -> probe(child, parent, fk, true, d)));
            String object = fk.name() + " ON UPDATE " + words(fk.onUpdate());
            String keyColumn = fk.referencedColumns().get(0);
            if (freshValueSql(parent, keyColumn, "") == null) {
                out.add(new SchemaCheck.BehaviourResult("fk-action", child.datasetName(), object, 0, 0, "",
                        "not compared: no new key value is made for " + parent.column(keyColumn).type()));
                continue;
            }
            out.add(b.sampled("fk-action", child, object, gen, random, b.samples, d -> probe(child, parent, fk, false, d)));
        }
        return out;
    }

    static String words(Constraint.Action a) {
        return a.name().replace('_', ' ');
    }

    private Verdict probe(Table child, Table parent, Constraint.ForeignKey fk, boolean delete, Dataset d) throws SQLException {
        if (!b.load(d)) {
            return Verdict.skip("the dataset did not load");
        }
        String childKey = key("c", fk.columns());
        String notNull = String.join(" AND ", fk.columns().stream().map(col -> "c." + id(col) + " IS NOT NULL").toList());
        List<String> keys = b.strings("SELECT DISTINCT " + childKey + " FROM " + q(child) + " c WHERE " + notNull + " ORDER BY 1 LIMIT 5");
        if (keys.isEmpty()) {
            return Verdict.skip("no row of " + child.datasetName() + " references a parent");
        }
        Verdict last = Verdict.skip("");
        for (String oldKey : keys) { // a parent that another table's row holds on to cannot show this key's action
            last = probe(child, parent, fk, delete, oldKey);
            if (last.kind() != Behaviours.Kind.SKIP) {
                return last;
            }
        }
        return last;
    }

    private Verdict probe(Table child, Table parent, Constraint.ForeignKey fk, boolean delete, String oldKey) throws SQLException {
        String childKey = key("c", fk.columns());
        String parentKey = key("p", fk.referencedColumns());
        Constraint.Action action = delete ? fk.onDelete() : fk.onUpdate();
        List<String> changed = changedColumns(fk, delete, action);
        String ident = identity(child, changed);
        List<String> idents = b.strings("SELECT " + ident + " FROM " + q(child) + " c WHERE " + childKey + " = " + lit(oldKey));
        // rows that look the same but reference another parent (a link table's row for another note): the action
        // leaves them as they are, so they are taken out of what is found afterwards
        List<List<@Nullable String>> others = idents.isEmpty() ? List.of() : b.rows("SELECT " + ident + ", " + key("c", changed)
                + " FROM " + q(child) + " c WHERE " + ident + " = ANY (ARRAY[" + String.join(", ", idents.stream().map(Behaviours::lit)
                .toList()) + "]::text[]) AND " + childKey + " IS DISTINCT FROM " + lit(oldKey));
        String expected = null; // the changed columns of every affected child row afterwards, as a jsonb array
        String change;
        String where = " WHERE " + parentKey + " = " + lit(oldKey);
        if (delete) {
            change = "DELETE FROM " + q(parent) + " p" + where;
        } else {
            String col = fk.referencedColumns().get(0);
            String fresh = freshValue(parent, col, where);
            if (fresh == null) {
                return Verdict.skip("no new key value for " + parent.column(col).type() + " " + col);
            }
            String typed = lit(fresh) + "::" + parent.column(col).type().formatted();
            change = "UPDATE " + q(parent) + " p SET " + id(col) + " = " + lit(fresh) + where; // assigned, never truncated by a cast
            if (action == Constraint.Action.CASCADE) {
                expected = b.scalar("SELECT jsonb_set(" + lit(oldKey) + "::jsonb, '{0}', to_jsonb(" + typed + "))::text");
            }
        }
        if (action == Constraint.Action.SET_NULL) {
            expected = b.scalar("SELECT jsonb_build_array(" + String.join(", ", changed.stream().map(x -> "NULL").toList()) + ")::text");
        } else if (action == Constraint.Action.SET_DEFAULT) {
            expected = b.scalar("SELECT jsonb_build_array(" + String.join(", ", changed.stream().map(x -> {
                Column col = child.column(x);
                return "(" + col.defaultExpression().orElse("NULL") + ")::" + col.type().formatted();
            }).toList()) + ")::text");
        }
        String script = change + ";\nSET CONSTRAINTS ALL IMMEDIATE;\nSELECT " + ident + " AS child_row, " + key("c", changed)
                + " AS " + (delete ? "after_delete" : "after_update") + " FROM " + q(child) + " c WHERE " + ident + " = ANY (ARRAY["
                + String.join(", ", idents.stream().map(Behaviours::lit).toList()) + "]::text[]);\n";
        Attempt a = b.attempt(change + "; SET CONSTRAINTS ALL IMMEDIATE");
        String what = (delete ? "deleting" : "updating the key of") + " the parent " + parent.datasetName() + " " + oldKey;
        boolean refusedByIt = "23503".equals(a.sqlState()) && fk.name().equals(a.constraint());
        boolean refuses = action == Constraint.Action.NO_ACTION || action == Constraint.Action.RESTRICT;
        if (!a.ok() && !refusedByIt) {
            return Verdict.skip(what + " failed for another reason: " + a.sqlState() + " " + a.message());
        }
        if (refuses) {
            return refusedByIt ? Verdict.pass() : Verdict.fail(fk.name() + " is ON " + (delete ? "DELETE " : "UPDATE ") + words(action)
                    + " but " + what + " was not refused; of the " + idents.size() + " child rows referencing it "
                    + describe(after(child, ident, idents, changed, others)), script);
        }
        if (refusedByIt) {
            return action == Constraint.Action.SET_DEFAULT ? Verdict.skip("the default references no parent")
                    : Verdict.fail(fk.name() + " is ON " + (delete ? "DELETE " : "UPDATE ") + words(action) + " but " + what
                    + " was refused: " + a.message(), script);
        }
        if (a.count() == 0) {
            return Verdict.skip(what + " changed no row (a trigger?)");
        }
        Map<String, @Nullable String> now = after(child, ident, idents, changed, others);
        String want = expected;
        boolean agrees = action == Constraint.Action.CASCADE && delete ? now.isEmpty()
                : now.size() == idents.size() && now.values().stream().allMatch(v -> v != null && v.equals(want));
        if (agrees) {
            return Verdict.pass();
        }
        return Verdict.fail(fk.name() + " is ON " + (delete ? "DELETE " : "UPDATE ") + words(action) + " but after " + what
                + " the " + idents.size() + " child rows referencing it: " + describe(now) + " (columns " + changed + "; expected "
                + (action == Constraint.Action.CASCADE && delete ? "none left" : expected) + ")", script);
    }

    private static String describe(Map<String, @Nullable String> rows) {
        return rows.isEmpty() ? "none is left" : "these are left (row -> key columns): " + rows;
    }

    /**
     * The affected child rows afterwards: identity -> the changed columns (a row gone is absent).
     * {@code others} (identity, changed columns) are rows with the same identity that referenced
     * another parent before: each is taken out once.
     */
    private Map<String, @Nullable String> after(Table child, String ident, List<String> idents, List<String> changed,
                                                List<List<@Nullable String>> others) throws SQLException {
        Map<String, @Nullable String> out = new HashMap<>();
        if (idents.isEmpty()) {
            return out;
        }
        List<List<@Nullable String>> unaffected = new java.util.ArrayList<>(others);
        for (List<@Nullable String> r : b.rows("SELECT " + ident + ", " + key("c", changed) + " FROM " + q(child) + " c WHERE " + ident
                + " = ANY (ARRAY[" + String.join(", ", idents.stream().map(Behaviours::lit).toList()) + "]::text[])")) {
            if (!unaffected.remove(r)) {
                out.put(r.get(0), r.get(1));
            }
        }
        return out;
    }

    /** The child columns the action writes: SET NULL (a, b) names some, any other action all of them. */
    private static List<String> changedColumns(Constraint.ForeignKey fk, boolean delete, Constraint.Action action) {
        if (action == Constraint.Action.SET_NULL || action == Constraint.Action.SET_DEFAULT) {
            Matcher m = SET_COLUMNS.matcher(fk.definition());
            while (m.find()) {
                if (m.group(1).equals(delete ? "DELETE" : "UPDATE")) {
                    return List.of(m.group(2).replace("\"", "").split(",\\s*"));
                }
            }
        }
        return fk.columns();
    }

    /** How a child row is recognised before and after: its primary key if the action leaves it, else the rest of the row. */
    private static String identity(Table child, List<String> changed) {
        var pk = child.primaryKey();
        if (pk.isPresent() && pk.get().columns().stream().noneMatch(changed::contains)) {
            return key("c", pk.get().columns());
        }
        return "(to_jsonb(c) - ARRAY[" + String.join(", ", changed.stream().map(Behaviours::lit).toList()) + "]::text[])::text";
    }

    /** A value for the parent's key column that no row has, as text; null for a type this cannot make. */
    private @Nullable String freshValue(Table parent, String col, String where) throws SQLException {
        String sql = freshValueSql(parent, col, where);
        return sql == null ? null : b.scalar(sql);
    }

    private static @Nullable String freshValueSql(Table parent, String col, String where) {
        PgType t = parent.column(col).type().underlying();
        String c = id(col);
        String sql = switch (t.name()) {
            case "int2", "int4", "int8", "numeric", "float4", "float8" -> "SELECT (max(p." + c + ") + 1)::text FROM " + q(parent) + " p";
            case "text", "varchar", "bpchar", "citext" -> "SELECT p." + c + "::text || '_2' FROM " + q(parent) + " p" + where;
            case "uuid" -> "SELECT gen_random_uuid()::text";
            case "date" -> "SELECT (max(p." + c + ") + 1)::text FROM " + q(parent) + " p";
            case "timestamp", "timestamptz" -> "SELECT (max(p." + c + ") + interval '1 second')::text FROM " + q(parent) + " p";
            default -> null;
        };
        return sql;
    }
}

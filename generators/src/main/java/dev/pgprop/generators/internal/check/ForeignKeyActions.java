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
            java.util.function.Predicate<Dataset> references = d -> references(d, child, fk);
            out.add(b.sampled("fk-action", child, fk.name() + " ON DELETE " + words(fk.onDelete()), gen, random, b.samples, references,
                    d -> probe(child, parent, fk, true, d)));
            String object = fk.name() + " ON UPDATE " + words(fk.onUpdate());
            String keyColumn = movedColumn(parent, fk);
            if (freshValueSql(parent, keyColumn, "") == null) {
                out.add(new SchemaCheck.BehaviourResult("fk-action", child.datasetName(), object, 0, 0, "",
                        "not compared: no new key value is made for " + parent.column(keyColumn).type()));
                continue;
            }
            out.add(b.sampled("fk-action", child, object, gen, random, b.samples, references, d -> probe(child, parent, fk, false, d)));
        }
        return out;
    }

    /**
     * The column of the referenced key an update changes: the first that no foreign key of the
     * parent holds (in {@code (tenant_id, user_id)}, {@code user_id}: a new tenant_id would have
     * to exist in tenants).
     */
    static String movedColumn(Table parent, Constraint.ForeignKey fk) {
        return fk.referencedColumns().stream().filter(c -> parent.foreignKeys().stream().noneMatch(k -> k.columns().contains(c)))
                .findFirst().orElse(fk.referencedColumns().get(0));
    }

    /**
     * A row of the child in the dataset references a parent (every column of the foreign key set),
     * and, where the table references itself, a row other than itself (a row that is its own
     * parent shows no action: the probe leaves it out).
     */
    static boolean references(Dataset d, Table child, Constraint.ForeignKey fk) {
        if (!d.tables().contains(child.datasetName())) {
            return false;
        }
        boolean self = fk.referencedQualifiedName().equals(child.qualifiedName());
        return d.rows(child.datasetName()).stream().anyMatch(r -> fk.columns().stream().allMatch(col -> r.has(col) && r.get(col) != null)
                && !(self && fk.referencedColumns().stream().allMatch(r::has) && java.util.stream.IntStream.range(0, fk.columns().size())
                        .allMatch(k -> String.valueOf(r.get(fk.columns().get(k))).equals(String.valueOf(r.get(fk.referencedColumns().get(k)))))));
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
        // a parent that references itself takes its own reference away when deleted: it shows no action, leave it out
        String selfLoop = child.qualifiedName().equals(parent.qualifiedName()) ? " AND " + childKey + " NOT IN (SELECT " + key("s", fk.columns())
                + " FROM " + q(child) + " s WHERE " + key("s", fk.columns()) + " = " + key("s", fk.referencedColumns()) + ")" : "";
        List<String> keys = b.strings("SELECT DISTINCT " + childKey + " FROM " + q(child) + " c WHERE " + notNull + selfLoop
                + " ORDER BY 1 LIMIT 5");
        if (keys.isEmpty()) {
            return Verdict.skip("no row of " + child.datasetName() + " references a parent");
        }
        String isolation = isolate(child, parent, fk, delete);
        Verdict last = Verdict.skip("");
        for (String oldKey : keys) { // a parent that a trigger or a check holds on to cannot show this key's action
            last = probe(child, parent, fk, delete, oldKey, isolation);
            if (last.kind() != Behaviours.Kind.SKIP) {
                return last;
            }
        }
        return last;
    }

    /**
     * Drops, in the transaction that is rolled back, every other foreign key that references the
     * parent or the child: only this key's action then decides what a delete or an update of the
     * parent does (another key's NO ACTION would refuse it first). For an update, also the parent's
     * own foreign keys that hold the column it moves (no key value would be new and still
     * referenced). The statements, for the script.
     */
    private String isolate(Table child, Table parent, Constraint.ForeignKey fk, boolean delete) throws SQLException {
        StringBuilder script = new StringBuilder();
        String moved = delete ? null : movedColumn(parent, fk);
        for (Table t : b.schema.tables()) {
            for (Constraint.ForeignKey other : t.foreignKeys()) {
                boolean same = t.qualifiedName().equals(child.qualifiedName()) && other.name().equals(fk.name());
                // and, for an update, a key of the parent's own that holds the moved column (leads.member_id references members:
                // the new value would have to be a member too)
                boolean holdsMoved = moved != null && t.qualifiedName().equals(parent.qualifiedName()) && other.columns().contains(moved);
                boolean near = other.referencedQualifiedName().equals(parent.qualifiedName())
                        || other.referencedQualifiedName().equals(child.qualifiedName()) || holdsMoved;
                if (!same && near) {
                    String sql = "ALTER TABLE " + q(t) + " DROP CONSTRAINT IF EXISTS " + id(other.name());
                    if (b.attempt(sql).ok()) {
                        script.append(sql).append(";\n");
                    }
                }
            }
        }
        return script.toString();
    }

    private Verdict probe(Table child, Table parent, Constraint.ForeignKey fk, boolean delete, String oldKey, String isolation)
            throws SQLException {
        String childKey = key("c", fk.columns());
        String parentKey = key("p", fk.referencedColumns());
        Constraint.Action action = delete ? fk.onDelete() : fk.onUpdate();
        List<String> changed = changedColumns(fk, delete, action);
        String ident = identity(child, changed);
        List<String> idents = b.strings("SELECT DISTINCT " + ident + " FROM " + q(child) + " c WHERE " + childKey + " = " + lit(oldKey));
        String expected = null; // the changed columns of every affected child row afterwards, as a jsonb array
        String change;
        String where = " WHERE " + parentKey + " = " + lit(oldKey);
        String fresh = null;
        if (delete) {
            change = "DELETE FROM " + q(parent) + " p" + where;
        } else {
            String col = movedColumn(parent, fk);
            fresh = freshValue(parent, col, where);
            if (fresh == null) {
                return Verdict.skip("no new key value for " + parent.column(col).type() + " " + col);
            }
            String typed = lit(fresh) + "::" + parent.column(col).type().formatted();
            change = "UPDATE " + q(parent) + " p SET " + id(col) + " = " + lit(fresh) + where; // assigned, never truncated by a cast
            if (action == Constraint.Action.CASCADE) {
                expected = b.scalar("SELECT jsonb_set(" + lit(oldKey) + "::jsonb, '{" + fk.referencedColumns().indexOf(col) + "}', to_jsonb("
                        + typed + "))::text");
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
        // the rows that share an identity with an affected row, before: identity -> the changed columns, and whether it is affected
        String among = " FROM " + q(child) + " c WHERE " + ident + " = ANY (ARRAY[" + String.join(", ", idents.stream().map(Behaviours::lit)
                .toList()) + "]::text[])";
        List<String> want = new ArrayList<>();
        for (List<@Nullable String> r : b.rows("SELECT " + ident + ", " + key("c", changed) + ", (" + childKey + " = " + lit(oldKey) + ")::text"
                + among)) {
            boolean affected = "true".equals(r.get(2));
            if (!affected) {
                want.add(r.get(0) + " -> " + r.get(1));
            } else if (!(delete && action == Constraint.Action.CASCADE)) {
                want.add(r.get(0) + " -> " + (expected == null ? r.get(1) : expected));
            }
        }
        java.util.Collections.sort(want);
        String script = isolation + change + ";\nSET CONSTRAINTS ALL IMMEDIATE;\nSELECT " + ident + " AS child_row, " + key("c", changed)
                + " AS " + (delete ? "after_delete" : "after_update") + among + ";\n";
        Attempt a = b.attempt(change + "; SET CONSTRAINTS ALL IMMEDIATE");
        String what = (delete ? "deleting" : "updating the key of") + " the parent " + parent.datasetName() + " " + oldKey;
        String declared = fk.name() + " is ON " + (delete ? "DELETE " : "UPDATE ") + words(action);
        boolean refusedByIt = "23503".equals(a.sqlState()) && fk.name().equals(a.constraint());
        boolean refuses = action == Constraint.Action.NO_ACTION || action == Constraint.Action.RESTRICT;
        // only SET NULL writes NULL into the key's columns (the error names the partition of a partitioned child, so its column is enough:
        // with the other foreign keys dropped, no other action writes)
        if (action != Constraint.Action.SET_NULL && "23502".equals(a.sqlState()) && fk.columns().contains(a.column())) {
            return Verdict.fail(declared + " but " + what + " wrote NULL into " + child.datasetName() + "." + a.column() + " (" + a.message()
                    + ")", script);
        }
        if (!a.ok() && !refusedByIt) {
            return Verdict.skip(what + " failed for another reason: " + a.sqlState() + " " + a.message());
        }
        if (refuses && !refusedByIt) {
            return Verdict.fail(declared + " but " + what + " was not refused; the child rows (row -> key columns) "
                    + describe(entries(ident, changed, among)), script);
        }
        if (refuses) {
            return oneStatement(child, parent, fk, delete, action, where, fresh, isolation, declared);
        }
        if (refusedByIt) {
            return action == Constraint.Action.SET_DEFAULT ? Verdict.skip("the default references no parent")
                    : Verdict.fail(declared + " but " + what + " was refused: " + a.message(), script);
        }
        if (a.count() == 0) {
            return Verdict.skip(what + " changed no row (a trigger?)");
        }
        List<String> now = entries(ident, changed, among);
        if (now.equals(want)) {
            return Verdict.pass();
        }
        return Verdict.fail(declared + " but after " + what + " the child rows (row -> key columns) " + describe(now) + "; expected "
                + (want.isEmpty() ? "none" : want) + " (columns " + changed + ")", script);
    }

    /**
     * RESTRICT and NO ACTION told apart: one statement that takes the parent's key away and puts
     * it back (deletes the row and inserts it again; moves it to a new key and inserts a copy under
     * the old one) is accepted under NO ACTION, which looks at the end of the statement, and
     * refused under RESTRICT, which looks at once. Other keys of the parent are dropped (in the
     * transaction that is rolled back) so that the copy does not collide with the moved row.
     */
    private Verdict oneStatement(Table child, Table parent, Constraint.ForeignKey fk, boolean delete, Constraint.Action action,
                                 String where, @Nullable String fresh, String isolation, String declared) throws SQLException {
        List<String> cols = Behaviours.writable(parent).stream().map(Column::name).toList();
        String list = String.join(", ", cols.stream().map(Behaviours::id).toList());
        String sql;
        StringBuilder script = new StringBuilder(isolation);
        if (delete) {
            sql = "WITH gone AS (DELETE FROM " + q(parent) + " p" + where + " RETURNING p.*) INSERT INTO " + q(parent) + " (" + list
                    + ") OVERRIDING SYSTEM VALUE SELECT " + list + " FROM gone";
        } else {
            String col = movedColumn(parent, fk);
            String old = b.scalar("SELECT p." + id(col) + "::text FROM " + q(parent) + " p" + where);
            if (old == null || fresh == null) {
                return Verdict.pass();
            }
            for (Constraint k : parentKeys(parent)) {
                if (!java.util.Set.copyOf(k.columns()).equals(java.util.Set.copyOf(fk.referencedColumns()))) {
                    String drop = k instanceof Constraint.Unique u && u.indexOnly() ? "DROP INDEX IF EXISTS " + id(parent.schema()) + "." + id(k.name())
                            : "ALTER TABLE " + q(parent) + " DROP CONSTRAINT IF EXISTS " + id(k.name());
                    if (!b.attempt(drop).ok()) {
                        return Verdict.pass(); // the copy would collide: this sample cannot tell them apart
                    }
                    script.append(drop).append(";\n");
                }
            }
            String copy = String.join(", ", cols.stream().map(x -> x.equals(col) ? lit(old) + "::" + parent.column(x).type().formatted()
                    : id(x)).toList());
            sql = "WITH moved AS (UPDATE " + q(parent) + " p SET " + id(col) + " = " + lit(fresh) + where + " RETURNING p.*) INSERT INTO "
                    + q(parent) + " (" + list + ") OVERRIDING SYSTEM VALUE SELECT " + copy + " FROM moved";
        }
        Attempt a = b.attempt(sql + "; SET CONSTRAINTS ALL IMMEDIATE");
        boolean refusedByIt = "23503".equals(a.sqlState()) && fk.name().equals(a.constraint());
        script.append(sql).append(";\nSET CONSTRAINTS ALL IMMEDIATE;\n");
        String what = (delete ? "deleting" : "moving") + " a referenced row of " + parent.datasetName() + " and putting its key back"
                + " in one statement";
        if (action == Constraint.Action.NO_ACTION && refusedByIt) {
            return Verdict.fail(declared + " but " + what + " was refused at once, as RESTRICT does: " + a.message(), script.toString());
        }
        if (action == Constraint.Action.RESTRICT && a.ok()) {
            return Verdict.fail(declared + " but " + what + " was accepted, as NO ACTION does", script.toString());
        }
        return Verdict.pass(); // refused for another reason (a trigger, a check): this sample cannot tell them apart
    }

    private static List<Constraint> parentKeys(Table parent) {
        List<Constraint> out = new ArrayList<>();
        parent.primaryKey().ifPresent(out::add);
        out.addAll(parent.uniques());
        return out;
    }

    private static String describe(List<String> rows) {
        return rows.isEmpty() ? "are none" : "are " + rows;
    }

    /** The rows among those of an affected identity, afterwards: identity -> the changed columns, sorted. */
    private List<String> entries(String ident, List<String> changed, String among) throws SQLException {
        List<String> out = new ArrayList<>();
        for (List<@Nullable String> r : b.rows("SELECT " + ident + ", " + key("c", changed) + among)) {
            out.add(r.get(0) + " -> " + r.get(1));
        }
        java.util.Collections.sort(out);
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

    private static String maxOf(String intType) {
        return switch (intType) {
            case "int2" -> Short.toString(Short.MAX_VALUE);
            case "int4" -> Integer.toString(Integer.MAX_VALUE);
            default -> Long.toString(Long.MAX_VALUE);
        };
    }

    private static @Nullable String freshValueSql(Table parent, String col, String where) {
        PgType t = parent.column(col).type().underlying();
        String c = id(col);
        String sql = switch (t.name()) {
            case "int2", "int4", "int8" -> "SELECT (CASE WHEN max(p." + c + ") < " + maxOf(t.name()) + " THEN max(p." + c + ")::numeric + 1"
                    + " ELSE min(p." + c + ")::numeric - 1 END)::text FROM " + q(parent) + " p"; // never out of the type's range
            case "numeric", "float4", "float8" -> "SELECT (max(p." + c + ") + 1)::text FROM " + q(parent) + " p";
            // the last character exchanged for another of its class (a key of a format, SKU-000123, keeps it), else a suffix
            case "text", "varchar", "bpchar", "citext" -> "SELECT v FROM (SELECT left(p." + c + "::text, -1) || x AS v, 1 AS o FROM " + q(parent)
                    + " p, regexp_split_to_table(CASE WHEN right(p." + c + "::text, 1) ~ '[0-9]' THEN '0123456789' WHEN right(p." + c
                    + "::text, 1) ~ '[A-Z]' THEN 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' ELSE 'abcdefghijklmnopqrstuvwxyz' END, '') x" + where
                    + " UNION ALL SELECT p." + c + "::text || '_2', 2 FROM " + q(parent) + " p" + where + ") s WHERE NOT EXISTS (SELECT 1 FROM "
                    + q(parent) + " y WHERE y." + c + "::text = s.v) ORDER BY o, v LIMIT 1";
            case "uuid" -> "SELECT gen_random_uuid()::text";
            case "date" -> "SELECT (max(p." + c + ") + 1)::text FROM " + q(parent) + " p";
            case "timestamp", "timestamptz" -> "SELECT (max(p." + c + ") + interval '1 second')::text FROM " + q(parent) + " p";
            default -> null;
        };
        return sql;
    }
}

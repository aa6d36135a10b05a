package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.id;
import static dev.pgprop.generators.internal.check.Behaviours.lit;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.Policy;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.internal.check.Behaviours.Attempt;
import dev.pgprop.generators.internal.check.Behaviours.Verdict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Row-level security behaves as the declared policies say, for every RLS-enabled table and every
 * role the checks act as (a role no policy names stands for "a role without a policy": it must see
 * no row and write none unless a policy applies to PUBLIC). For each dataset the request claims
 * are drawn at random ({@code request.jwt.claims}, {@code request.jwt.claim.sub} and {@code .role}
 * as PostgREST sets them, and every setting the policies read with {@code current_setting}), from
 * the dataset's key values, a fresh value, or none. Then each policy expression is evaluated per
 * row, as the role, on a copy of the rows (so that a subquery in it sees what the role sees), and
 * compared with what the role reads ({@code SELECT}), deletes, updates ({@code SET c = c}: USING
 * of UPDATE and SELECT policies pick the rows, WITH CHECK must hold on them) and inserts (each row
 * again, after the table is emptied: WITH CHECK of INSERT policies). Triggers and foreign-key
 * checks are off during the writes, so that only the policies speak.
 */
final class RowSecurity {
    private static final Pattern SETTING = Pattern.compile("current_setting\\('([^']+)'");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final String SUB = "request.jwt.claim.sub";
    private static final int OTHER_CLAIMS = 8;
    /** {@code col = … current_setting('name' …}, as PostgreSQL prints a policy expression. */
    private static final Pattern COMPARED_SETTING = Pattern.compile("(\\w+)\\s*=\\s*[(\\s]*(?:NULLIF\\(|nullif\\()?[(\\s]*current_setting\\('([^']+)'");
    /** {@code col = auth.uid()} or {@code auth.uid() = col}. */
    private static final Pattern COMPARED_UID = Pattern.compile("(\\w+)\\s*=\\s*[(\\s]*auth\\.uid\\(\\)|auth\\.uid\\(\\)\\)?\\s*=\\s*\\(?(\\w+)");

    private final Behaviours b;

    RowSecurity(Behaviours b) {
        this.b = b;
    }

    List<SchemaCheck.BehaviourResult> check(Table t, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        List<SchemaCheck.BehaviourResult> out = new ArrayList<>();
        if (!t.rowSecurity()) {
            return out;
        }
        int rounds = Math.max(6, 3 * b.samples);
        List<Table> readers = readers(t);
        if (!readers.isEmpty()) {
            gen = withReaders(gen, readers);
            rounds *= 2; // a row such a policy admits needs a reader's row and the claim that matches it
        }
        for (String role : b.roles().names()) {
            if (!anyPrivilege(role, t)) {
                out.add(new SchemaCheck.BehaviourResult("rls", t.datasetName(), role, 0, 0, "",
                        "not compared: " + role + " may neither read nor write " + t.datasetName()));
                continue;
            }
            out.add(b.sampled("rls", t, role, gen, random, rounds, d -> probe(t, role, d)));
        }
        if (b.roles().canCreate()) {
            out.add(b.sampled("rls", t, "a role no policy names", gen, random, rounds, d -> probe(t, null, d)));
        }
        return out;
    }

    /** The tables that reference {@code t} and that one of its policies reads ({@code EXISTS (SELECT 1 FROM shares s …)}). */
    private List<Table> readers(Table t) {
        List<Table> out = new ArrayList<>();
        for (Table other : b.schema.tables()) {
            boolean references = other.foreignKeys().stream().anyMatch(fk -> fk.referencedQualifiedName().equals(t.qualifiedName()));
            Pattern named = Pattern.compile("\\b" + Pattern.quote(other.name()) + "\\b");
            boolean read = t.policies().stream().anyMatch(p -> named.matcher(p.using().orElse("") + " " + p.withCheck().orElse("")).find());
            if (references && read && other != t && b.generator(other) != null) {
                out.add(other);
            }
        }
        return out;
    }

    /**
     * The table's datasets one draw in three, a reader's the other two: a reader's dataset holds
     * rows of the table and the rows that make such a policy true.
     */
    private RandomGenerator<Dataset> withReaders(RandomGenerator<Dataset> own, List<Table> readers) {
        List<RandomGenerator<Dataset>> gens = readers.stream().map(b::generator).toList();
        return random -> {
            int i = random.nextInt(3 * gens.size());
            return i < gens.size() ? own.next(random) : gens.get(i % gens.size()).next(random);
        };
    }

    private Verdict probe(Table t, @Nullable String named, Dataset d) throws SQLException {
        String role = named != null ? named : b.roles().createPublicStandIn();
        if (named == null) {
            for (String s : b.schema.tables().stream().map(Table::schema).distinct().toList()) {
                b.exec("GRANT USAGE ON SCHEMA " + id(s) + " TO " + role + "; GRANT ALL ON ALL TABLES IN SCHEMA " + id(s) + " TO " + role);
            }
        } else if (b.roles().owns(role, t)) {
            return Verdict.skip(role + " owns " + t.datasetName());
        }
        if (!b.load(d)) {
            return Verdict.skip("the dataset did not load");
        }
        Map<String, String> claims = claims(t, role, named == null ? "public" : role, d); // the same claims for a dataset in every run
        StringBuilder script = new StringBuilder();
        for (Map.Entry<String, String> e : claims.entrySet()) {
            String set = "SELECT set_config(" + lit(e.getKey()) + ", " + lit(e.getValue()) + ", true)";
            b.exec(set);
            script.append(set).append(";\n");
        }
        b.exec("CREATE TEMP TABLE pgprop_rls ON COMMIT DROP AS SELECT row_number() OVER () AS pgprop_n, tableoid AS pgprop_toid,"
                + " ctid AS pgprop_tid, * FROM " + q(t));
        b.exec("GRANT SELECT ON pg_temp.pgprop_rls TO " + id(role));
        Map<String, Integer> rowOf = new LinkedHashMap<>();
        for (List<@Nullable String> r : b.rows("SELECT pgprop_n, pgprop_toid::text || ':' || pgprop_tid::text FROM pg_temp.pgprop_rls")) {
            rowOf.put(r.get(1), Integer.parseInt(r.get(0)));
        }
        if (rowOf.isEmpty()) {
            return Verdict.skip("no row of " + t.datasetName() + " loaded");
        }
        boolean bypass = named != null && b.roles().bypassesRls(named);
        Set<String> applies = named == null ? Set.of("public", role) : b.roles().memberOf(named);
        String[] expressions = {
            combine(t, applies, "SELECT", false), combine(t, applies, "INSERT", true), combine(t, applies, "UPDATE", false),
            combine(t, applies, "UPDATE", true), combine(t, applies, "DELETE", false)};
        Map<Integer, boolean[]> expected = new LinkedHashMap<>();
        StringBuilder eval = new StringBuilder("SELECT pgprop_n");
        for (String e : expressions) {
            eval.append(", (coalesce(").append(bypass ? "true" : e).append(", false))::text");
        }
        eval.append(" FROM pg_temp.pgprop_rls AS ").append(id(t.name()));
        List<List<@Nullable String>> evaluated;
        try {
            evaluated = rowsAs(role, eval.toString());
        } catch (org.postgresql.util.PSQLException e) {
            return Verdict.skip("the policy expressions do not evaluate as " + role + ": " + Behaviours.firstLine(e.getMessage()));
        }
        for (List<@Nullable String> r : evaluated) {
            boolean[] v = new boolean[5];
            for (int i = 0; i < 5; i++) {
                v[i] = "true".equals(r.get(i + 1));
            }
            expected.put(Integer.parseInt(r.get(0)), v);
        }
        List<String> wrong = new ArrayList<>();
        String ids = "SELECT tableoid::text || ':' || ctid::text FROM " + q(t);
        String who = named == null ? "a role no policy names" : role;
        // SELECT: the rows the role reads
        if (privileged(role, t, "SELECT")) {
            Set<Integer> saw = new TreeSet<>();
            try {
                for (List<@Nullable String> r : rowsAs(role, ids)) {
                    if (rowOf.containsKey(r.get(0))) {
                        saw.add(rowOf.get(r.get(0)));
                    }
                }
            } catch (org.postgresql.util.PSQLException e) {
                return Verdict.skip("SELECT as " + role + " failed: " + Behaviours.firstLine(e.getMessage()));
            }
            compare("reads", where(expected, 0), saw, wrong);
            script.append("SET LOCAL ROLE ").append(id(role)).append(";\nSELECT * FROM ").append(q(t)).append(";  -- reads rows ")
                    .append(saw).append(", the policies admit ").append(where(expected, 0)).append("\nRESET ROLE;\n");
        }
        // DELETE: the rows the role deletes
        if (privileged(role, t, "DELETE")) {
            b.exec("SAVEPOINT pgprop_rls");
            b.replica();
            Attempt a = b.attemptAs(role, "DELETE FROM " + q(t));
            if (a.ok()) {
                Set<Integer> deleted = gone(ids, rowOf);
                compare("deletes", where(expected, 4), deleted, wrong);
                script.append("SAVEPOINT s;\nSET LOCAL ROLE ").append(id(role)).append(";\nDELETE FROM ").append(q(t))
                        .append(";  -- deletes rows ").append(deleted).append(", the policies admit ").append(where(expected, 4))
                        .append("\nROLLBACK TO SAVEPOINT s;\n");
            }
            b.exec("ROLLBACK TO SAVEPOINT pgprop_rls");
        }
        // UPDATE: SET c = c reads c, so SELECT and UPDATE policies pick the rows; WITH CHECK must hold on each
        Column col = Behaviours.writable(t).stream().filter(c -> privileged(role, t, c, "UPDATE") && privileged(role, t, c, "SELECT"))
                .findFirst().orElse(null);
        if (col != null) {
            b.exec("SAVEPOINT pgprop_rls");
            b.replica();
            Set<Integer> targets = new TreeSet<>();
            boolean checkFails = false;
            for (Map.Entry<Integer, boolean[]> e : expected.entrySet()) {
                if (e.getValue()[0] && e.getValue()[2]) {
                    targets.add(e.getKey());
                    checkFails |= !e.getValue()[3];
                }
            }
            String update = "UPDATE " + q(t) + " SET " + id(col.name()) + " = " + id(col.name());
            Attempt a = b.attemptAs(role, update);
            if (a.ok()) {
                Set<Integer> updated = gone(ids, rowOf);
                if (checkFails) {
                    wrong.add(who + " updates rows " + updated + " although WITH CHECK refuses some of " + targets);
                } else {
                    compare("updates", targets, updated, wrong);
                }
                script.append("SAVEPOINT s;\nSET LOCAL ROLE ").append(id(role)).append(";\n").append(update).append(";  -- updates rows ")
                        .append(updated).append(", the policies admit ").append(targets).append("\nROLLBACK TO SAVEPOINT s;\n");
            } else if ("42501".equals(a.sqlState()) && !checkFails) {
                wrong.add(who + " may not update rows " + targets + " (" + a.message() + ") although the policies admit them");
                script.append("SET LOCAL ROLE ").append(id(role)).append(";\n").append(update).append(";  -- refused\n");
            }
            b.exec("ROLLBACK TO SAVEPOINT pgprop_rls");
        }
        // INSERT: every row again into the emptied table
        if (privileged(role, t, "INSERT")) {
            b.exec("SAVEPOINT pgprop_rls");
            if (b.replica()) {
                b.exec("DELETE FROM " + q(t));
                String cols = String.join(", ", Behaviours.writable(t).stream().map(c -> id(c.name())).toList());
                Set<Integer> inserted = new TreeSet<>();
                Set<Integer> tried = new TreeSet<>();
                for (int n : expected.keySet()) {
                    Attempt a = b.attemptAs(role, "INSERT INTO " + q(t) + " (" + cols + ") SELECT " + cols
                            + " FROM pg_temp.pgprop_rls WHERE pgprop_n = " + n);
                    if (a.ok() || "42501".equals(a.sqlState())) {
                        tried.add(n);
                        if (a.ok()) {
                            inserted.add(n);
                        }
                    }
                }
                Set<Integer> admitted = new TreeSet<>(where(expected, 1));
                admitted.retainAll(tried);
                compare("inserts", admitted, inserted, wrong);
            }
            b.exec("ROLLBACK TO SAVEPOINT pgprop_rls");
        }
        if (wrong.isEmpty() && privileged(role, t, "SELECT")) {
            // what the role reads, again under the claims of each user the rows hold (cheaper than the writes, and the policies
            // that admit a row through another table's rows need the claim that matches them)
            for (Map<String, String> other : otherClaims(t, role, d, claims)) {
                StringBuilder set = new StringBuilder();
                for (Map.Entry<String, String> e : other.entrySet()) {
                    String sql = "SELECT set_config(" + lit(e.getKey()) + ", " + lit(e.getValue()) + ", true)";
                    b.exec(sql);
                    set.append(sql).append(";\n");
                }
                Set<Integer> admitted = new TreeSet<>();
                Set<Integer> deletable = new TreeSet<>();
                Set<Integer> saw = new TreeSet<>();
                try {
                    for (List<@Nullable String> r : rowsAs(role, eval.toString())) {
                        if ("true".equals(r.get(1))) {
                            admitted.add(Integer.parseInt(r.get(0)));
                        }
                        if ("true".equals(r.get(5))) {
                            deletable.add(Integer.parseInt(r.get(0)));
                        }
                    }
                    for (List<@Nullable String> r : rowsAs(role, ids)) {
                        if (rowOf.containsKey(r.get(0))) {
                            saw.add(rowOf.get(r.get(0)));
                        }
                    }
                } catch (org.postgresql.util.PSQLException e) {
                    continue;
                }
                if (!admitted.equals(saw)) {
                    compare("reads", admitted, saw, wrong);
                    claims = other;
                    script = new StringBuilder(set).append("SET LOCAL ROLE ").append(id(role)).append(";\nSELECT * FROM ").append(q(t))
                            .append(";  -- reads rows ").append(saw).append(", the policies admit ").append(admitted).append("\nRESET ROLE;\n");
                    break;
                }
                if (privileged(role, t, "DELETE")) {
                    b.exec("SAVEPOINT pgprop_rls");
                    b.replica();
                    Attempt a = b.attemptAs(role, "DELETE FROM " + q(t));
                    Set<Integer> deleted = a.ok() ? gone(ids, rowOf) : deletable;
                    b.exec("ROLLBACK TO SAVEPOINT pgprop_rls");
                    if (!deleted.equals(deletable)) {
                        compare("deletes", deletable, deleted, wrong);
                        claims = other;
                        script = new StringBuilder(set).append("SAVEPOINT s;\nSET LOCAL ROLE ").append(id(role)).append(";\nDELETE FROM ")
                                .append(q(t)).append(";  -- deletes rows ").append(deleted).append(", the policies admit ").append(deletable)
                                .append("\nROLLBACK TO SAVEPOINT s;\n");
                        break;
                    }
                }
            }
        }
        if (wrong.isEmpty()) {
            return Verdict.pass();
        }
        StringBuilder rows = new StringBuilder();
        for (List<@Nullable String> r : b.rows("SELECT pgprop_n, (to_jsonb(x) - 'pgprop_n' - 'pgprop_toid' - 'pgprop_tid')::text"
                + " FROM pg_temp.pgprop_rls x ORDER BY 1")) {
            rows.append("\n  row ").append(r.get(0)).append(": ").append(r.get(1));
        }
        return Verdict.fail("as " + who + " with claims " + claims + ": " + String.join("; ", wrong) + "; the rows:" + rows,
                (named == null ? "CREATE ROLE " + role + " NOLOGIN;\n" : "") + script);
    }

    /** The rows of before that are no longer there (deleted, or updated into a new version). */
    private Set<Integer> gone(String ids, Map<String, Integer> rowOf) throws SQLException {
        Set<Integer> out = new TreeSet<>(rowOf.values());
        for (String r : b.strings(ids)) {
            if (rowOf.containsKey(r)) { // an updated row's new version is not one of the rows before
                out.remove(rowOf.get(r));
            }
        }
        return out;
    }

    private static void compare(String what, Set<Integer> admitted, Set<Integer> did, List<String> wrong) {
        if (!admitted.equals(did)) {
            wrong.add(what + " rows " + did + " but the policies admit " + admitted);
        }
    }

    private static Set<Integer> where(Map<Integer, boolean[]> expected, int index) {
        Set<Integer> out = new TreeSet<>();
        expected.forEach((n, v) -> {
            if (v[index]) {
                out.add(n);
            }
        });
        return out;
    }

    /** The expression that says whether a role may do {@code command} on a row: permissive ones OR-ed, restrictive AND-ed. */
    private static String combine(Table t, Set<String> applies, String command, boolean withCheck) {
        List<String> permissive = new ArrayList<>();
        List<String> restrictive = new ArrayList<>();
        for (Policy p : t.policies()) {
            if (!(p.command().equals("ALL") || p.command().equals(command)) || p.roles().stream().noneMatch(applies::contains)) {
                continue;
            }
            var e = withCheck ? p.withCheck().or(p::using) : p.using();
            e.ifPresent(x -> (p.permissive() ? permissive : restrictive).add("(" + x + ")"));
        }
        if (permissive.isEmpty()) {
            return "false";
        }
        StringBuilder b = new StringBuilder("((").append(String.join(" OR ", permissive)).append(")");
        restrictive.forEach(r -> b.append(" AND ").append(r));
        return b.append(")").toString();
    }

    /** Claims drawn from the dataset's key values: what an API request for one of its users would carry. */
    private Map<String, String> claims(Table table, String role, String stable, Dataset d) {
        Random r = new Random(rowsHash(d) * 31L + stable.hashCode());
        Map<String, List<List<String>>> compared = comparedValues(table, readers(table), d);
        List<String> keys = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        for (String name : d.tables()) {
            if (!b.schema.hasTable(name)) {
                continue;
            }
            Table t = b.schema.table(name);
            Set<String> keyCols = new LinkedHashSet<>();
            t.constraints().stream().filter(c -> !(c instanceof Constraint.Check)).forEach(c -> keyCols.addAll(c.columns()));
            for (Row row : d.rows(name)) {
                for (String c : keyCols) {
                    Object v = row.has(c) ? row.get(c) : null;
                    if (v instanceof Number || v instanceof String || v instanceof UUID) {
                        keys.add(v.toString());
                        if (UUID_TEXT.matcher(v.toString()).matches()) {
                            uuids.add(v.toString());
                        }
                    }
                }
            }
        }
        Set<String> settings = new TreeSet<>();
        for (Table t : b.schema.tables()) {
            for (Policy p : t.policies()) {
                for (String e : List.of(p.using().orElse(""), p.withCheck().orElse(""))) {
                    Matcher m = SETTING.matcher(e);
                    while (m.find()) {
                        settings.add(m.group(1));
                    }
                }
            }
        }
        settings.remove(SUB);
        settings.remove("request.jwt.claims");
        Map<String, String> out = new LinkedHashMap<>();
        String sub = pickCompared(r, compared.get(SUB), uuids, new UUID(r.nextLong(), r.nextLong()).toString());
        for (String s : settings) {
            String v = pickCompared(r, compared.get(s), keys, Integer.toString(r.nextInt(1000)));
            out.put(s, v == null ? "" : v);
        }
        out.put(SUB, sub == null ? "" : sub);
        out.put("request.jwt.claim.role", role);
        out.put("request.jwt.claims", "{" + (sub == null ? "" : "\"sub\": \"" + sub + "\", ") + "\"role\": \"" + role + "\"}");
        return out;
    }

    /**
     * A value of a column the table's policies compare with the setting (3 in 4, when the rows
     * hold one: the claim of one of the rows' owners), else as {@link #pick}.
     */
    private static @Nullable String pickCompared(Random r, @Nullable List<List<String>> compared, List<String> known, String fresh) {
        List<List<String>> held = compared == null ? List.of() : compared.stream().filter(v -> !v.isEmpty()).toList();
        if (!held.isEmpty() && r.nextInt(4) < 3) {
            List<String> column = held.get(r.nextInt(held.size())); // a column first: each comparison gets its turn
            return column.get(r.nextInt(column.size()));
        }
        return pick(r, known, fresh);
    }

    /**
     * Setting -> per column its policies compare with that setting ({@code owner_id =
     * current_setting('app.user_id')::bigint}, {@code user_id = auth.uid()}, which reads {@value
     * #SUB}), the values of that column in the dataset's rows of the table and of its readers.
     */
    private static Map<String, List<List<String>>> comparedValues(Table t, List<Table> readers, Dataset d) {
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        for (Policy p : t.policies()) {
            for (String e : List.of(p.using().orElse(""), p.withCheck().orElse(""))) {
                Matcher m = COMPARED_SETTING.matcher(e);
                while (m.find()) {
                    columns.computeIfAbsent(m.group(2), k -> new LinkedHashSet<>()).add(m.group(1));
                }
                Matcher u = COMPARED_UID.matcher(e);
                while (u.find()) {
                    columns.computeIfAbsent(SUB, k -> new LinkedHashSet<>()).add(u.group(1) != null ? u.group(1) : u.group(2));
                }
            }
        }
        List<String> tables = new ArrayList<>(List.of(t.datasetName())); // the column may be a reader's, in a subquery (s.account_id)
        readers.forEach(x -> tables.add(x.datasetName()));
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        columns.forEach((setting, cols) -> {
            List<List<String>> byColumn = new ArrayList<>();
            for (String c : cols) {
                List<String> values = new ArrayList<>();
                for (String name : tables) {
                    for (Row row : d.tables().contains(name) ? d.rows(name) : List.<Row>of()) {
                        Object v = row.has(c) ? row.get(c) : null;
                        if (v != null) {
                            values.add(v.toString());
                        }
                    }
                }
                byColumn.add(values);
            }
            out.put(setting, byColumn);
        });
        return out;
    }

    /**
     * The claims again, with each setting the table's policies compare with a column set in turn
     * to each value that column holds in the dataset (at most {@value #OTHER_CLAIMS} claim sets).
     */
    private List<Map<String, String>> otherClaims(Table t, String role, Dataset d, Map<String, String> claims) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, List<List<String>>> compared = comparedValues(t, readers(t), d);
        for (Map.Entry<String, List<List<String>>> e : compared.entrySet()) {
            Set<String> values = new LinkedHashSet<>();
            e.getValue().forEach(values::addAll);
            for (String v : values) {
                if (out.size() >= OTHER_CLAIMS || v.equals(claims.get(e.getKey()))) {
                    continue;
                }
                Map<String, String> other = new LinkedHashMap<>(claims);
                other.put(e.getKey(), v);
                if (e.getKey().equals(SUB)) {
                    other.put("request.jwt.claims", "{\"sub\": \"" + v + "\", \"role\": \"" + role + "\"}");
                }
                out.add(other);
            }
        }
        return out;
    }

    /** A hash of the dataset's rows that a table without rows does not change (a minimised dataset keeps the claims of its rows). */
    private static int rowsHash(Dataset d) {
        int h = 0;
        for (String name : d.tables()) {
            if (!d.rows(name).isEmpty()) {
                h += name.hashCode() ^ d.rows(name).hashCode();
            }
        }
        return h;
    }

    /** A known value (7 in 10), a fresh one (2 in 10) or none. */
    private static @Nullable String pick(Random r, List<String> known, String fresh) {
        int x = r.nextInt(10);
        if (x < 7 && !known.isEmpty()) {
            return known.get(r.nextInt(known.size()));
        }
        return x < 9 ? fresh : null;
    }

    private boolean anyPrivilege(String role, Table t) throws SQLException {
        return "true".equals(b.scalar("SELECT (has_any_column_privilege(" + lit(role) + ", " + lit(q(t)) + ", 'SELECT, INSERT, UPDATE')"
                + " OR has_table_privilege(" + lit(role) + ", " + lit(q(t)) + ", 'DELETE'))::text"));
    }

    private boolean privileged(String role, Table t, String privilege) throws SQLException {
        return "true".equals(b.scalar("SELECT has_table_privilege(" + lit(role) + ", " + lit(q(t)) + ", " + lit(privilege) + ")::text"));
    }

    private boolean privileged(String role, Table t, Column c, String privilege) {
        try {
            return "true".equals(b.scalar("SELECT has_column_privilege(" + lit(role) + ", " + lit(q(t)) + ", " + lit(c.name()) + ", "
                    + lit(privilege) + ")::text"));
        } catch (SQLException e) {
            return false;
        }
    }

    /** Rows of a query run as the role (under a savepoint; an error rolls back to it and is thrown). */
    private List<List<@Nullable String>> rowsAs(String role, String sql) throws SQLException {
        b.exec("SAVEPOINT pgprop_as");
        try {
            b.exec("SET LOCAL ROLE " + id(role));
            List<List<@Nullable String>> out = b.rows(sql);
            b.exec("RESET ROLE");
            b.exec("RELEASE SAVEPOINT pgprop_as");
            return out;
        } catch (org.postgresql.util.PSQLException e) {
            b.exec("ROLLBACK TO SAVEPOINT pgprop_as");
            throw e;
        }
    }
}

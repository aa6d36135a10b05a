package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.id;
import static dev.pgprop.generators.internal.check.Behaviours.lit;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Grant;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.internal.check.Behaviours.Attempt;
import dev.pgprop.generators.internal.check.Behaviours.Verdict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Grants: a role can do exactly what the table's ACL says (its own grants, PUBLIC's and those of
 * the roles it inherits from). Each privilege is tried as the role on a statement that touches no
 * row ({@code WHERE false}), so that only the privilege check speaks; {@code TRUNCATE} is tried
 * for real and rolled back. {@code REFERENCES} and {@code TRIGGER} are not tried. The roles are
 * those the schema names (grantees, policy roles), Supabase's {@code anon}, {@code authenticated}
 * and {@code service_role} when they exist, and a new role standing for PUBLIC.
 */
final class Grants {
    private static final List<String> PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE");

    private final Behaviours b;

    Grants(Behaviours b) {
        this.b = b;
    }

    List<SchemaCheck.BehaviourResult> check(Table t) throws SQLException {
        List<SchemaCheck.BehaviourResult> out = new ArrayList<>();
        for (String role : b.roles().names()) {
            out.add(forRole(t, role));
        }
        if (b.roles().canCreate()) {
            out.add(forRole(t, null));
        }
        return out;
    }

    private SchemaCheck.BehaviourResult forRole(Table t, @org.jspecify.annotations.Nullable String role) throws SQLException {
        String object = role == null ? "PUBLIC" : role;
        Behaviours.Probe probe = d -> probe(t, role);
        Verdict v = b.inTransaction(probe, Dataset.empty());
        if (v.kind() == Behaviours.Kind.FAIL) {
            return b.failed("grant", t, object, 1, 0, Dataset.empty(), probe);
        }
        return new SchemaCheck.BehaviourResult("grant", t.datasetName(), object, v.kind() == Behaviours.Kind.PASS ? 1 : 0,
                v.kind() == Behaviours.Kind.SKIP ? 1 : 0, "", v.kind() == Behaviours.Kind.SKIP ? "not compared: " + v.detail() : "");
    }

    private Verdict probe(Table t, @org.jspecify.annotations.Nullable String named) throws SQLException {
        String role = named != null ? named : b.roles().createPublicStandIn();
        Set<String> grantees = named == null ? Set.of("public") : b.roles().grantees(named);
        if (named != null && b.roles().owns(named, t)) {
            return Verdict.skip(named + " owns " + t.datasetName());
        }
        if (!"true".equals(b.scalar("SELECT has_schema_privilege(" + lit(role) + ", " + lit(t.schema()) + ", 'USAGE')::text"))) {
            return Verdict.skip(object(named) + " has no USAGE on schema " + t.schema());
        }
        List<Column> writable = Behaviours.writable(t);
        boolean columnGrants = t.grants().stream().anyMatch(g -> g.column().isPresent());
        List<String> wrong = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        for (String privilege : PRIVILEGES) {
            Predicate<Grant> granted = g -> g.privilege().equals(privilege) && grantees.contains(g.grantee());
            boolean table = t.grants().stream().anyMatch(g -> g.column().isEmpty() && granted.test(g));
            List<Column> cols = privilege.equals("SELECT") ? t.columns() : writable;
            boolean allColumns = !cols.isEmpty() && cols.stream().allMatch(col -> t.grants().stream()
                    .anyMatch(g -> g.column().orElse("").equals(col.name()) && granted.test(g)));
            String sql = statement(t, privilege, cols);
            if (sql == null) {
                continue;
            }
            compare(role, object(named) + " " + privilege + " on " + t.datasetName(), sql, table || allColumns, privilege, wrong, script);
            if (columnGrants && List.of("SELECT", "INSERT", "UPDATE").contains(privilege)) {
                for (Column col : cols) {
                    boolean colGranted = table || t.grants().stream().anyMatch(g -> g.column().orElse("").equals(col.name()) && granted.test(g));
                    compare(role, object(named) + " " + privilege + " (" + col.name() + ") on " + t.datasetName(),
                            statement(t, privilege, List.of(col)), colGranted, privilege, wrong, script);
                }
            }
        }
        if (wrong.isEmpty()) {
            return Verdict.pass();
        }
        return Verdict.fail(String.join("; ", wrong), (named == null ? "CREATE ROLE " + role + " NOLOGIN;\n" : "") + script);
    }

    private void compare(String role, String what, @org.jspecify.annotations.Nullable String sql, boolean expected, String privilege,
                         List<String> wrong, StringBuilder script) throws SQLException {
        if (sql == null) {
            return;
        }
        Attempt a = b.attemptAs(role, sql);
        boolean denied = "42501".equals(a.sqlState());
        if (!a.ok() && !denied && !privilege.equals("TRUNCATE")) {
            return; // another error: the privilege check is not what spoke
        }
        if (denied == expected) {
            wrong.add(what + (expected ? " is granted but was refused (" + a.message() + ")" : " is not granted but was allowed"));
            script.append("SET LOCAL ROLE ").append(id(role)).append(";\n").append(sql).append(";  -- ")
                    .append(expected ? "granted, refused" : "not granted, allowed").append("\nRESET ROLE;\n");
        }
    }

    private static @org.jspecify.annotations.Nullable String statement(Table t, String privilege, List<Column> cols) {
        if (cols.isEmpty() && !privilege.equals("DELETE") && !privilege.equals("TRUNCATE")) {
            return null;
        }
        List<String> names = cols.stream().map(col -> id(col.name())).toList();
        List<String> nulls = cols.stream().map(col -> "NULL::" + col.type().formatted()).toList();
        return switch (privilege) {
            case "SELECT" -> "SELECT " + String.join(", ", names) + " FROM " + q(t) + " WHERE false";
            case "INSERT" -> "INSERT INTO " + q(t) + " (" + String.join(", ", names) + ") SELECT " + String.join(", ", nulls) + " WHERE false";
            case "UPDATE" -> "UPDATE " + q(t) + " SET " + String.join(", ", java.util.stream.IntStream.range(0, cols.size())
                    .mapToObj(i -> names.get(i) + " = " + nulls.get(i)).toList()) + " WHERE false";
            case "DELETE" -> "DELETE FROM " + q(t) + " WHERE false";
            default -> "TRUNCATE " + q(t);
        };
    }

    private static String object(@org.jspecify.annotations.Nullable String role) {
        return role == null ? "a role with PUBLIC's privileges only" : role;
    }
}

package dev.pgprop.generators.internal.check;

import static dev.pgprop.generators.internal.check.Behaviours.lit;
import static dev.pgprop.generators.internal.check.Behaviours.q;

import dev.pgprop.dsl.schema.Grant;
import dev.pgprop.dsl.schema.Policy;
import dev.pgprop.dsl.schema.Table;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles the behavioural checks act as: those the declared schema names (grantees, policy
 * roles) and Supabase's API roles, when they exist, are no superusers and the check's user may
 * {@code SET ROLE} to them; plus, for a superuser, a role created in the rolled-back transaction
 * that stands for PUBLIC (a role with no grant and no policy of its own).
 */
final class Roles {
    static final List<String> SUPABASE = List.of("anon", "authenticated", "service_role");

    private final Behaviours b;
    private final List<String> names;
    private final Map<String, Set<String>> grantees = new HashMap<>();
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, Boolean> bypass = new HashMap<>();

    private Roles(Behaviours b, List<String> names) {
        this.b = b;
        this.names = List.copyOf(names);
    }

    static Roles read(Behaviours b) throws SQLException {
        Set<String> named = new TreeSet<>(SUPABASE);
        for (Table t : b.schema.tables()) {
            t.grants().stream().map(Grant::grantee).forEach(named::add);
            t.policies().stream().map(Policy::roles).forEach(named::addAll);
        }
        named.remove("public");
        List<String> usable = b.strings("SELECT rolname FROM pg_roles WHERE rolname = ANY (ARRAY["
                + String.join(", ", named.stream().map(Behaviours::lit).toList()) + "]::text[]) AND NOT rolsuper"
                + " AND pg_has_role(current_user, oid, 'MEMBER') ORDER BY rolname");
        return new Roles(b, usable);
    }

    List<String> names() {
        return names;
    }

    /** A superuser can create the stand-in for PUBLIC. */
    boolean canCreate() {
        return b.superuser;
    }

    /** Creates, in the open transaction, a role with no grant and no membership: it has PUBLIC's privileges only. */
    String createPublicStandIn() throws SQLException {
        String name = b.scalar("SELECT 'pgprop_public_' || pg_backend_pid()");
        b.exec("CREATE ROLE " + name + " NOLOGIN");
        return name;
    }

    /** PUBLIC, the role and every role whose privileges it inherits: the grantees whose grants it has. */
    Set<String> grantees(String role) throws SQLException {
        Set<String> known = grantees.get(role);
        if (known == null) {
            known = new LinkedHashSet<>(List.of("public"));
            known.addAll(b.strings("SELECT rolname FROM pg_roles WHERE pg_has_role(" + lit(role) + ", oid, 'USAGE')"));
            grantees.put(role, known);
        }
        return known;
    }

    /** The role and every role it is a member of: the roles a policy {@code TO r} applies to it through. */
    Set<String> memberOf(String role) throws SQLException {
        Set<String> known = members.get(role);
        if (known == null) {
            known = new LinkedHashSet<>(List.of("public"));
            known.addAll(b.strings("SELECT rolname FROM pg_roles WHERE pg_has_role(" + lit(role) + ", oid, 'MEMBER')"));
            members.put(role, known);
        }
        return known;
    }

    boolean bypassesRls(String role) throws SQLException {
        Boolean known = bypass.get(role);
        if (known == null) {
            known = "true".equals(b.scalar("SELECT rolbypassrls::text FROM pg_roles WHERE rolname = " + lit(role)));
            bypass.put(role, known);
        }
        return known;
    }

    /** The role owns the table (or inherits from its owner): it may do everything. */
    boolean owns(String role, Table t) throws SQLException {
        return "true".equals(b.scalar("SELECT pg_has_role(" + lit(role) + ", c.relowner, 'USAGE')::text FROM pg_class c WHERE c.oid = "
                + lit(q(t)) + "::regclass"));
    }
}

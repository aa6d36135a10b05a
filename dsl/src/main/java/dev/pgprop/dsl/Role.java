package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Escape;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;

/**
 * A database role with request claims, the way Supabase runs API requests: {@code SET LOCAL ROLE}
 * plus one {@code request.jwt.claim.<name>} setting per claim (and {@code request.jwt.claims} with
 * all of them as a JSON object), local to the transaction. Immutable: every {@code withX} returns a
 * new role and checks its argument.
 *
 * <pre>{@code
 * Role alice = Role.named("authenticated").withClaim("sub", aliceId);
 * db.given(data)
 *   .whenRolledBackAs(alice, tx -> tx.query("select * from payments"))
 *   .then(Invariants.roleSees(alice, "select id from payments",
 *                             "select id from payments where owner_id = '" + aliceId + "'"));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Role {
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
    private static final Pattern CLAIM_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;
    private final Map<String, String> claims;

    private Role(String name, Map<String, String> claims) {
        this.name = name;
        this.claims = Map.copyOf(claims);
    }

    /** The role {@code name}, without claims. */
    public static Role named(String name) {
        Objects.requireNonNull(name, "name");
        if (!ROLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("role name '" + name + "' is not a plain identifier; give a name like"
                    + " \"authenticated\" (letters, digits, _ and $, starting with a letter or _)");
        }
        return new Role(name, Map.of());
    }

    /**
     * The same role with one more claim: {@code request.jwt.claim.<claim>} is set to {@code value}'s
     * text ({@code withClaim("sub", uuid)} is what {@code auth.uid()} reads).
     */
    public Role withClaim(String claim, Object value) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(value, "value of claim " + claim);
        if (!CLAIM_NAME.matcher(claim).matches()) {
            throw new IllegalArgumentException("claim name '" + claim + "' is not lower-case letters, digits and _;"
                    + " give a name like \"sub\" or \"role\"");
        }
        Map<String, String> m = new LinkedHashMap<>(claims);
        m.put(claim, value.toString());
        return new Role(name, m);
    }

    /** The role's name. */
    public String name() {
        return name;
    }

    /** The claims, by name. */
    public Map<String, String> claims() {
        return claims;
    }

    /**
     * Switches the handle's current transaction to this role with its claims ({@code SET LOCAL}):
     * the transaction's end, or a rollback to an earlier savepoint, switches back.
     */
    public void applyLocally(Handle handle) {
        handle.execute("SET LOCAL ROLE " + SqlLiterals.identifier(name));
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT set_config('request.jwt.claims', ?, true)");
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> c : new TreeMap<>(claims).entrySet()) {
            sql.append(", set_config(?, ?, true)");
            args.add("request.jwt.claim." + c.getKey());
            args.add(c.getValue());
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(Escape.json(c.getKey())).append(':').append(Escape.json(c.getValue()));
        }
        args.add(0, json.append('}').toString());
        handle.select(sql.toString(), args.toArray()).mapTo(String.class).list();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Role r && r.name.equals(name) && r.claims.equals(claims);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, claims);
    }

    @Override
    public String toString() {
        return claims.isEmpty() ? name : name + new TreeMap<>(claims);
    }
}

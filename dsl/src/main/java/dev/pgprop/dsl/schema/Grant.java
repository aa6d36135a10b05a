package dev.pgprop.dsl.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * A privilege on a table (or on one of its columns) granted to a role, as the table's ACL
 * declares it ({@code aclexplode} of {@code relacl}/{@code attacl}; what {@code
 * information_schema.role_table_grants} and {@code column_privileges} list). The owner's own
 * privileges are left out.
 *
 * <pre>{@code
 * boolean anonReads = table.grants().stream()
 *         .anyMatch(g -> g.grantee().equals("anon") && g.privilege().equals("SELECT") && g.column().isEmpty());
 * }</pre>
 *
 * @param grantee a role name, or {@code public}
 * @param privilege {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code TRUNCATE},
 *     {@code REFERENCES} or {@code TRIGGER}
 * @param column the column of a column grant, empty for a table grant
 */
public record Grant(String grantee, String privilege, Optional<String> column, boolean grantable) {
    public Grant {
        Objects.requireNonNull(grantee, "grantee");
        Objects.requireNonNull(privilege, "privilege");
        Objects.requireNonNull(column, "column");
    }
}

package dev.pgprop.generators.check;

import dev.pgprop.generators.ConstraintKind;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link ConstraintCatalogue}: a constraint as the catalog declares it (or a NOT
 * NULL column, a domain's CHECK or NOT NULL on a column, an enum column), and what PostgreSQL
 * raises when one row breaks it.
 *
 * <pre>{@code
 * CatalogueEntry e = catalogue.entry("rental_returned_after_rented");
 * e.kind();       // CHECK
 * e.sqlState();   // 23514
 * }</pre>
 *
 * @param name the constraint's name; {@code table.column NOT NULL} for a NOT NULL column;
 *     {@code table.column DOMAIN constraint} for a domain's CHECK and {@code table.column DOMAIN
 *     NOT NULL} for its NOT NULL; {@code table.column ENUM type} for an enum column
 * @param kind the kind of constraint
 * @param table the table, as a {@link dev.pgprop.dsl.Dataset} names it
 * @param constraint the constraint's name (a domain's constraint for DOMAIN_CHECK); null for NOT
 *     NULL, DOMAIN_NOT_NULL and ENUM
 * @param column the column, for the kinds a column carries (NOT NULL, DOMAIN_*, ENUM)
 * @param datatype the domain or enum type a DOMAIN_* or ENUM entry is about
 * @param sqlState the SQLSTATE PostgreSQL raises for a violation
 * @param unreachable why no INSERT can break it alone, when none can (an identity ALWAYS column,
 *     a generated column); otherwise null
 */
public record CatalogueEntry(String name, ConstraintKind kind, String table, @Nullable String constraint,
                             @Nullable String column, @Nullable String datatype, String sqlState,
                             @Nullable String unreachable) {
    public CatalogueEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(sqlState, "sqlState");
    }

    /** Why this entry cannot be drawn alone, when it cannot. */
    public Optional<String> unreachableReason() {
        return Optional.ofNullable(unreachable);
    }

    @Override
    public String toString() {
        return name + " (" + kind + " on " + table + ", SQLSTATE " + sqlState + ")";
    }
}

package dev.pgprop.generators;

import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The kinds of constraint the invalid-row catalogue covers, with the SQLSTATE PostgreSQL raises
 * for a violation and the {@code pg_constraint.contype} they are catalogued under.
 *
 * <pre>{@code
 * assertThat(error.getSQLState()).isEqualTo(ConstraintKind.FOREIGN_KEY.sqlState());   // 23503
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ConstraintKind {
    CHECK("23514", "c"),
    FOREIGN_KEY("23503", "f"),
    UNIQUE("23505", "u"),
    PRIMARY_KEY("23505", "p"),
    /** A NOT NULL column; PostgreSQL 15 names no constraint for it, only the table and column. */
    NOT_NULL("23502", null),
    /** An EXCLUDE constraint (exclusion_violation). */
    EXCLUSION("23P01", "x"),
    /** A domain's CHECK, on a column of that domain; PostgreSQL names the domain's constraint. */
    DOMAIN_CHECK("23514", null),
    /** A domain's NOT NULL, on a column of that domain; PostgreSQL names the domain, not the column. */
    DOMAIN_NOT_NULL("23502", null),
    /** An enum column given a value that is not one of its labels (invalid_text_representation). */
    ENUM("22P02", null);

    private final String sqlState;
    private final @Nullable String contype;

    ConstraintKind(String sqlState, @Nullable String contype) {
        this.sqlState = sqlState;
        this.contype = contype;
    }

    /**
     * The SQLSTATE of a violation: check_violation, foreign_key_violation, unique_violation,
     * not_null_violation, exclusion_violation or invalid_text_representation.
     */
    public String sqlState() {
        return sqlState;
    }

    /**
     * {@code pg_constraint.contype} of a table constraint; empty for NOT NULL (which PostgreSQL 15
     * keeps in {@code pg_attribute}) and for what a column's type enforces (domains, enums).
     */
    public Optional<String> contype() {
        return Optional.ofNullable(contype);
    }
}

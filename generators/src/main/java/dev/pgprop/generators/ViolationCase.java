package dev.pgprop.generators;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the {@link InvalidRowCatalogue}: a constraint (or a NOT NULL column) of the
 * reference schema, the SQLSTATE PostgreSQL raises when it is broken, and an arbitrary of rows
 * that break it and no other constraint.
 *
 * <p>One exception to "no other": a constraint implied by others cannot be broken alone. Its
 * entry lists the others in {@link #alsoBroken()}, and {@link #raisedConstraint()} names the one
 * PostgreSQL reports (it checks CHECK constraints in name order). In the reference schema that is
 * {@code inventory_on_hand_nonneg}: {@code 0 <= allocated <= on_hand} already implies it, so a
 * negative {@code on_hand} also breaks {@code inventory_not_oversold}, which is reported.
 *
 * <pre>{@code
 * for (ViolationCase c : ReferenceArbitraries.invalidRows(8).entries()) {
 *     InvalidRow bad = c.rows().sample();
 *     // load bad.setup(), insert bad.row() into bad.table(): expect c.sqlState() and c.raisedConstraint()
 * }
 * }</pre>
 *
 * @param name the constraint name, or {@code table.column NOT NULL}
 * @param kind what kind of constraint it is
 * @param table the table the constraint is on
 * @param constraint the constraint name; null for NOT NULL
 * @param column the column; set for NOT NULL only
 * @param sqlState the SQLSTATE of the violation
 * @param alsoBroken constraints the rows unavoidably break as well (usually none)
 * @param rows setup and offending row
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ViolationCase(
        String name,
        ConstraintKind kind,
        String table,
        @Nullable String constraint,
        @Nullable String column,
        String sqlState,
        List<String> alsoBroken,
        Arbitrary<InvalidRow> rows) {
    public ViolationCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(sqlState, "sqlState");
        Objects.requireNonNull(rows, "rows");
        alsoBroken = List.copyOf(alsoBroken);
        if ((kind == ConstraintKind.NOT_NULL) != (constraint == null) || (kind == ConstraintKind.NOT_NULL) != (column != null)) {
            throw new IllegalArgumentException("entry " + name + ": a NOT NULL entry has a column and no constraint name,"
                    + " every other entry a constraint name and no column");
        }
    }

    /** An entry for a named constraint. */
    public static ViolationCase forConstraint(ConstraintKind kind, String table, String constraint, Arbitrary<InvalidRow> rows) {
        return new ViolationCase(constraint, kind, table, constraint, null, kind.sqlState(), List.of(), rows);
    }

    /** An entry for a NOT NULL column. */
    public static ViolationCase forNotNull(String table, String column, Arbitrary<InvalidRow> rows) {
        return new ViolationCase(table + "." + column + " NOT NULL", ConstraintKind.NOT_NULL, table, null, column,
                ConstraintKind.NOT_NULL.sqlState(), List.of(), rows);
    }

    /** This entry, noting constraints its rows unavoidably break too. */
    public ViolationCase withAlsoBroken(String... constraints) {
        return new ViolationCase(name, kind, table, constraint, column, sqlState, List.of(constraints), rows);
    }

    /**
     * The constraint PostgreSQL names in the error: {@link #constraint()} unless other CHECK
     * constraints are broken too, then the first of all of them in name order. Empty for NOT NULL.
     */
    public Optional<String> raisedConstraint() {
        if (constraint == null) {
            return Optional.empty();
        }
        String first = constraint;
        for (String other : alsoBroken) {
            if (other.compareTo(first) < 0) {
                first = other;
            }
        }
        return Optional.of(first);
    }

    @Override
    public String toString() {
        return name + " (" + kind + ", SQLSTATE " + sqlState + (alsoBroken.isEmpty() ? "" : ", also breaks " + alsoBroken) + ")";
    }
}

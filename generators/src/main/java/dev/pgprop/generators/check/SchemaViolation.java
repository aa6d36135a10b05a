package dev.pgprop.generators.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A valid dataset and one change to it that breaks one catalogue entry: a row changed in place,
 * or one row added (a duplicate key, an overlapping range). Loading {@link #invalid()} must fail
 * with {@link #sqlState()} naming {@link #raisedConstraint()} (or {@link #column()} for NOT
 * NULL); with that constraint (and {@link #alsoBroken()}) dropped it loads.
 *
 * <pre>{@code
 * SchemaViolation v = catalogue.violate(entry, validDataset, connection).orElseThrow();
 * System.out.println(v.change());        // film row 1: rental_rate := -1
 * System.out.println(v.invalid().toSql());
 * }</pre>
 *
 * @param entry the catalogue entry broken
 * @param valid the valid dataset the change starts from (rows the change made dangle removed)
 * @param invalid the dataset with the change applied
 * @param table the table of the changed or added row
 * @param row the changed or added row
 * @param change the change in words
 * @param sqlState the SQLSTATE PostgreSQL raises
 * @param raisedConstraint the constraint PostgreSQL names: the entry's own, or the one it checks
 *     first when the change unavoidably breaks others too; null when it names none (NOT NULL, enums)
 * @param raisedColumn the column PostgreSQL names for a NOT NULL violation
 * @param raisedDatatype the domain or enum type PostgreSQL names (domain NOT NULL, enum input)
 * @param alsoBroken the other constraints the change unavoidably breaks (usually none)
 * @param note how the entry relates to others, when it does (implied by another constraint)
 */
public record SchemaViolation(CatalogueEntry entry, Dataset valid, Dataset invalid, String table, Row row, String change,
                              String sqlState, @Nullable String raisedConstraint, @Nullable String raisedColumn,
                              @Nullable String raisedDatatype, List<String> alsoBroken, String note) {
    public SchemaViolation {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(valid, "valid");
        Objects.requireNonNull(invalid, "invalid");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(sqlState, "sqlState");
        alsoBroken = List.copyOf(alsoBroken);
        Objects.requireNonNull(note, "note");
    }

    /** The constraint PostgreSQL names, when it names one. */
    public Optional<String> raised() {
        return Optional.ofNullable(raisedConstraint);
    }

    /** What PostgreSQL is expected to say, in words: {@code 23514 rental_returned_after_rented}. */
    public String expected() {
        return sqlState + (raisedConstraint != null ? " " + raisedConstraint : "")
                + (raisedColumn != null ? " column " + raisedColumn : "") + (raisedDatatype != null ? " type " + raisedDatatype : "");
    }

    /** The invalid dataset as runnable SQL, the change in a comment above it. */
    public String toSql() {
        return "-- " + entry.name() + ": " + change + "\n" + invalid.toSql();
    }
}

package dev.pgprop.generators;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Rows to load first ({@code setup}, valid), and one row whose insert into {@code table} breaks
 * a constraint. Drawn from a {@link ViolationCase}.
 *
 * <pre>{@code
 * InvalidRow bad = entry.rows().sample();
 * handle.createScript(bad.setup().toSql()).execute();
 * assertThatThrownBy(() -> handle.execute(bad.insertSql()))
 *         .hasMessageContaining(entry.raisedConstraint().orElse(entry.column()));
 * }</pre>
 *
 * @param setup valid rows the offending row needs (parents, or the row it duplicates)
 * @param table the table the offending row goes into
 * @param row the offending row
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record InvalidRow(Dataset setup, String table, Row row) {
    public InvalidRow {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
    }

    /** The offending row as one INSERT statement. */
    public String insertSql() {
        return Dataset.of(table, List.of(row)).toSql().strip();
    }

    /** The setup and the offending insert, runnable as one script. */
    public String toSql() {
        return setup.toSql() + insertSql() + "\n";
    }
}

package dev.pgprop.dsl;

import org.jspecify.annotations.Nullable;

/**
 * A dataset did not load. Names the table and the row that failed, with the classified error;
 * nothing of the dataset is left behind.
 *
 * <pre>{@code
 * db.given(Dataset.of("inventory", List.of(Row.of("sku", "bad", "on_hand", 1)))).run();
 * // -> DatasetLoadException: row 1 of inventory {sku=bad, on_hand=1} was refused: CHECK_VIOLATION ...
 * }</pre>
 */
public class DatasetLoadException extends ScenarioException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final int rowIndex;
    private final transient Row row;

    public DatasetLoadException(String table, int rowIndex, Row row, @Nullable PgError error, Throwable cause) {
        super("row " + (rowIndex + 1) + " of " + table + " " + row + " was refused: "
                + (error == null ? cause.toString() : error.toString())
                + ". Nothing of the dataset was loaded; fix the generator or the row.", error, cause);
        this.table = table;
        this.rowIndex = rowIndex;
        this.row = row;
    }

    public String table() {
        return table;
    }

    /** 0-based index of the failing row in its table. */
    public int rowIndex() {
        return rowIndex;
    }

    public Row row() {
        return row;
    }
}

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
                + ". Nothing of the dataset was loaded; " + advice(error), error, cause);
        this.table = table;
        this.rowIndex = rowIndex;
        this.row = row;
    }

    private static final java.util.regex.Pattern DIMENSIONS =
            java.util.regex.Pattern.compile("expected (\\d+) dimensions, not (\\d+)");

    /** What to do: for a vector of the wrong dimension (pgvector's 22000), both ways to agree. */
    private static String advice(@Nullable PgError error) {
        if (error != null) {
            java.util.regex.Matcher m = DIMENSIONS.matcher(error.message());
            if (m.find()) {
                return "the vector has " + m.group(2) + " dimensions but the column has " + m.group(1)
                        + " (the schema's embedding_dim). Draw vectors of the schema's dimension (VectorSpec.of(" + m.group(1)
                        + ")), or migrate the schema for yours with -Dpgprop.placeholders.embedding_dim=" + m.group(2) + ".";
            }
        }
        return "fix the generator or the row.";
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

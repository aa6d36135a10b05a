package dev.pgprop.dsl;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
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
@API(status = API.Status.STABLE, since = "0.1")
public class DatasetLoadException extends ScenarioException {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final int rowIndex;
    private final transient Row row;

    public DatasetLoadException(String table, int rowIndex, Row row, @Nullable PgError error, Throwable cause) {
        this(table, rowIndex, row, error, cause, Map.of());
    }

    /**
     * As above; {@code placeholders} are the migration set's, so that the advice can name the one
     * that sets a refused value's size.
     */
    public DatasetLoadException(String table, int rowIndex, Row row, @Nullable PgError error, Throwable cause,
                                Map<String, String> placeholders) {
        super("row " + (rowIndex + 1) + " of " + table + " " + row + " was refused: "
                + (error == null ? cause.toString() : error.toString())
                + ". Nothing of the dataset was loaded; " + advice(error, placeholders), error, cause);
        this.table = table;
        this.rowIndex = rowIndex;
        this.row = row;
    }

    private static final java.util.regex.Pattern DIMENSIONS =
            java.util.regex.Pattern.compile("expected (\\d+) dimensions, not (\\d+)");

    /**
     * What to do: for a vector of the wrong dimension (pgvector's 22000), both ways to agree,
     * naming the migration placeholders whose value is the column's dimension.
     */
    private static String advice(@Nullable PgError error, Map<String, String> placeholders) {
        if (error != null) {
            java.util.regex.Matcher m = DIMENSIONS.matcher(error.message());
            if (m.find()) {
                String column = m.group(1);
                String vector = m.group(2);
                List<String> names = placeholders.entrySet().stream().filter(e -> column.equals(e.getValue().strip()))
                        .map(Map.Entry::getKey).sorted().toList();
                String migrate = names.isEmpty() ? "or migrate the schema for " + vector + " dimensions"
                        : "or migrate the schema for yours with " + String.join(" or ", names.stream()
                                .map(n -> "-Dpgprop.placeholders." + n + "=" + vector).toList());
                return "the vector has " + vector + " dimensions but the column has " + column
                        + (names.isEmpty() ? "" : " (the schema's " + String.join(", ", names) + ")")
                        + ". Draw vectors of the schema's dimension (" + column + "), " + migrate + ".";
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

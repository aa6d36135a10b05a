package dev.pgprop.dsl;

import java.util.List;
import org.apiguardian.api.API;

/**
 * One broken invariant: its name, what is wrong, and the rows that show it (the first few).
 *
 * <pre>{@code
 * Violation v = new Violation("inventory never oversold", "2 rows have allocated > on_hand", rows);
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Violation(String invariant, String message, List<Row> rows) {
    public Violation {
        rows = List.copyOf(rows);
    }
}

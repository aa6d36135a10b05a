package dev.pgprop.dsl;

/**
 * A property parameter that prints itself as runnable SQL in a failure report, next to the
 * minimal dataset. Implement it on a sample type that is not a {@link Dataset} (a vector
 * workload, a list of operations) so a failure shows what to run rather than its
 * {@code toString()}.
 *
 * <pre>{@code
 * record Queries(List<String> skus) implements SqlPrintable {
 *     public String toSql() {
 *         return "CREATE TEMP TABLE queries (sku text);\n"
 *                 + "INSERT INTO queries VALUES " + skus.stream().map(s -> "('" + s.replace("'", "''") + "')")
 *                 .collect(Collectors.joining(", ")) + ";\n";
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SqlPrintable {
    /** Statements that recreate this value in a database, each ending with a semicolon. */
    String toSql();
}

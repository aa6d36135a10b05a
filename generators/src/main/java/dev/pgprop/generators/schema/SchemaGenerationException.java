package dev.pgprop.generators.schema;

import dev.pgprop.dsl.PgPropException;

/**
 * pgprop cannot draw rows for a table: a column type it has no generator for, or a CHECK that no
 * draw satisfied. The message names the table, the column or constraint, and how to supply an
 * override.
 *
 * <pre>{@code
 * try {
 *     SchemaArbitraries.from(schema).sample();
 * } catch (SchemaGenerationException e) {
 *     System.err.println(e.table() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public class SchemaGenerationException extends PgPropException {
    private static final long serialVersionUID = 1L;
    private final String table;

    public SchemaGenerationException(String table, String message) {
        super(message);
        this.table = table;
    }

    /** The table pgprop could not draw for ({@code schema.table}). */
    public String table() {
        return table;
    }
}

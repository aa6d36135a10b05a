package dev.pgprop.generators.schema;

import dev.pgprop.dsl.Row;
import org.jspecify.annotations.Nullable;

/**
 * A column that follows a Java rule the catalog cannot know: its value computed from the row's
 * other values (drawn columns and foreign keys are already set).
 *
 * <pre>{@code
 * SchemaArbitraries.from(db).withRule("rental", "return_date",
 *     row -> ((LocalDateTime) row.get("rental_date")).plusDays(3));
 * }</pre>
 */
@FunctionalInterface
public interface ColumnRule {
    @Nullable Object value(Row row);
}

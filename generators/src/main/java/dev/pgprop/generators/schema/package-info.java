/**
 * Datasets for any schema, drawn from its catalog alone: start at {@link
 * dev.pgprop.generators.schema.SchemaArbitraries}.
 *
 * <pre>{@code
 * @Provide
 * Arbitrary<Dataset> rentals() {
 *     return SchemaArbitraries.fromConfig().tables("rental").withRows("rental", 1, 5);
 * }
 * }</pre>
 */
@NullMarked
package dev.pgprop.generators.schema;

import org.jspecify.annotations.NullMarked;

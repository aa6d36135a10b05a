/** How {@link dev.pgprop.generators.schema.SchemaArbitraries} draws: values per type, CHECK parsing, row resolution. */
@NullMarked
package dev.pgprop.generators.internal.schema;

import org.jspecify.annotations.NullMarked;

/** Reads {@code pg_catalog} into the {@link dev.pgprop.dsl.schema} model. */
@NullMarked
package dev.pgprop.dsl.internal.schema;

import org.jspecify.annotations.NullMarked;

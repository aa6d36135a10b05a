/**
 * pgprop: property-based testing of PostgreSQL schemas with jqwik and JDBI.
 *
 * <p>Start at {@link dev.pgprop.dsl.PgProp}. Everything under {@code dev.pgprop.dsl.internal} is
 * implementation and may change without notice.
 */
@NullMarked
package dev.pgprop.dsl;

import org.jspecify.annotations.NullMarked;

/**
 * jqwik arbitraries for the reference schema: valid rows, datasets that shrink to minimal cases,
 * vectors, and a catalogue of rows that break one constraint each.
 *
 * <p>Start at {@link dev.pgprop.generators.ReferenceArbitraries}. Everything under {@code
 * dev.pgprop.generators.internal} is implementation and may change without notice.
 */
@NullMarked
package dev.pgprop.generators;

import org.jspecify.annotations.NullMarked;

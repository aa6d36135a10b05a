/**
 * Vector search: exact answers ({@link dev.pgprop.dsl.vector.ExactSearch}), recall against them ({@link dev.pgprop.dsl.vector.VectorRecall}) and its invariant ({@link dev.pgprop.dsl.vector.VectorInvariants}).
 */
@NullMarked
package dev.pgprop.dsl.vector;

import org.jspecify.annotations.NullMarked;

/** Implementation of the mutation analysis: operators, equivalence rules, the runner and its output. */
@NullMarked
package dev.pgprop.generators.internal.mutate;

import org.jspecify.annotations.NullMarked;

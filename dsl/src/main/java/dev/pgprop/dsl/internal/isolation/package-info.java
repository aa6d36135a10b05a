/** The isolation-spec reader, the tester-compatible runner, its output and the permutation shrinker. */
@NullMarked
package dev.pgprop.dsl.internal.isolation;

import org.jspecify.annotations.NullMarked;

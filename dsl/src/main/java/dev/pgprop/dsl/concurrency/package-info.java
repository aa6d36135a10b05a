/**
 * Concurrency: PostgreSQL isolation specs ({@link dev.pgprop.dsl.concurrency.IsolationSpec}) run
 * as properties, with oracles for random permutations.
 */
@NullMarked
package dev.pgprop.dsl.concurrency;

import org.jspecify.annotations.NullMarked;

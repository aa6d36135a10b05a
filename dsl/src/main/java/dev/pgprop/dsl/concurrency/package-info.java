/**
 * Concurrency beyond one scenario: the anomaly catalogue ({@link dev.pgprop.dsl.concurrency.Anomaly}),
 * PostgreSQL isolation specs run as properties ({@link dev.pgprop.dsl.concurrency.IsolationSpec}), and
 * checks of any interleaving you run ({@link dev.pgprop.dsl.concurrency.SerialEquivalence}, {@link
 * dev.pgprop.dsl.concurrency.HistoryInvariants}). A
 * scenario's own interleavings and retries ({@link dev.pgprop.dsl.Interleaving}, {@link dev.pgprop.dsl.Retry})
 * are core.
 */
@NullMarked
package dev.pgprop.dsl.concurrency;

import org.jspecify.annotations.NullMarked;

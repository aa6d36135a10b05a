/**
 * Concurrency: sessions run statement by statement ({@link dev.pgprop.dsl.concurrency.Interleaving}), what they did ({@link dev.pgprop.dsl.concurrency.InterleavingOutcome}), retries of transient errors ({@link dev.pgprop.dsl.concurrency.Retry}), the anomaly catalogue ({@link dev.pgprop.dsl.concurrency.Anomaly}), and PostgreSQL isolation specs run as properties ({@link dev.pgprop.dsl.concurrency.IsolationSpec}).
 */
@NullMarked
package dev.pgprop.dsl.concurrency;

import org.jspecify.annotations.NullMarked;

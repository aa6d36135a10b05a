/**
 * Suite II: transactions, isolation levels, deadlocks, retries, concurrent allocation, rollbacks
 * and two-phase commit, on the reference schema (and, for the anomaly catalogue, on a two-row
 * table of its own).
 */
@NullMarked
package dev.pgprop.properties.concurrency;

import org.jspecify.annotations.NullMarked;

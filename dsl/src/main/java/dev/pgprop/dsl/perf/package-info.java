/**
 * Performance: plan and latency invariants ({@link dev.pgprop.dsl.perf.PerformanceInvariants}), bulk-load measurements ({@link dev.pgprop.dsl.perf.BulkLoad}) and their statistics ({@link dev.pgprop.dsl.perf.Stats}).
 */
@NullMarked
package dev.pgprop.dsl.perf;

import org.jspecify.annotations.NullMarked;

/** Per-class databases, per-try isolation, loading, scenarios and invariant checks. */
@NullMarked
package dev.pgprop.dsl.internal.engine;

import org.jspecify.annotations.NullMarked;

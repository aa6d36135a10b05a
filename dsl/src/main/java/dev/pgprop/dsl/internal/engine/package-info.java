/** Per-class databases, per-try isolation, loading, scenarios and invariant checks. */
@API(status = API.Status.INTERNAL, since = "0.1")
@NullMarked
package dev.pgprop.dsl.internal.engine;

import org.apiguardian.api.API;
import org.jspecify.annotations.NullMarked;

/** Failure reports, the results file, and replay of a stored minimal sample. */
@API(status = API.Status.INTERNAL, since = "0.1")
@NullMarked
package dev.pgprop.dsl.internal.report;

import org.apiguardian.api.API;
import org.jspecify.annotations.NullMarked;

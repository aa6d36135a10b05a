/** Failure reports, the results file, and replay of a stored minimal sample. */
@NullMarked
package dev.pgprop.dsl.internal.report;

import org.jspecify.annotations.NullMarked;

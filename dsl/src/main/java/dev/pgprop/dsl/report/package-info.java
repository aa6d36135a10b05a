/**
 * Figures for pgprop's HTML report: a CSV and the charts it declares ({@link dev.pgprop.dsl.report.Figure}).
 */
@NullMarked
package dev.pgprop.dsl.report;

import org.jspecify.annotations.NullMarked;

/**
 * The invalid-row catalogue of any schema and the schema check: for every constraint a valid
 * dataset plus one change that breaks exactly that constraint, and a run that loads valid
 * datasets for every table and expects every catalogue entry to be refused as declared.
 *
 * <p>Start at {@link dev.pgprop.generators.check.SchemaCheck} ({@code ./pgprop check}) or
 * {@link dev.pgprop.generators.check.ConstraintCatalogue}.
 */
@NullMarked
package dev.pgprop.generators.check;

import org.jspecify.annotations.NullMarked;

/**
 * Mutation analysis of any schema: mutants derived from the catalog (one DDL change each), each
 * applied to a clone of the migrated database and judged by the schema check (or the user's
 * property classes); a mutant the tests do not tell apart from the original is a guarantee they
 * do not cover.
 *
 * <p>Start at {@link dev.pgprop.generators.mutate.MutationAnalysis} ({@code ./pgprop mutate}).
 */
@NullMarked
package dev.pgprop.generators.mutate;

import org.jspecify.annotations.NullMarked;

/**
 * The catalog of a migrated database as immutable data: {@link dev.pgprop.dsl.schema.Schema},
 * its {@link dev.pgprop.dsl.schema.Table}s, {@link dev.pgprop.dsl.schema.Column}s, {@link
 * dev.pgprop.dsl.schema.PgType}s and {@link dev.pgprop.dsl.schema.Constraint}s, read from {@code
 * pg_catalog}. It knows nothing of jqwik: generators, checks and reports are its clients.
 *
 * <pre>{@code
 * Schema schema = Schema.read(db, "public");
 * for (Table t : schema.tables()) {
 *     System.out.println(t.qualifiedName() + " " + t.columns().size() + " columns, " + t.constraints().size() + " constraints");
 * }
 * }</pre>
 */
@NullMarked
package dev.pgprop.dsl.schema;

import org.jspecify.annotations.NullMarked;

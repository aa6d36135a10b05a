package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * How each try gets a clean database state.
 *
 * <ul>
 *   <li>{@link #ROLLBACK}: the whole try runs in one transaction on one connection and is rolled
 *       back. The fastest; impossible for a scenario that commits or uses several connections.
 *   <li>{@link #DELETE}: the try commits for real; afterwards every table it touched is emptied
 *       (tables the migrations seeded are restored) and every sequence is reset.
 *   <li>{@link #TEMPLATE}: every try gets a fresh database cloned from the migrated template. The
 *       slowest and the most thorough (it also undoes DDL).
 *   <li>{@link #AUTO}: chosen per scenario by rule: {@code ROLLBACK} unless the scenario commits
 *       or uses several connections, then {@code DELETE}.
 * </ul>
 *
 * <pre>{@code
 * @PgProperties(isolation = Isolation.TEMPLATE)   // or -Dpgprop.isolation=template for every class
 * class SchemaChangeProperties { ... }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Isolation {
    AUTO,
    ROLLBACK,
    DELETE,
    TEMPLATE
}

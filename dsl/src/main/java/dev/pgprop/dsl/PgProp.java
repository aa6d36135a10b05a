package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import org.apiguardian.api.API;

/**
 * The entry point of pgprop.
 *
 * <p>The server comes from the first of these that applies (the log says which): {@code
 * PGPROP_JDBC_URL} / {@code -Dpgprop.jdbcUrl}; a Docker engine (Testcontainers, image {@code
 * pgvector/pgvector:pg17}); PostgreSQL binaries on this host (an ephemeral cluster). One server
 * per JVM; each test class gets its own database cloned from a migrated template.
 *
 * <pre>{@code
 * try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "InventoryTest")) {
 *     db.jdbi().useHandle(h -> h.execute("insert into inventory(sku, on_hand) values ('SKU-000001', 5)"));
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PgProp {
    private PgProp() {}

    /** The server of this JVM, provisioned on first use and stopped at JVM exit. */
    public static PgServer server() {
        return new PgServer(ServerRuntime.get());
    }
}

package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * A database of its own for one test class, cloned from a migrated template. Closing it drops it.
 *
 * <pre>{@code
 * try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "Demo")) {
 *     int n = db.jdbi().withHandle(h -> h.createQuery("select count(*) from inventory").mapTo(int.class).one());
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class TestDatabase implements AutoCloseable {
    private final ServerRuntime runtime;
    private final String name;
    private final MigrationSet migrations;
    private @Nullable Jdbi jdbi;
    private boolean closed;

    TestDatabase(ServerRuntime runtime, String name, MigrationSet migrations) {
        this.runtime = runtime;
        this.name = name;
        this.migrations = migrations;
    }

    /** The database's name on the server. */
    public String name() {
        return name;
    }

    /** The migration set this database was cloned from. */
    public MigrationSet migrations() {
        return migrations;
    }

    /** A JDBC URL for this database (no password in it: see {@link #password()}). */
    public String jdbcUrl() {
        return runtime.jdbcUrl(name);
    }

    public Optional<String> user() {
        return Optional.ofNullable(runtime.user());
    }

    public Optional<String> password() {
        return Optional.ofNullable(runtime.password());
    }

    /** A new JDBC connection; the caller closes it. */
    public Connection openConnection() {
        try {
            return runtime.connect(name);
        } catch (SQLException e) {
            throw new PgPropException("cannot connect to database " + name + ": " + e.getMessage(), e);
        }
    }

    /** A JDBI instance on this database, with the PostgreSQL plugin installed. */
    public synchronized Jdbi jdbi() {
        if (jdbi == null) {
            jdbi = dev.pgprop.dsl.internal.JdbiSetup.configure(Jdbi.create(this::openConnection));
        }
        return jdbi;
    }

    /** Keeps the database after close and JVM exit, for inspection after a failure. */
    public void keep() {
        closed = true;
        runtime.keepDatabase(name);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            runtime.dropDatabase(name);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + runtime.provider() + " PostgreSQL " + runtime.version() + "]";
    }
}

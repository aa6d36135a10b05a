package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The PostgreSQL server of this JVM and what pgprop knows of it.
 *
 * <pre>{@code
 * PgServer server = PgProp.server();
 * System.out.println(server.provider() + " " + server.version());   // "local 15.20"
 * try (TestDatabase db = server.createDatabase(MigrationSet.fromConfig(), "MyProperties")) { ... }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PgServer {
    private final ServerRuntime runtime;

    PgServer(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code external}, {@code docker} or {@code local}. */
    public String provider() {
        return runtime.provider();
    }

    /** What the server is, with any password masked. */
    public String description() {
        return runtime.description();
    }

    /** The server version, such as {@code 15.20}. */
    public String version() {
        return runtime.version();
    }

    /** {@code server_version_num}, such as {@code 150020}. */
    public int versionNum() {
        return runtime.versionNum();
    }

    /** The pgvector version the server offers, if any. */
    public Optional<String> pgvectorVersion() {
        return runtime.pgvectorVersion();
    }

    /** The server log pgprop keeps (local clusters: copied under {@code target/pgprop/server/} at exit). */
    public Optional<Path> logFile() {
        return runtime.logFile();
    }

    /**
     * A new database cloned from the migration set's template; the template is migrated on first
     * use, once per JVM. Close it to drop it.
     */
    public TestDatabase createDatabase(MigrationSet migrations, String label) {
        String name = runtime.createDatabase(migrations, label);
        return new TestDatabase(runtime, name, migrations);
    }
}

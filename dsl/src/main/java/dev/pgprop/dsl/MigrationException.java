package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * A migration set could not be applied to a fresh database. Carries the migration set so the
 * message can name its locations and placeholders.
 *
 * <pre>{@code
 * MigrationSet broken = MigrationSet.of("filesystem:/tmp/broken");
 * PgProp.server().createDatabase(broken, "demo"); // throws MigrationException naming the script
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class MigrationException extends PgPropException {
    private static final long serialVersionUID = 1L;
    private final transient MigrationSet migrationSet;

    public MigrationException(String message, MigrationSet migrationSet, Throwable cause) {
        super(message, cause);
        this.migrationSet = migrationSet;
    }

    /** The migration set that failed. */
    public MigrationSet migrationSet() {
        return migrationSet;
    }
}

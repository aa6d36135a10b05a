package dev.pgprop.dsl;

/**
 * A migration set could not be applied to a fresh database. Carries the migration set so the
 * message can name its locations and placeholders.
 *
 * <pre>{@code
 * MigrationSet broken = MigrationSet.of("filesystem:/tmp/broken");
 * PgProp.server().createDatabase(broken, "demo"); // throws MigrationException naming the script
 * }</pre>
 */
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

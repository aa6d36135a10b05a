package dev.pgprop.generators.schema;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of one test schema ({@code classpath:schemas/<name>}) and a connection that loads
 * datasets through the DSL's loader, each in a transaction that is rolled back after every
 * deferred constraint was checked.
 */
final class SchemaDb implements AutoCloseable {
    final TestDatabase db;
    private final Connection c;
    private final Catalog catalog;

    SchemaDb(String location, String label) {
        this(MigrationSet.of(location), label);
    }

    SchemaDb(MigrationSet migrations, String label) {
        db = PgProp.server().createDatabase(migrations, label);
        c = db.openConnection();
        catalog = Catalog.read(c);
    }

    static SchemaDb of(String schema) {
        return new SchemaDb("classpath:schemas/" + schema, schema);
    }

    /** Loads the dataset (throws DatasetLoadException naming the row), checks deferred keys, rolls back. */
    void load(Dataset d) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            Loader.load(c, catalog, d, true, java.util.Map.of());
            s.execute("SET CONSTRAINTS ALL IMMEDIATE");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    Connection connection() {
        return c;
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // dropped next
        }
        db.close();
    }
}

package dev.pgprop.generators;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.migrations.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A database of the reference schema (vectors of {@value #DIM} dimensions) for one test class,
 * and one connection on it. Every try runs in a transaction that is rolled back, so tries never
 * see each other's rows.
 */
final class ReferenceDb implements AutoCloseable {
    static final int DIM = 8;
    static final MigrationSet REFERENCE =
            MigrationSet.of(Migrations.LOCATION).withPlaceholders(Migrations.placeholders(DIM));

    private final TestDatabase db;
    private final Connection c;

    ReferenceDb(String label) {
        db = PgProp.server().createDatabase(REFERENCE, label);
        c = db.openConnection();
    }

    /** The outcome of a statement that was expected to fail. */
    record Failure(String sqlState, String constraint, String table, String column, String message) {}

    interface TxBody {
        void run(Connection c) throws Exception;
    }

    /** Runs the body in a transaction and rolls it back, whatever happens. */
    void inRollback(TxBody body) {
        try {
            c.setAutoCommit(false);
            try {
                body.run(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        if (sql.isBlank()) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Loads a dataset with its own INSERT statements. */
    static void load(Connection c, Dataset d) throws SQLException {
        execute(c, d.toSql());
    }

    /** Runs {@code sql}, which must fail; returns how. Uses a savepoint so the transaction goes on. */
    static Failure failure(Connection c, String sql) throws SQLException {
        var sp = c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (PSQLException e) {
            c.rollback(sp);
            ServerErrorMessage m = e.getServerErrorMessage();
            return new Failure(e.getSQLState(), m == null ? null : m.getConstraint(), m == null ? null : m.getTable(),
                    m == null ? null : m.getColumn(), e.getMessage());
        }
        c.releaseSavepoint(sp);
        return null;
    }

    static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    static long count(Connection c, String sql) throws SQLException {
        return ((Number) rows(c, sql).get(0).get(0)).longValue();
    }

    Connection connection() {
        return c;
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            // the database is dropped next
        } finally {
            db.close();
        }
    }
}

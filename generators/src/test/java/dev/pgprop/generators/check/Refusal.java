package dev.pgprop.generators.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Loads a dataset in a transaction that is rolled back and says how the server refused it, if it did. */
record Refusal(String sqlState, String constraint, String column, String datatype, String message) {
    static Refusal of(Connection c, Dataset d) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(Loader.sql(Catalog.read(c), d));
            s.execute("SET CONSTRAINTS ALL IMMEDIATE");
            return null;
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            return new Refusal(e.getSQLState(), m == null ? null : m.getConstraint(), m == null ? null : m.getColumn(),
                    m == null ? null : m.getDatatype(), e.getMessage());
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    boolean matches(SchemaViolation v) {
        return v.sqlState().equals(sqlState)
                && (v.raisedConstraint() == null || v.raisedConstraint().equals(constraint))
                && (v.raisedColumn() == null || v.raisedColumn().equals(column))
                && (v.raisedDatatype() == null || v.raisedDatatype().equals(datatype) || message.contains(v.raisedDatatype()));
    }

    @Override
    public String toString() {
        return sqlState + " " + constraint + (column != null ? " column " + column : "") + (datatype != null ? " type " + datatype : "")
                + " (" + message.lines().findFirst().orElse("") + ")";
    }
}

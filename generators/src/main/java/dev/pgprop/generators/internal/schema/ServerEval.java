package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.PgType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Asks the server whether an expression holds for one row: {@code SELECT (expr) FROM (SELECT
 * 'v'::type AS col, …) t}. Used for the CHECKs pgprop does not parse; one connection, opened on
 * first use.
 */
public final class ServerEval implements AutoCloseable {
    private final Supplier<Connection> connect;
    private @Nullable Connection connection;
    /** Answers by statement: shrinking asks about the same rows again and again. */
    private final Map<String, Boolean> answers = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 20_000;
        }
    };

    public ServerEval(Supplier<Connection> connect) {
        this.connect = connect;
    }

    /** True unless the expression is false for the row (NULL passes a CHECK); a cast that fails is false. */
    synchronized boolean holds(String expression, List<Column> columns, Map<String, @Nullable Object> row) {
        StringBuilder select = new StringBuilder();
        for (Column c : columns) {
            select.append(select.length() == 0 ? "" : ", ").append(literal(c.type(), row.get(c.name()))).append(" AS ")
                    .append(quote(c.name()));
        }
        String sql = "SELECT (" + expression + ") IS NOT FALSE FROM (SELECT " + (select.length() == 0 ? "1" : select) + ") t";
        Boolean known = answers.get(sql);
        if (known != null) {
            return known;
        }
        boolean answer = ask(sql);
        answers.put(sql, answer);
        return answer;
    }

    /** One round trip: the savepoint, the question and the release travel together. */
    private boolean ask(String sql) {
        try {
            Connection c = connection();
            try (Statement s = c.createStatement()) {
                try {
                    boolean results = s.execute("SAVEPOINT pgprop_eval;" + sql + ";RELEASE SAVEPOINT pgprop_eval");
                    while (!results && s.getUpdateCount() != -1) {
                        results = s.getMoreResults();
                    }
                    if (!results) {
                        throw new PgPropException("the server gave no answer to " + sql);
                    }
                    try (ResultSet rs = s.getResultSet()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                } catch (SQLException e) {
                    s.execute("ROLLBACK TO SAVEPOINT pgprop_eval");
                    return false; // a value the type or a domain refuses
                }
            }
        } catch (SQLException e) {
            throw new PgPropException("cannot evaluate a CHECK on the server (" + sql + "): " + e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connect.get();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    static String literal(PgType type, @Nullable Object v) {
        if (v == null) {
            return "NULL::" + type.formatted();
        }
        String text = Values.text(type, v);
        return "'" + text.replace("'", "''") + "'::" + type.formatted();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                // closing anyway
            }
            connection = null;
        }
    }
}

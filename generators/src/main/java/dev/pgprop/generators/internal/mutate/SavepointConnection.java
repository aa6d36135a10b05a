package dev.pgprop.generators.internal.mutate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * A connection inside a transaction that is never ended by its users: the mutant's DDL runs in it,
 * and the checks then see the mutant as if it were a database of its own. What they do as a
 * transaction of their own ({@code setAutoCommit(false)}, {@code rollback()}, {@code commit()},
 * {@code setAutoCommit(true)}) becomes a savepoint, a rollback to it, its release; a statement
 * they run in autocommit mode gets a savepoint of its own, so that its error undoes that
 * statement alone, as in autocommit. {@code close()} leaves the connection open: its owner rolls
 * the whole transaction back, and the mutant with it.
 */
final class SavepointConnection implements InvocationHandler {
    private static final String TX = "pgprop_mutant_tx";
    private static final String STATEMENT = "pgprop_mutant_statement";

    private final Connection raw;
    private boolean inner;

    private SavepointConnection(Connection raw) {
        this.raw = raw;
    }

    /** {@code raw}, whose transaction is open (autocommit off), as its users see it: in autocommit mode. */
    static Connection wrap(Connection raw) throws SQLException {
        if (raw.getAutoCommit()) {
            throw new IllegalStateException("the connection must be in a transaction (autocommit off)");
        }
        return (Connection) Proxy.newProxyInstance(SavepointConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new SavepointConnection(raw));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "getAutoCommit":
                return !inner;
            case "setAutoCommit":
                boolean on = (Boolean) args[0];
                if (!on && !inner) {
                    exec("SAVEPOINT " + TX);
                    inner = true;
                } else if (on && inner) {
                    exec("RELEASE SAVEPOINT " + TX);
                    inner = false;
                }
                return null;
            case "commit":
                if (!inner) {
                    throw new SQLException("Cannot commit when autoCommit is enabled.");
                }
                exec("RELEASE SAVEPOINT " + TX + "; SAVEPOINT " + TX);
                return null;
            case "rollback":
                if (arity == 0) {
                    if (!inner) {
                        throw new SQLException("Cannot rollback when autoCommit is enabled.");
                    }
                    exec("ROLLBACK TO SAVEPOINT " + TX);
                    return null;
                }
                break;
            case "close":
                return null;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "savepoints on " + raw;
            default:
                break;
        }
        Object out = call(raw, method, args);
        if (out instanceof Statement st) {
            Class<?> type = st instanceof CallableStatement ? CallableStatement.class
                    : st instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
            return Proxy.newProxyInstance(SavepointConnection.class.getClassLoader(), new Class<?>[] {type}, new Statements(proxy, st));
        }
        return out;
    }

    /** A statement of the wrapped connection: run in autocommit mode, each execution under a savepoint of its own. */
    private final class Statements implements InvocationHandler {
        private final Object connection;
        private final Statement st;

        Statements(Object connection, Statement st) {
            this.connection = connection;
            this.st = st;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
            switch (method.getName()) {
                case "getConnection":
                    return connection;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return st.toString();
                default:
                    break;
            }
            if (inner || !method.getName().startsWith("execute")) {
                return call(st, method, args);
            }
            exec("SAVEPOINT " + STATEMENT);
            Object out;
            try {
                out = call(st, method, args);
            } catch (SQLException e) {
                exec("ROLLBACK TO SAVEPOINT " + STATEMENT);
                throw e;
            }
            exec("RELEASE SAVEPOINT " + STATEMENT);
            return out;
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }

    private static @Nullable Object call(Object target, Method method, @Nullable Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

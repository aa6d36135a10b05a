package dev.pgprop.dsl.internal;

import com.pgvector.PGvector;
import dev.pgprop.dsl.Row;
import java.sql.Connection;
import java.sql.Types;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.postgres.PostgresPlugin;

/** One configuration for every Jdbi pgprop creates: PostgreSQL plugin, vectors, {@link Row}s. */
public final class JdbiSetup {
    private JdbiSetup() {}

    public static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new PostgresPlugin());
        // float[] binds as a pgvector vector (not as real[])
        jdbi.registerArgument(new AbstractArgumentFactory<float[]>(Types.OTHER) {
            @Override
            protected Argument build(float[] value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setObject(position, new PGvector(value));
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<PGvector>(Types.OTHER) {
            @Override
            protected Argument build(PGvector value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setObject(position, value);
            }
        });
        jdbi.registerColumnMapper(PGvector.class, (rs, column, ctx) -> {
            String s = rs.getString(column);
            return s == null ? null : new PGvector(s);
        });
        jdbi.registerRowMapper(Row.class, (rs, ctx) -> Rows.row(rs));
        // pgprop owns the transactions of the connections it wraps
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        return jdbi;
    }

    /** A handle on a connection pgprop owns: closing the handle leaves the connection open. */
    public static Handle wrap(Connection connection) {
        Jdbi jdbi = configure(Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection c) {
                // owned by pgprop
            }
        }));
        return jdbi.open();
    }
}

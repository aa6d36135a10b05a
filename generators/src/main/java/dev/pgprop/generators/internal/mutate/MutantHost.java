package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.generators.mutate.Mutant;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a worker makes its mutants, one at a time: {@link #apply} gives a connection to the mutant
 * (the migrated schema with the mutant's DDL), {@link #release} undoes it before the next one.
 *
 * <ul>
 *   <li>{@link #transactional}: one clone of the migrated template per worker. The mutant's DDL
 *       runs in a transaction that is rolled back afterwards (the checks' own transactions become
 *       savepoints in it, see {@link SavepointConnection}); the sequences are set back to where the
 *       clone had them, so that each mutant starts as a fresh clone would. After each rollback the
 *       clone's catalog and rows are compared with what they were: a mutant that left a trace (a
 *       {@code COMMIT} in its DDL, say) is reported by {@link #release} and the clone is replaced.
 *       DDL that cannot run in a transaction block gets a clone of its own.</li>
 *   <li>{@link #clones}: a clone of the template per mutant, dropped afterwards.</li>
 * </ul>
 */
abstract class MutantHost implements AutoCloseable {
    /** How mutants are isolated from each other. */
    enum Isolation { TRANSACTION, CLONE }

    final MigrationSet migrations;
    final Duration timeout;

    MutantHost(MigrationSet migrations, Duration timeout) {
        this.migrations = migrations;
        this.timeout = timeout;
    }

    static MutantHost of(Isolation isolation, MigrationSet migrations, Duration timeout) {
        return isolation == Isolation.CLONE ? new Clones(migrations, timeout) : new Transactional(migrations, timeout);
    }

    static MutantHost transactional(MigrationSet migrations, Duration timeout) {
        return new Transactional(migrations, timeout);
    }

    static MutantHost clones(MigrationSet migrations, Duration timeout) {
        return new Clones(migrations, timeout);
    }

    /** The mutant, its DDL applied and the statement timeout set. Its DDL's error is thrown, nothing kept. */
    abstract Connection apply(Mutant m) throws SQLException;

    /** Undoes the mutant applied last; what it left behind in the worker's database (then replaced), or null. */
    abstract @Nullable String release();

    @Override
    public abstract void close();

    /** Closes the connection (if any) and drops the database (if any), connections and all. */
    static void drop(@Nullable Connection c, @Nullable TestDatabase db) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            // the database is dropped next, connections and all
        }
        if (db != null) {
            db.close();
        }
    }

    /** A clone of the template per mutant. */
    static final class Clones extends MutantHost {
        private @Nullable TestDatabase db;
        private @Nullable Connection c;

        Clones(MigrationSet migrations, Duration timeout) {
            super(migrations, timeout);
        }

        @Override
        Connection apply(Mutant m) throws SQLException {
            db = PgProp.server().createDatabase(migrations, "Mutant");
            c = db.openConnection();
            try (Statement st = c.createStatement()) {
                st.execute(m.ddl());
                st.execute("SET statement_timeout = " + timeout.toMillis());
            } catch (SQLException e) {
                release();
                throw e;
            }
            return c;
        }

        @Override
        @Nullable String release() {
            drop(c, db);
            c = null;
            db = null;
            return null;
        }

        @Override
        public void close() {
            release();
        }
    }

    /** One clone per worker; each mutant in a transaction rolled back. */
    static final class Transactional extends MutantHost {
        /** Catalogs whose rows a mutant's DDL changes: their count and the sum of their rows' xmin change with any committed change. */
        private static final List<String> CATALOGS = List.of("pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index",
                "pg_policy", "pg_trigger", "pg_namespace", "pg_proc", "pg_type", "pg_rewrite", "pg_sequence", "pg_default_acl",
                "pg_enum", "pg_inherits", "pg_extension");

        private @Nullable TestDatabase db;
        private @Nullable Connection raw;
        private String resetSequences = "";
        private String rowsSql = "";
        private Map<String, String> state = Map.of();
        private final Clones fallback;
        private boolean inFallback;

        Transactional(MigrationSet migrations, Duration timeout) {
            super(migrations, timeout);
            this.fallback = new Clones(migrations, timeout);
        }

        private void open() throws SQLException {
            db = PgProp.server().createDatabase(migrations, "Mutants");
            raw = db.openConnection();
            try (Statement st = raw.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT coalesce('SELECT ' || string_agg(format('setval(%L, %s, %s)',"
                        + " quote_ident(schemaname) || '.' || quote_ident(sequencename), coalesce(last_value, start_value),"
                        + " (last_value IS NOT NULL)::text), ', '), '') FROM pg_sequences")) {
                    rs.next();
                    resetSequences = rs.getString(1);
                }
                List<String> counts = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT format('SELECT %L AS what, count(*)::text AS n FROM %I.%I', n.nspname || '.'"
                        + " || c.relname, n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                        + " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1")) {
                    while (rs.next()) {
                        counts.add(rs.getString(1));
                    }
                }
                for (String cat : CATALOGS) {
                    counts.add("SELECT '" + cat + "', count(*) || ' ' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog." + cat);
                }
                rowsSql = String.join(" UNION ALL ", counts);
            }
            raw.setAutoCommit(false);
            state = state();
            raw.rollback();
        }

        /** Every catalog's row count and xmin sum, every user table's row count. */
        private Map<String, String> state() throws SQLException {
            Map<String, String> out = new LinkedHashMap<>();
            try (Statement st = Objects.requireNonNull(raw).createStatement(); ResultSet rs = st.executeQuery(rowsSql)) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        }

        @Override
        Connection apply(Mutant m) throws SQLException {
            Connection c;
            try {
                if (raw == null) {
                    open();
                }
                c = Objects.requireNonNull(raw);
                if (!resetSequences.isEmpty()) {
                    try (Statement st = c.createStatement()) {
                        st.execute(resetSequences);
                    }
                }
            } catch (SQLException e) {
                throw new PgPropException("the worker's database for mutants cannot be used: " + e.getMessage(), e);
            }
            try (Statement st = c.createStatement()) {
                st.execute(m.ddl());
            } catch (SQLException e) {
                c.rollback();
                if ("25001".equals(e.getSQLState())) { // cannot run inside a transaction block
                    inFallback = true;
                    return fallback.apply(m);
                }
                throw e;
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = " + timeout.toMillis());
            }
            return SavepointConnection.wrap(c);
        }

        @Override
        @Nullable String release() {
            if (inFallback) {
                inFallback = false;
                return fallback.release();
            }
            if (raw == null) {
                return null;
            }
            String trace;
            try {
                raw.rollback();
                Map<String, String> now = state();
                raw.rollback();
                List<String> changed = new ArrayList<>();
                for (Map.Entry<String, String> e : now.entrySet()) {
                    if (!Objects.equals(state.get(e.getKey()), e.getValue())) {
                        changed.add(e.getKey() + " (" + state.get(e.getKey()) + " -> " + e.getValue() + ")");
                    }
                }
                state.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> changed.add(k + " (gone)"));
                trace = changed.isEmpty() ? null : "changed after the rollback: " + String.join(", ", changed);
            } catch (SQLException e) {
                trace = "the connection to the worker's database failed: " + e.getMessage();
            }
            if (trace != null) {
                close();
            }
            return trace;
        }

        @Override
        public void close() {
            fallback.close();
            drop(raw, db);
            raw = null;
            db = null;
        }
    }
}

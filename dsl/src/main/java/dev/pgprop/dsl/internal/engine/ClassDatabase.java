package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.internal.Escape;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The database of one property class: cloned from the migration set's template, its catalog read
 * once, tables the migrations seeded snapshotted, sessions pooled across tries.
 */
public final class ClassDatabase implements AutoCloseable {
    private final TestDatabase database;
    private final MigrationSet migrations;
    private final EngineConfig config;
    private final Catalog catalog;
    private final boolean superuser;
    private final List<Catalog.Table> seeded;
    private final Pool pool;
    private final String emptyProbeSql;
    private final String sequenceResetSql;
    private final String superuserCleanupSql;
    private @Nullable TemplatePool templatePool;
    /** A session whose try's cleanup has not run yet (see {@link #defer}). */
    private @Nullable Connection deferred;

    private ClassDatabase(TestDatabase database, MigrationSet migrations, EngineConfig config) {
        this.database = database;
        this.migrations = migrations;
        this.config = config;
        this.pool = new Pool(database.name(), config);
        Connection c = pool.borrow();
        try (Statement s = c.createStatement()) {
            this.catalog = Catalog.read(c);
            try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                this.superuser = rs.next() && rs.getBoolean(1);
            }
            this.seeded = new ArrayList<>();
            for (Catalog.Table t : catalog.tables()) {
                try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + t.qualified() + ")")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        seeded.add(t);
                    }
                }
            }
            if (!seeded.isEmpty()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Catalog.SNAPSHOT_SCHEMA);
                for (Catalog.Table t : seeded) {
                    s.execute("CREATE TABLE " + snapshotOf(t) + " AS SELECT * FROM " + t.qualified());
                }
            }
        } catch (SQLException e) {
            pool.close();
            throw new PgPropException("cannot prepare database " + database.name() + ": " + e.getMessage(), e);
        } finally {
            pool.release(c, true);
        }
        this.emptyProbeSql = probeSql(catalog, seeded);
        this.sequenceResetSql = sequenceResetSql(catalog);
        this.superuserCleanupSql = superuserCleanupSql();
    }

    private static final String PREPARED_GUARD = "pgprop: prepared transactions are open";

    /**
     * The whole cleanup as one round trip (superuser): stop if prepared transactions hold locks,
     * empty every table without firing triggers or foreign-key checks, restore seeded tables,
     * reset sequences, and reset the session.
     */
    private String superuserCleanupSql() {
        StringBuilder sql = new StringBuilder();
        sql.append("DO $pgprop$ BEGIN IF EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE database = current_database()) THEN")
                .append(" RAISE EXCEPTION '").append(PREPARED_GUARD).append("' USING ERRCODE = 'P0002'; END IF; END $pgprop$;");
        sql.append("SET session_replication_role = replica;");
        for (Catalog.Table t : catalog.tables()) {
            sql.append("DELETE FROM ").append(t.qualified()).append(';');
        }
        for (Catalog.Table t : seeded) {
            sql.append("INSERT INTO ").append(t.qualified()).append(" OVERRIDING SYSTEM VALUE SELECT * FROM ")
                    .append(snapshotOf(t)).append(';');
        }
        sql.append("SET session_replication_role = DEFAULT;");
        if (!sequenceResetSql.isEmpty()) {
            sql.append(sequenceResetSql).append(';');
        }
        sql.append("RESET ALL; SELECT pg_advisory_unlock_all()");
        return sql.toString();
    }

    /**
     * The template state again after a try that committed, on {@code c} (a session of {@code
     * target} in autocommit, which is reset too). One round trip for a superuser.
     */
    public void cleanByDelete(Pool target, Connection c) {
        if (!superuser) {
            cleanByDelete(target);
            return;
        }
        try (Statement s = c.createStatement()) {
            try {
                s.execute(superuserCleanupSql);
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains(PREPARED_GUARD)) {
                    throw e;
                }
                rollbackPrepared(s);
                s.execute(superuserCleanupSql);
            }
        } catch (SQLException e) {
            throw new CleanupException("cleaning database " + target.database() + " after a try failed: " + e.getMessage()
                    + ". The next try could see this try's rows, so the run stops here. Is a session of the try still"
                    + " holding locks?", e);
        }
    }

    /**
     * Leaves the cleanup of a try that ran in DELETE mode on {@code c} (a session out of the pool,
     * in autocommit) for later: the next DELETE try takes {@code c} and sends the script with its
     * load ({@link #takeDeferred}, {@link #cleanupScript}); anything else runs it first
     * ({@link #flushDeferred}). Without superuser rights the cleanup needs a probe first and runs now.
     */
    public void defer(Connection c) {
        if (!superuser) {
            runCleanup(c);
            return;
        }
        Connection previous;
        synchronized (this) {
            previous = deferred;
            deferred = c;
        }
        if (previous != null) {
            runCleanup(previous);
        }
    }

    /** The session whose cleanup is pending, now the caller's, which must send {@link #cleanupScript} first; or null. */
    public synchronized @Nullable Connection takeDeferred() {
        Connection c = deferred;
        deferred = null;
        return c;
    }

    /** Runs a pending cleanup now (before a use of the database that cannot carry it). */
    public void flushDeferred() {
        Connection c = takeDeferred();
        if (c != null) {
            runCleanup(c);
        }
    }

    /** The whole cleanup as one script (superuser only: see {@link #defer}). */
    public String cleanupScript() {
        return superuserCleanupSql;
    }

    /** Cleans on {@code c} and pools it; a session that fails (a fault killed it) is closed and a fresh one cleans. */
    private void runCleanup(Connection c) {
        try {
            cleanByDelete(pool, c);
            pool.releaseClean(c);
            return;
        } catch (PgPropException e) {
            pool.release(c, false);
            if (!dev.pgprop.dsl.PgError.classify(e).map(err -> err.errorClass().isFault()).orElse(false)) {
                throw e;
            }
        }
        Connection fresh = pool.borrow();
        boolean ok = false;
        try {
            cleanByDelete(pool, fresh);
            ok = true;
        } finally {
            if (ok) {
                pool.releaseClean(fresh);
            } else {
                pool.release(fresh, false);
            }
        }
    }

    private static void rollbackPrepared(Statement s) throws SQLException {
        List<String> gids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
            while (rs.next()) {
                gids.add(rs.getString(1));
            }
        }
        for (String gid : gids) {
            s.execute("ROLLBACK PREPARED " + Escape.sqlString(gid));
        }
    }

    public static ClassDatabase create(MigrationSet migrations, String label, EngineConfig config) {
        TestDatabase db = Views.createDatabase(migrations, label);
        try {
            return new ClassDatabase(db, migrations, config);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static String snapshotOf(Catalog.Table t) {
        return Catalog.SNAPSHOT_SCHEMA + "." + quote(t.schema() + "__" + t.name());
    }

    static String quote(String identifier) {
        return Escape.sqlIdentifier(identifier);
    }

    /** One query: which non-seeded tables have rows now (by index), and which prepared transactions are open. */
    private static String probeSql(Catalog catalog, List<Catalog.Table> seeded) {
        StringJoiner arr = new StringJoiner(", ", "ARRAY[", "]::int[]");
        List<Catalog.Table> tables = catalog.tables();
        for (int i = 0; i < tables.size(); i++) {
            if (!seeded.contains(tables.get(i))) {
                arr.add("CASE WHEN EXISTS (SELECT 1 FROM " + tables.get(i).qualified() + ") THEN " + i + " END");
            }
        }
        String nonEmpty = arr.length() == "ARRAY[]::int[]".length() ? "ARRAY[]::int[]" : arr.toString();
        return "SELECT " + nonEmpty + ", (SELECT array_agg(gid) FROM pg_prepared_xacts WHERE database = current_database())";
    }

    private static String sequenceResetSql(Catalog catalog) {
        if (catalog.sequences().isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(", ", "SELECT ", "");
        for (Catalog.Sequence s : catalog.sequences()) {
            j.add("setval(" + Escape.sqlString(s.qualified()) + ", " + s.lastValue() + ", " + s.isCalled() + ")");
        }
        return j.toString();
    }

    /**
     * The template state again inside the caller's transaction, which it rolls back later (serial
     * replays of a try): every table emptied and the seeded ones restored, as one script (empty:
     * no tables). Sequences are not transactional: {@link #sequenceResetSql} is the caller's.
     * The seeded rows come from this database's snapshot, so the script runs on this database
     * only, not on a template clone.
     */
    public String templateStateSql() {
        List<Catalog.Table> tables = catalog.tables();
        if (tables.isEmpty()) {
            return "";
        }
        StringBuilder sql = new StringBuilder();
        if (superuser) {
            sql.append("SET LOCAL session_replication_role = replica;");
            tables.forEach(t -> sql.append("DELETE FROM ").append(t.qualified()).append(';'));
        } else {
            StringJoiner all = new StringJoiner(", ");
            tables.forEach(t -> all.add(t.qualified()));
            sql.append("TRUNCATE ").append(all).append(" CASCADE;");
        }
        for (Catalog.Table t : seeded) {
            sql.append("INSERT INTO ").append(t.qualified()).append(" OVERRIDING SYSTEM VALUE SELECT * FROM ")
                    .append(snapshotOf(t)).append(';');
        }
        if (superuser) {
            sql.append("SET LOCAL session_replication_role = DEFAULT;");
        }
        return sql.toString();
    }

    /** Whether the migrations left rows in some table (restored from a snapshot of this database). */
    public boolean hasSeededTables() {
        return !seeded.isEmpty();
    }

    /** One statement that puts every sequence back to its template value (empty: no sequences). */
    public String sequenceResetSql() {
        return sequenceResetSql;
    }

    public TestDatabase database() {
        return database;
    }

    public MigrationSet migrations() {
        return migrations;
    }

    public EngineConfig config() {
        return config;
    }

    public Catalog catalog() {
        return catalog;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Brings the database back to its template state after a try that committed: empties every
     * table that has rows, restores the tables the migrations seeded, resets every sequence, and
     * rolls back prepared transactions. Runs on a pooled connection.
     */
    public void cleanByDelete(Pool target) {
        Connection c = target.borrow();
        boolean ok = false;
        try (Statement s = c.createStatement()) {
            List<Catalog.Table> nonEmpty = new ArrayList<>();
            List<String> prepared = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(emptyProbeSql)) {
                rs.next();
                for (Integer i : (Integer[]) rs.getArray(1).getArray()) {
                    if (i != null) {
                        nonEmpty.add(catalog.tables().get(i));
                    }
                }
                java.sql.Array gids = rs.getArray(2);
                if (gids != null) {
                    prepared.addAll(List.of((String[]) gids.getArray()));
                }
            }
            for (String gid : prepared) {
                s.execute("ROLLBACK PREPARED " + Escape.sqlString(gid));
            }
            StringBuilder sql = new StringBuilder();
            if (!nonEmpty.isEmpty() || !seeded.isEmpty()) {
                if (superuser) {
                    // no triggers, no foreign-key checks: order does not matter and nothing else fires
                    sql.append("SET session_replication_role = replica;");
                    for (Catalog.Table t : nonEmpty) {
                        sql.append("DELETE FROM ").append(t.qualified()).append(';');
                    }
                    for (Catalog.Table t : seeded) {
                        sql.append("DELETE FROM ").append(t.qualified()).append(';');
                        sql.append("INSERT INTO ").append(t.qualified()).append(" OVERRIDING SYSTEM VALUE SELECT * FROM ")
                                .append(snapshotOf(t)).append(';');
                    }
                    sql.append("SET session_replication_role = DEFAULT;");
                } else {
                    StringJoiner all = new StringJoiner(", ");
                    nonEmpty.forEach(t -> all.add(t.qualified()));
                    seeded.forEach(t -> all.add(t.qualified()));
                    sql.append("TRUNCATE ").append(all).append(" CASCADE;");
                    for (Catalog.Table t : seeded) {
                        sql.append("INSERT INTO ").append(t.qualified()).append(" OVERRIDING SYSTEM VALUE SELECT * FROM ")
                                .append(snapshotOf(t)).append(';');
                    }
                }
            }
            if (!sequenceResetSql.isEmpty()) {
                sql.append(sequenceResetSql).append(';');
            }
            if (sql.length() > 0) {
                s.execute(sql.toString());
            }
            ok = true;
        } catch (SQLException e) {
            throw new CleanupException("cleaning database " + target.database() + " after a try failed: " + e.getMessage()
                    + ". The next try could see this try's rows, so the run stops here. Is a session of the try still"
                    + " holding locks?", e);
        } finally {
            target.release(c, ok);
        }
    }

    /** Ready clones of the template for TEMPLATE tries (made on first use). */
    public synchronized TemplatePool templatePool() {
        if (templatePool == null) {
            templatePool = TemplatePool.fromConfig(migrations, database.name(), config);
        }
        return templatePool;
    }

    private void closeTemplatePool() {
        TemplatePool tp;
        synchronized (this) {
            tp = templatePool;
            templatePool = null;
        }
        if (tp != null) {
            tp.close();
        }
    }

    @Override
    public void close() {
        closeTemplatePool();
        pool.close();
        database.close();
    }

    /** Keeps the database (and its data) after the run, for inspection. */
    public void keep() {
        closeTemplatePool();
        pool.close();
        database.keep();
    }

    /** Sessions on one database, kept across tries; each has the configured timeouts. */
    public static final class Pool implements AutoCloseable {
        private final String database;
        private final Properties properties = new Properties();
        private final Deque<Connection> idle = new ArrayDeque<>();
        private final List<Connection> all = new ArrayList<>();
        private final java.util.Map<Connection, org.jdbi.v3.core.Handle> handles = new java.util.IdentityHashMap<>();

        public Pool(String database, EngineConfig config) {
            this.database = database;
            properties.setProperty("options", config.connectionOptions());
        }

        public String database() {
            return database;
        }

        public synchronized Connection borrow() {
            Connection c = idle.pollFirst();
            if (c != null) {
                return c;
            }
            try {
                c = ServerRuntime.get().connect(database, properties);
            } catch (SQLException e) {
                throw new PgPropException("cannot open a session on " + database + ": " + e.getMessage(), e);
            }
            all.add(c);
            return c;
        }

        /**
         * Returns a session: its transaction rolled back, its settings reset. A session that
         * cannot be reset is closed instead.
         */
        public void release(Connection c, boolean reusable) {
            boolean keep = false;
            if (reusable) {
                try {
                    if (!c.isClosed()) {
                        if (!c.getAutoCommit()) {
                            c.rollback();
                            c.setAutoCommit(true);
                        }
                        try (Statement s = c.createStatement()) {
                            s.execute("RESET ALL; SELECT pg_advisory_unlock_all()");
                        }
                        keep = true;
                    }
                } catch (SQLException e) {
                    keep = false;
                }
            }
            synchronized (this) {
                if (keep) {
                    idle.addFirst(c);
                } else {
                    all.remove(c);
                    handles.remove(c);
                    closeQuietly(c);
                }
            }
        }

        /** Closes every idle session (after a connection fault); borrowing opens new ones. */
        public synchronized void evictIdle() {
            for (Connection c : idle) {
                all.remove(c);
                handles.remove(c);
                closeQuietly(c);
            }
            idle.clear();
        }

        /** The JDBI handle of a pooled session (one per session, never closed by users). */
        public synchronized org.jdbi.v3.core.Handle handle(Connection c) {
            return handles.computeIfAbsent(c, dev.pgprop.dsl.internal.JdbiSetup::wrap);
        }

        /** Takes in a session opened elsewhere on this pool's database (a template clone's). */
        public synchronized void adopt(Connection c) {
            all.add(c);
            idle.addFirst(c);
        }

        /** The server process ids of this pool's sessions: any other session on its database is not pgprop's. */
        public synchronized List<Integer> backendPids() {
            List<Integer> out = new ArrayList<>();
            for (Connection c : all) {
                try {
                    out.add(c.unwrap(org.postgresql.PGConnection.class).getBackendPID());
                } catch (SQLException e) {
                    // a session that cannot say is closed already
                }
            }
            return out;
        }

        /** Returns a session that is known clean (its transaction just ended by pgprop). */
        public synchronized void releaseClean(Connection c) {
            idle.addFirst(c);
        }

        @Override
        public synchronized void close() {
            for (Connection c : all) {
                closeQuietly(c);
            }
            all.clear();
            idle.clear();
            handles.clear();
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}

package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * One try's database state: the isolation mode chosen for it, its main session, the extra
 * sessions it used, and the cleanup that leaves the next try a clean database.
 *
 * <p>The rule: a try starts in {@code ROLLBACK} mode (everything in one transaction on the main
 * session, rolled back at the end) unless its first scenario commits or uses several sessions, or
 * the property's previous try ended in {@code DELETE} mode; then {@code DELETE} mode (commits are
 * real; touched tables are emptied afterwards). A later scenario of the same try that needs commits
 * promotes a {@code ROLLBACK} try to {@code DELETE}. A forced isolation ({@code pgprop.isolation},
 * the class annotation) replaces the rule.
 *
 * <p>A {@code DELETE} try's cleanup script is not sent when the try ends: the session keeps it
 * ({@link ClassDatabase#defer}), and the next {@code DELETE} try sends it in the same round trip
 * as its load ({@link #takePendingCleanup}). Any other use of the database runs it first.
 */
public final class TryState {
    public enum Mode { NONE, ROLLBACK, DELETE, TEMPLATE }

    private final ClassDatabase cls;
    private final Isolation forced;
    private final Mode remembered;
    private Mode mode = Mode.NONE;
    /** What the try's own steps needed (whatever mode it started in): the next try of the property starts there. */
    private Mode needed = Mode.NONE;
    private @Nullable TransactionIsolationLevel firstLevel;
    private boolean cleanupPending;
    private ClassDatabase.Pool pool;
    private @Nullable TestDatabase tryDatabase;
    private @Nullable Connection main;
    private @Nullable TransactionIsolationLevel rollbackLevel;
    private final List<Connection> sessions = new ArrayList<>();
    private final List<Connection> extras = new ArrayList<>();
    private boolean dirty;
    /** Scenarios run so far in this try. */
    private int scenarios;

    public TryState(ClassDatabase cls, Isolation forced) {
        this(cls, forced, Mode.NONE);
    }

    /** A try of a property whose previous try ended in {@code remembered} ({@code NONE}: the first try). */
    public TryState(ClassDatabase cls, Isolation forced, Mode remembered) {
        this.cls = cls;
        this.forced = forced;
        this.remembered = remembered;
        this.pool = cls.pool();
    }

    public Mode mode() {
        return mode;
    }

    /**
     * What the try needed: {@code DELETE} when it committed, used several sessions or levels, or
     * a side session; {@code ROLLBACK} when one rolled-back transaction would have held it;
     * {@code NONE} when it touched no database. A try started in {@code DELETE} because its
     * predecessor needed it may itself need only {@code ROLLBACK}: the next try then starts there.
     */
    public Mode needed() {
        return needed;
    }

    public ClassDatabase classDatabase() {
        return cls;
    }

    public ClassDatabase.Pool pool() {
        return pool;
    }

    /**
     * Makes sure the try runs in a mode that can do what a scenario needs: commits, several
     * sessions, or one rolled-back transaction at {@code level} (null: no rolled-back-only need).
     */
    public void require(boolean commits, @Nullable TransactionIsolationLevel level) {
        boolean needsReal = commits;
        boolean otherLevelThanBefore = level != null && firstLevel != null && level != firstLevel;
        if (level != null && firstLevel == null) {
            firstLevel = level;
        }
        if (needsReal || otherLevelThanBefore) {
            needed = Mode.DELETE;
        } else if (needed == Mode.NONE) {
            needed = Mode.ROLLBACK;
        }
        if (mode == Mode.NONE) {
            Mode chosen = switch (forced) {
                case ROLLBACK -> Mode.ROLLBACK;
                case DELETE -> Mode.DELETE;
                case TEMPLATE -> Mode.TEMPLATE;
                case AUTO -> needsReal || remembered == Mode.DELETE ? Mode.DELETE : Mode.ROLLBACK;
            };
            if (chosen == Mode.ROLLBACK && needsReal) {
                throw rollbackCannot();
            }
            start(chosen, level);
            return;
        }
        if (mode == Mode.ROLLBACK) {
            boolean otherLevel = level != null && rollbackLevel != null && level != rollbackLevel;
            if (needsReal || otherLevel) {
                if (forced == Isolation.ROLLBACK) {
                    throw rollbackCannot();
                }
                promote();
            }
        }
    }

    private ScenarioException rollbackCannot() {
        return new ScenarioException("isolation ROLLBACK cannot run this scenario: it commits, uses several sessions or"
                + " several isolation levels, which one rolled-back transaction cannot hold. Use isolation DELETE or"
                + " TEMPLATE (-Dpgprop.isolation, or @PgProperties(isolation = ...)), or leave it AUTO.", null, null);
    }

    private void start(Mode m, @Nullable TransactionIsolationLevel level) {
        mode = m;
        try {
            if (m == Mode.TEMPLATE) {
                TemplatePool.Clone clone = cls.templatePool().take();
                tryDatabase = clone.database();
                pool = new ClassDatabase.Pool(tryDatabase.name(), cls.config());
                pool.adopt(clone.session());
            }
            Connection deferred = m == Mode.DELETE ? cls.takeDeferred() : null;
            if (deferred == null) {
                cls.flushDeferred();
            }
            Connection c = deferred != null ? deferred : pool.borrow();
            cleanupPending = deferred != null;
            main = c;
            if (m == Mode.ROLLBACK) {
                rollbackLevel = level == null ? TransactionIsolationLevel.READ_COMMITTED : level;
                c.setAutoCommit(false);
                if (rollbackLevel != TransactionIsolationLevel.READ_COMMITTED) {
                    c.setTransactionIsolation(rollbackLevel.intValue()); // reset when the try ends
                }
            }
        } catch (SQLException e) {
            throw new PgPropException("cannot start the try's transaction: " + e.getMessage(), e);
        }
    }

    /** ROLLBACK -> DELETE mid-try: what the try did so far is committed and cleaned up at the end. */
    private void promote() {
        Connection c = main();
        try {
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new PgPropException("cannot switch the try to DELETE isolation: " + e.getMessage(), e);
        }
        mode = Mode.DELETE;
        rollbackLevel = null;
    }

    /** Counts a scenario of this try as started; returns how many have (this one included). */
    public int startScenario() {
        return ++scenarios;
    }

    /** How many scenarios this try has started: what a later one starts from includes what earlier ones did. */
    public int scenarios() {
        return scenarios;
    }

    /** The main session of the try (in ROLLBACK mode, inside the try's transaction). */
    public Connection main() {
        if (main == null) {
            require(false, null);
        }
        runPendingCleanup();
        return main;
    }

    /**
     * The previous try's cleanup script when it has not run yet, for the caller to send ahead of
     * its first statements on {@link #main()} (then its job); null when there is none. Call after
     * {@link #require}.
     */
    public @Nullable String takePendingCleanup() {
        if (!cleanupPending) {
            return null;
        }
        cleanupPending = false;
        return cls.cleanupScript();
    }

    /** Runs the previous try's cleanup now if it is still pending (before any other use of the database). */
    public void runPendingCleanup() {
        if (cleanupPending) {
            cleanupPending = false;
            cls.cleanByDelete(cls.pool(), main);
        } else if (mode == Mode.NONE) {
            cls.flushDeferred();
        }
    }

    /** Another session for concurrent steps; give it back with {@link #releaseSession}. */
    public Connection borrowSession() {
        runPendingCleanup();
        Connection c = pool.borrow();
        synchronized (sessions) {
            sessions.add(c);
        }
        return c;
    }

    public void releaseSession(Connection c, boolean reusable) {
        synchronized (sessions) {
            sessions.remove(c);
        }
        pool.release(c, reusable);
    }

    /**
     * A session the user drives directly (through {@code Db.jdbi()}): whatever it commits is
     * real, so the try is cleaned by delete at the end whatever its mode.
     */
    public Connection openExtra() {
        main();
        Connection c = pool.borrow();
        synchronized (extras) {
            extras.add(c);
        }
        dirty = true;
        needed = Mode.DELETE;
        return c;
    }

    /** Ends the try: the database is back to its template state, or an exception says why not. */
    public void finish() {
        RuntimeException failure = null;
        List<Connection> open = new ArrayList<>();
        synchronized (sessions) {
            open.addAll(sessions);
            sessions.clear();
        }
        synchronized (extras) {
            open.addAll(extras);
            extras.clear();
        }
        for (Connection c : open) {
            pool.release(c, true);
        }
        try {
            switch (mode) {
                case NONE -> { }
                case ROLLBACK -> {
                    Connection c = main;
                    try {
                        String sequences = cls.sequenceResetSql();
                        if (!dirty && !sequences.isEmpty()) {
                            // one round trip: the rollback, then the sequences (not transactional) back
                            try (java.sql.Statement s = c.createStatement()) {
                                s.execute("ROLLBACK;" + sequences);
                            }
                        } else {
                            c.rollback(); // a delete below resets the sequences too
                        }
                        c.setAutoCommit(true);
                        if (rollbackLevel != null && rollbackLevel != TransactionIsolationLevel.READ_COMMITTED) {
                            c.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
                        }
                        pool.releaseClean(c);
                    } catch (SQLException e) {
                        pool.release(c, false);
                        throw new PgPropException("rolling back the try failed: " + e.getMessage(), e);
                    }
                    if (dirty) {
                        Connection d = pool.borrow();
                        cls.cleanByDelete(pool, d);
                        pool.releaseClean(d);
                    }
                }
                case DELETE -> {
                    Connection c = main;
                    boolean ok = false;
                    try {
                        if (!c.getAutoCommit()) {
                            c.rollback();
                            c.setAutoCommit(true);
                        }
                        ok = true;
                    } catch (SQLException e) {
                        throw new PgPropException("ending the try's transaction failed: " + e.getMessage(), e);
                    } finally {
                        if (!ok) {
                            pool.release(c, false);
                        }
                    }
                    // the cleanup goes with the next try's load (or runs before any other use)
                    cls.defer(c);
                }
                case TEMPLATE -> {
                    pool.close();
                    if (tryDatabase != null) {
                        cls.templatePool().giveBack(tryDatabase); // dropped in the background
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            main = null;
            mode = Mode.NONE;
            rollbackLevel = null;
            cleanupPending = false;
            pool = cls.pool();
            tryDatabase = null;
            dirty = false;
            scenarios = 0;
        }
        if (failure != null) {
            throw failure;
        }
    }
}

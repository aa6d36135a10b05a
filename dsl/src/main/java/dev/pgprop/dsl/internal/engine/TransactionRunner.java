package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Action;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Retry;
import dev.pgprop.dsl.Role;
import dev.pgprop.dsl.Scenario;
import dev.pgprop.dsl.StepResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * Runs a scenario's single-transaction steps on the try's main session: a rolled-back step as a
 * savepoint (in a try that is one rolled-back transaction), a committed or rolled-back
 * transaction with its retries, and actions on a plain handle in autocommit.
 */
final class TransactionRunner {
    private TransactionRunner() {}

    /** The step's action, run as its role (SET LOCAL ROLE and request claims) when it has one. */
    static Action actionOf(@Nullable Role role, Action action) {
        if (role == null) {
            return action;
        }
        return tx -> {
            role.applyLocally(tx.handle());
            action.run(tx);
        };
    }

    static StepResult result(String step, int session, long t0, boolean committed, @Nullable Throwable failure) {
        return result(step, session, t0, committed, failure, List.of());
    }

    static StepResult result(String step, int session, long t0, boolean committed, @Nullable Throwable failure,
                                     List<PgError> retried) {
        Duration d = Duration.ofNanos(System.nanoTime() - t0);
        PgError err = failure == null ? null : PgError.classify(failure).orElse(null);
        return new StepResult(step, session, committed && failure == null, err, failure, d, retried);
    }

    /** Whether a failed attempt is tried again (its error then goes to {@code retried}); sleeps the backoff. */
    static boolean retrying(Retry retry, int attempt, Throwable failure, List<PgError> retried) {
        PgError err = PgError.classify(failure).orElse(null);
        if (err == null || !retry.retries(attempt, err)) {
            return false;
        }
        retried.add(err);
        try {
            retry.backoff(attempt);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** ROLLBACK mode: a rolled-back step is a savepoint rolled back to. */
    static StepResult inSavepoint(TryState st, Connection main, Scenario.Transaction t) {
        long t0 = System.nanoTime();
        Throwable failure = null;
        try (Statement s = main.createStatement()) {
            s.execute("SAVEPOINT pgprop_step");
            try {
                actionOf(t.role(), t.action()).run(Views.tx(st.pool().handle(main), 0));
            } catch (Throwable e) {
                failure = e;
            }
            s.execute("ROLLBACK TO SAVEPOINT pgprop_step");
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
        return result(t.name(), 0, t0, false, failure);
    }

    static StepResult inTransaction(TryState st, Connection c, Scenario.Transaction t, Retry retry) {
        long t0 = System.nanoTime();
        Throwable failure = null;
        boolean committed = false;
        int attempt = 0;
        List<PgError> retried = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            boolean otherLevel = t.level() != TransactionIsolationLevel.READ_COMMITTED;
            if (otherLevel) {
                c.setTransactionIsolation(t.level().intValue());
            }
            try {
                while (true) {
                    attempt++;
                    failure = null;
                    try {
                        actionOf(t.role(), t.action()).run(Views.tx(st.pool().handle(c), 0, attempt));
                        if (t.commit()) {
                            c.commit();
                            committed = true;
                        } else {
                            c.rollback();
                        }
                        break;
                    } catch (Throwable e) {
                        failure = e;
                        c.rollback();
                        if (!retrying(retry, attempt, e, retried)) {
                            break;
                        }
                    }
                }
            } finally {
                c.setAutoCommit(true);
                if (otherLevel) {
                    c.setTransactionIsolation(TransactionIsolationLevel.READ_COMMITTED.intValue());
                }
            }
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
        return result(t.name(), 0, t0, committed, failure, retried);
    }

    static StepResult onHandle(TryState st, Connection c, Scenario.OnHandle h) {
        long t0 = System.nanoTime();
        Throwable failure = null;
        Handle handle = st.pool().handle(c);
        try {
            h.action().run(handle);
        } catch (Throwable e) {
            failure = e;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
        return result(h.name(), 0, t0, true, failure);
    }
}

package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Action;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Retry;
import dev.pgprop.dsl.Scenario;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.StepResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code whenConcurrently(n, ...)}: n sessions borrowed from the try, each its own
 * transaction at the step's level, released together by a latch, each retried on its own.
 */
final class ConcurrentRunner {
    private static final ExecutorService SESSIONS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgprop-session");
        t.setDaemon(true);
        return t;
    });

    private ConcurrentRunner() {}

    static List<StepResult> run(TryState st, Scenario.Concurrent step, Retry retry) {
        int n = step.sessions();
        Action action = TransactionRunner.actionOf(step.role(), step.action());
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            conns.add(st.borrowSession());
        }
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StepResult>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int session = i;
            Connection c = conns.get(i);
            futures.add(SESSIONS.submit(() -> {
                Throwable failure = null;
                boolean committed = false;
                long t0;
                try {
                    c.setAutoCommit(false);
                    if (c.getTransactionIsolation() != step.level().intValue()) {
                        c.setTransactionIsolation(step.level().intValue());
                    }
                } finally {
                    ready.countDown();
                }
                go.await();
                t0 = System.nanoTime();
                int attempt = 0;
                List<PgError> retried = new ArrayList<>();
                while (true) {
                    attempt++;
                    failure = null;
                    try {
                        action.run(Views.tx(st.pool().handle(c), session, attempt));
                        c.commit();
                        committed = true;
                        break;
                    } catch (Throwable e) {
                        failure = e;
                        try {
                            c.rollback();
                        } catch (SQLException ignored) {
                            // the connection is gone; the failure says why
                            break;
                        }
                        if (!TransactionRunner.retrying(retry, attempt, e, retried)) {
                            break;
                        }
                    }
                }
                return TransactionRunner.result(step.name(), session, t0, committed, failure, retried);
            }));
        }
        List<StepResult> results = new ArrayList<>();
        try {
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new ScenarioException(step.name() + ": sessions did not get ready in 30 s", null, null);
            }
            go.countDown();
            for (Future<StepResult> f : futures) {
                try {
                    results.add(f.get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new ScenarioException(step.name() + " could not run a session: " + e.getCause(), null, e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ScenarioException(step.name() + ": a session did not finish in 10 minutes", null, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException(step.name() + " was interrupted", null, e);
        } finally {
            for (Connection c : conns) {
                st.releaseSession(c, true);
            }
        }
        return results;
    }
}

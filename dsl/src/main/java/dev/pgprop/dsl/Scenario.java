package dev.pgprop.dsl;

import dev.pgprop.dsl.concurrency.Interleaving;
import dev.pgprop.dsl.concurrency.InterleavingOutcome;
import dev.pgprop.dsl.concurrency.Retry;

import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.dsl.internal.engine.TryState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * A given/when/then scenario: a dataset, the actions under test, and the invariants that must
 * hold afterwards. Immutable: every method returns a new scenario; nothing runs until {@link
 * #then} or {@link #run}.
 *
 * <pre>{@code
 * db.given(dataset)
 *   .whenConcurrently(2, tx -> tx.call("allocate", "SKU-000001", 1))
 *   .allowing(ErrorClass.RAISED)
 *   .then(noRows("select * from inventory where allocated > on_hand"), constraintsHold());
 * }</pre>
 *
 * <p>How the try stays clean follows from what the scenario does (see {@link Isolation}): only
 * rolled-back single transactions run inside one rolled-back try transaction; a scenario that
 * commits or uses several sessions commits for real and is cleaned by delete.
 *
 * <p>Concurrency comes in two kinds: {@link #whenConcurrently} releases sessions together and lets
 * the server schedule them; {@link #whenInterleaved} runs named sessions statement by statement
 * in a given order, detecting steps that block on locks (see {@link Interleaving}).
 */
public final class Scenario {
    private static final ExecutorService SESSIONS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgprop-session");
        t.setDaemon(true);
        return t;
    });

    private final Db db;
    private final Dataset given;
    private final List<Step> steps;
    private final Set<ErrorClass> allowed;
    private final Retry retry;

    private sealed interface Step permits TxStep, ConcurrentStep, HandleStep, InterleavedStep {
        String name();
    }

    private record TxStep(String name, boolean commit, TransactionIsolationLevel level, Action action) implements Step {}

    private record ConcurrentStep(String name, int sessions, TransactionIsolationLevel level, Action action) implements Step {}

    private record HandleStep(String name, HandleAction action) implements Step {}

    private record InterleavedStep(String name, Interleaving interleaving) implements Step {}

    Scenario(Db db, Dataset given, List<Step> steps, Set<ErrorClass> allowed, Retry retry) {
        this.db = db;
        this.given = given;
        this.steps = List.copyOf(steps);
        this.allowed = Set.copyOf(allowed);
        this.retry = retry;
    }

    static Scenario of(Db db, Dataset given) {
        return new Scenario(db, given, List.of(), Set.of(), Retry.none());
    }

    private Scenario plus(Step step) {
        List<Step> s = new ArrayList<>(steps);
        s.add(step);
        return new Scenario(db, given, s, allowed, retry);
    }

    /** More data, loaded with the rest (foreign-key order across both). */
    public Scenario given(Dataset more) {
        Objects.requireNonNull(more, "dataset");
        return new Scenario(db, given.plus(more), steps, allowed, retry);
    }

    /** Runs the actions in one transaction at READ COMMITTED and commits it. */
    public Scenario whenCommitted(Action action) {
        return whenCommitted(TransactionIsolationLevel.READ_COMMITTED, action);
    }

    /** Runs the actions in one transaction at {@code level} and commits it. */
    public Scenario whenCommitted(TransactionIsolationLevel level, Action action) {
        return plus(new TxStep("whenCommitted(" + levelName(level) + ")", true, validLevel(level), Objects.requireNonNull(action)));
    }

    /** Runs the actions in one transaction at READ COMMITTED and rolls it back. */
    public Scenario whenRolledBack(Action action) {
        return whenRolledBack(TransactionIsolationLevel.READ_COMMITTED, action);
    }

    /** Runs the actions in one transaction at {@code level} and rolls it back. */
    public Scenario whenRolledBack(TransactionIsolationLevel level, Action action) {
        return plus(new TxStep("whenRolledBack(" + levelName(level) + ")", false, validLevel(level), Objects.requireNonNull(action)));
    }

    /**
     * Runs the actions in one transaction at READ COMMITTED as {@code role} with its request claims
     * ({@code SET LOCAL ROLE}, {@code request.jwt.claim.*}), and commits it. What the role may not
     * do fails with {@link ErrorClass#INSUFFICIENT_PRIVILEGE}; expect it with {@code
     * allowing(...)} or {@code rejectedWith(...)}.
     *
     * <pre>{@code
     * db.given(data)
     *   .whenCommittedAs(Role.named("anon"), tx -> tx.execute("delete from payments"))
     *   .then(rejectedWith("42501"), Invariants.noTrace());
     * }</pre>
     */
    public Scenario whenCommittedAs(Role role, Action action) {
        return whenCommittedAs(role, TransactionIsolationLevel.READ_COMMITTED, action);
    }

    /** As {@link #whenCommittedAs(Role, Action)}, at {@code level}. */
    public Scenario whenCommittedAs(Role role, TransactionIsolationLevel level, Action action) {
        return plus(new TxStep("whenCommittedAs(" + Objects.requireNonNull(role, "role") + ", " + levelName(level) + ")", true,
                validLevel(level), actingAs(role, action)));
    }

    /**
     * Runs the actions in one transaction at READ COMMITTED as {@code role} with its request claims,
     * and rolls it back: {@code db.given(d).whenRolledBackAs(alice, tx -> seen.addAll(tx.query(sql)))}.
     */
    public Scenario whenRolledBackAs(Role role, Action action) {
        return whenRolledBackAs(role, TransactionIsolationLevel.READ_COMMITTED, action);
    }

    /** As {@link #whenRolledBackAs(Role, Action)}, at {@code level}. */
    public Scenario whenRolledBackAs(Role role, TransactionIsolationLevel level, Action action) {
        return plus(new TxStep("whenRolledBackAs(" + Objects.requireNonNull(role, "role") + ", " + levelName(level) + ")",
                false, validLevel(level), actingAs(role, action)));
    }

    private static Action actingAs(Role role, Action action) {
        Objects.requireNonNull(action, "action");
        return tx -> {
            role.applyLocally(tx.handle());
            action.run(tx);
        };
    }

    /**
     * Runs the actions in {@code sessions} concurrent sessions, each its own transaction at READ
     * COMMITTED, released together and committed; {@link Tx#session()} tells them apart.
     */
    public Scenario whenConcurrently(int sessions, Action action) {
        return whenConcurrently(sessions, TransactionIsolationLevel.READ_COMMITTED, action);
    }

    public Scenario whenConcurrently(int sessions, TransactionIsolationLevel level, Action action) {
        if (sessions < 1 || sessions > 64) {
            throw new IllegalArgumentException("whenConcurrently needs 1 to 64 sessions, got " + sessions);
        }
        return plus(new ConcurrentStep("whenConcurrently(" + sessions + ", " + levelName(level) + ")", sessions,
                validLevel(level), Objects.requireNonNull(action)));
    }

    /** Runs the actions on a plain JDBI handle in autocommit mode (they commit). */
    public Scenario whenHandle(HandleAction action) {
        return plus(new HandleStep("whenHandle", Objects.requireNonNull(action)));
    }

    /**
     * Runs named sessions statement by statement in the interleaving's order, each its own
     * transaction; {@link Outcome#interleaving()} has every step's rows, blocks and errors. A
     * session that fails with an error its class does not allow fails the scenario, as in the
     * other steps: allow what the interleaving may meet ({@code
     * allowing(ErrorClass.SERIALIZATION_FAILURE)}).
     *
     * <pre>{@code
     * db.given(twoRows)
     *   .whenInterleaved(Interleaving.of(SERIALIZABLE, "T1", "T2")
     *       .step("T1", "select * from test where value % 3 = 0")
     *       .step("T2", "select * from test where value % 3 = 0")
     *       .step("T1", "insert into test (id, value) values (3, 30)")
     *       .step("T2", "insert into test (id, value) values (4, 42)")
     *       .commit("T1")
     *       .commit("T2"))
     *   .allowing(ErrorClass.SERIALIZATION_FAILURE)
     *   .then(invariant("not both committed", ctx -> ...));
     * }</pre>
     */
    public Scenario whenInterleaved(Interleaving interleaving) {
        Objects.requireNonNull(interleaving, "interleaving");
        if (interleaving.size() == 0) {
            throw new IllegalArgumentException("whenInterleaved needs an interleaving with at least one step; add steps"
                    + " with .step(session, sql)");
        }
        return plus(new InterleavedStep("whenInterleaved", interleaving));
    }

    /** Errors of these classes are expected outcomes of the actions, not failures of the scenario. */
    public Scenario allowing(ErrorClass... classes) {
        Set<ErrorClass> a = EnumSet.noneOf(ErrorClass.class);
        a.addAll(allowed);
        a.addAll(Arrays.asList(classes));
        return new Scenario(db, given, steps, a, retry);
    }

    /**
     * Retries transactions of {@link #whenCommitted}, {@link #whenRolledBack} and {@link
     * #whenConcurrently} (each session on its own) that fail with the policy's errors. The
     * errors a policy retries are expected while attempts remain; the last attempt's error is
     * the step's result and must be allowed like any other. Interleavings are never retried:
     * their order is the point.
     */
    public Scenario withRetry(Retry policy) {
        return new Scenario(db, given, steps, allowed, Objects.requireNonNull(policy, "policy"));
    }

    /** Runs the scenario and checks every invariant; throws {@link InvariantViolationException} when one fails. */
    public Outcome then(Invariant... invariants) {
        return execute(List.of(invariants));
    }

    /** Runs the scenario without invariants and returns what happened (unexpected errors still throw). */
    public Outcome run() {
        return execute(List.of());
    }

    private static TransactionIsolationLevel validLevel(TransactionIsolationLevel level) {
        Objects.requireNonNull(level, "level");
        if (level == TransactionIsolationLevel.UNKNOWN || level == TransactionIsolationLevel.NONE) {
            throw new IllegalArgumentException("isolation level " + level + " cannot run a transaction; use READ_COMMITTED,"
                    + " REPEATABLE_READ or SERIALIZABLE");
        }
        return level;
    }

    private static String levelName(TransactionIsolationLevel level) {
        return level.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private Outcome execute(List<Invariant> invariants) {
        TryState st = db.tryState();
        boolean commits = steps.stream().anyMatch(s -> !(s instanceof TxStep t) || t.commit());
        TransactionIsolationLevel rollbackLevel = null;
        for (Step s : steps) {
            if (s instanceof TxStep t && !t.commit()) {
                if (rollbackLevel != null && rollbackLevel != t.level()) {
                    commits = true; // two levels: each step needs its own transaction
                }
                rollbackLevel = t.level();
            }
        }
        st.require(commits, rollbackLevel);
        Catalog catalog = st.classDatabase().catalog();
        Connection main = st.main();
        boolean inTryTx = st.mode() == TryState.Mode.ROLLBACK;
        Loader.load(main, catalog, given, inTryTx);

        Tx checkTx = new Tx(st.pool().handle(main), 0);
        CheckContext before = new CheckContext(checkTx, null, given, catalog);
        List<@Nullable Object> captured = new ArrayList<>();
        for (Invariant inv : invariants) {
            try {
                captured.add(inv.capture(before));
            } catch (Exception e) {
                throw invariantBroke(inv, e);
            }
        }

        List<StepResult> results = new ArrayList<>();
        List<InterleavingOutcome> interleavings = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof TxStep t) {
                results.add(inTryTx ? runInSavepoint(st, main, t) : runInTransaction(st, main, t, retry));
            } else if (s instanceof ConcurrentStep c) {
                results.addAll(runConcurrently(st, c, retry));
            } else if (s instanceof HandleStep h) {
                results.add(runOnHandle(st, main, h));
            } else if (s instanceof InterleavedStep i) {
                InterleavingOutcome io = InterleavingRunner.run(st, i.interleaving());
                interleavings.add(io);
                for (InterleavingOutcome.SessionOutcome so : io.sessions()) {
                    Duration d = io.stepsOf(so.name()).stream().map(InterleavingOutcome.StepOutcome::endedAt)
                            .max(Duration::compareTo).orElse(Duration.ZERO);
                    results.add(new StepResult(i.name() + "(" + so.name() + ")", so.number(), so.committed(), so.pgError(),
                            so.failure(), d));
                }
            }
        }
        Outcome outcome = new Outcome(given, results, interleavings);

        Set<ErrorClass> expected = EnumSet.noneOf(ErrorClass.class);
        expected.addAll(allowed);
        invariants.forEach(i -> expected.addAll(i.expectedErrors()));
        for (StepResult r : results) {
            if (!r.failed()) {
                continue;
            }
            PgError e = r.pgError();
            if (e != null && e.errorClass().isFault()) {
                throw new FaultException(r.step() + " hit a fault of the environment, not an invariant violation: " + e, e,
                        Objects.requireNonNull(r.failure()));
            }
            if (e == null) {
                Throwable f = Objects.requireNonNull(r.failure());
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                throw new ScenarioException(r.step() + " failed: " + f, null, f);
            }
            if (!expected.contains(e.errorClass())) {
                String trace = interleavings.isEmpty() ? "" : "\n" + interleavings.get(interleavings.size() - 1);
                throw new ScenarioException(r.step() + (r.session() > 0 && !r.step().startsWith("whenInterleaved")
                        ? " session " + r.session() : "") + " failed with "
                        + e + ". If this error is an expected outcome, add .allowing(ErrorClass." + e.errorClass()
                        + ") or the invariant rejectedWith(ErrorClass." + e.errorClass() + ")." + trace, e, r.failure());
            }
        }

        CheckContext after = new CheckContext(checkTx, outcome, given, catalog);
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < invariants.size(); i++) {
            Invariant inv = invariants.get(i);
            try {
                violations.addAll(inv.check(after, captured.get(i)));
            } catch (CheckContext.CustomViolation v) {
                violations.add(new Violation(inv.name(), v.getMessage(), v.rows));
            } catch (AssertionError a) {
                violations.add(new Violation(inv.name(), String.valueOf(a.getMessage()).strip(), List.of()));
            } catch (Exception e) {
                throw invariantBroke(inv, e);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvariantViolationException(violations, outcome);
        }
        return outcome;
    }

    private static ScenarioException invariantBroke(Invariant inv, Exception e) {
        PgError err = PgError.classify(e).orElse(null);
        return new ScenarioException("invariant '" + inv.name() + "' could not be checked: "
                + (err != null ? err.toString() : e.toString()) + ". Fix its SQL or its code.", err, e);
    }

    private static StepResult result(String step, int session, long t0, boolean committed, @Nullable Throwable failure) {
        return result(step, session, t0, committed, failure, List.of());
    }

    private static StepResult result(String step, int session, long t0, boolean committed, @Nullable Throwable failure,
                                     List<PgError> retried) {
        Duration d = Duration.ofNanos(System.nanoTime() - t0);
        PgError err = failure == null ? null : PgError.classify(failure).orElse(null);
        return new StepResult(step, session, committed && failure == null, err, failure, d, retried);
    }

    /** Whether a failed attempt is tried again (its error then goes to {@code retried}); sleeps the backoff. */
    private static boolean retrying(Retry retry, int attempt, Throwable failure, List<PgError> retried) {
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
    private static StepResult runInSavepoint(TryState st, Connection main, TxStep t) {
        long t0 = System.nanoTime();
        Throwable failure = null;
        try (Statement s = main.createStatement()) {
            s.execute("SAVEPOINT pgprop_step");
            try {
                t.action().run(new Tx(st.pool().handle(main), 0));
            } catch (Throwable e) {
                failure = e;
            }
            s.execute("ROLLBACK TO SAVEPOINT pgprop_step");
        } catch (SQLException e) {
            failure = failure == null ? e : failure;
        }
        return result(t.name(), 0, t0, false, failure);
    }

    private static StepResult runInTransaction(TryState st, Connection c, TxStep t, Retry retry) {
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
                        t.action().run(new Tx(st.pool().handle(c), 0, attempt));
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

    private static StepResult runOnHandle(TryState st, Connection c, HandleStep h) {
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

    private static List<StepResult> runConcurrently(TryState st, ConcurrentStep step, Retry retry) {
        int n = step.sessions();
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
                        step.action().run(new Tx(st.pool().handle(c), session, attempt));
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
                        if (!retrying(retry, attempt, e, retried)) {
                            break;
                        }
                    }
                }
                return result(step.name(), session, t0, committed, failure, retried);
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

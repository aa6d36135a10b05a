package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome;

import com.pgvector.PGvector;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.InterleavingOutcome.SessionOutcome;
import dev.pgprop.dsl.InterleavingOutcome.SessionStatus;
import dev.pgprop.dsl.InterleavingOutcome.Status;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.Scenario;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.Tx;
import dev.pgprop.dsl.internal.Rows;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The step scheduler behind {@link Scenario#whenInterleaved}: one thread and connection per
 * session, one step in flight at a time unless earlier ones are blocked on locks, blocked steps
 * detected from pg_stat_activity / pg_blocking_pids of the session's backend.
 */
final class InterleavingRunner {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgprop-interleaving");
        t.setDaemon(true);
        return t;
    });
    /** No step finished and no new block was seen for this long: the interleaving is stuck. */
    static final Duration STALL = Duration.ofSeconds(90);
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final String MONITOR_SQL = "SELECT pid, wait_event_type, wait_event, pg_blocking_pids(pid)"
            + " FROM pg_stat_activity WHERE pid = ANY (?)";

    private final TryState st;
    private final Interleaving spec;
    private final List<SessionRun> sessions = new ArrayList<>();
    private final Map<String, SessionRun> byName = new HashMap<>();
    private final Map<Integer, String> namesByPid = new HashMap<>();
    private final List<StepRun> runs = new ArrayList<>();
    private @Nullable Connection monitor;
    private long t0;
    /** Index of the step the scheduler sent last. */
    private int position = -1;

    private static final class SessionRun {
        final String name;
        final int number;
        Connection conn;
        int pid;
        Tx tx;
        CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        volatile @Nullable StepRun running;
        volatile boolean aborted;
        volatile boolean ended;
        volatile boolean rolledBack;
        volatile @Nullable StepRun failedAt;
        boolean hasSteps;

        SessionRun(String name, int number) {
            this.name = name;
            this.number = number;
        }
    }

    private static final class StepRun {
        final Interleaving.Step step;
        final SessionRun session;
        final boolean implicit;
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        // written by the session thread, read after done completes
        volatile long startNanos;
        volatile long endNanos;
        volatile Status status = Status.SKIPPED;
        volatile boolean query;
        volatile List<Row> rows = List.of();
        volatile int updateCount = -1;
        volatile @Nullable Throwable failure;
        // scheduler thread only
        boolean blocked;
        final Set<String> blockedBy = new LinkedHashSet<>();
        int completedAfter = -1;

        StepRun(Interleaving.Step step, SessionRun session, boolean implicit) {
            this.step = step;
            this.session = session;
            this.implicit = implicit;
        }
    }

    private InterleavingRunner(TryState st, Interleaving spec) {
        this.st = st;
        this.spec = spec;
    }

    static InterleavingOutcome run(TryState st, Interleaving spec) {
        return new InterleavingRunner(st, spec).run();
    }

    private InterleavingOutcome run() {
        boolean clean = false;
        try {
            open();
            t0 = System.nanoTime();
            for (Interleaving.Step step : spec.steps()) {
                submit(step, false);
                settle(false);
            }
            int next = spec.size();
            for (SessionRun s : sessions) {
                if (s.hasSteps && spec.stepsOf(s.name).stream().noneMatch(Interleaving.Step::ends)) {
                    submit(new Interleaving.Step(next++, s.name, Interleaving.Kind.COMMIT, "commit", List.of(), null), true);
                    settle(false);
                }
            }
            settle(true);
            clean = true;
            return outcome();
        } finally {
            close(clean);
        }
    }

    private void open() {
        List<String> names = spec.sessions();
        for (int i = 0; i < names.size(); i++) {
            SessionRun s = new SessionRun(names.get(i), i);
            s.hasSteps = !spec.stepsOf(s.name).isEmpty();
            sessions.add(s);
            byName.put(s.name, s);
        }
        monitor = st.borrowSession();
        for (SessionRun s : sessions) {
            s.conn = st.borrowSession();
            String doing = "opening session " + s.name;
            try {
                try (PreparedStatement ps = s.conn.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    s.pid = rs.getInt(1);
                }
                for (Map.Entry<String, String> e : spec.settings().entrySet()) {
                    doing = "setting " + e.getKey() + " = " + e.getValue() + " in session " + s.name;
                    try (PreparedStatement ps = s.conn.prepareStatement("SELECT set_config(?, ?, false)")) {
                        ps.setString(1, e.getKey());
                        ps.setString(2, e.getValue());
                        ps.execute();
                    }
                }
                doing = "starting the transaction of session " + s.name;
                s.conn.setAutoCommit(false);
                s.conn.setTransactionIsolation(spec.level(s.name).intValue());
            } catch (SQLException e) {
                PgError err = PgError.of(e);
                throw new ScenarioException("whenInterleaved: " + doing + " failed: " + err
                        + (err.hasClass(ErrorClass.INSUFFICIENT_PRIVILEGE) ? ". Some settings (deadlock_timeout) need a"
                        + " superuser; drop withSetting for this server" : ""), err, e);
            }
            s.tx = Views.tx(st.pool().handle(s.conn), s.number);
            namesByPid.put(s.pid, s.name);
        }
    }

    private void submit(Interleaving.Step step, boolean implicit) {
        SessionRun s = byName.get(step.session());
        StepRun r = new StepRun(step, s, implicit);
        runs.add(r);
        position = step.index();
        r.done = s.tail.thenRunAsync(() -> execute(r), THREADS);
        s.tail = r.done;
    }

    /** Runs on the session's thread; never throws. */
    private void execute(StepRun r) {
        SessionRun s = r.session;
        r.startNanos = System.nanoTime();
        if (s.aborted) {
            r.status = Status.SKIPPED;
            r.endNanos = r.startNanos;
            return;
        }
        s.running = r;
        try {
            Interleaving.Step step = r.step;
            switch (step.kind()) {
                case SQL -> {
                    Executed e = executeSql(s.conn, step);
                    r.query = e.query();
                    r.rows = e.rows();
                    r.updateCount = e.updateCount();
                }
                case ACTION -> step.action().run(s.tx);
                case COMMIT -> {
                    s.conn.commit();
                    s.ended = true;
                }
                case ROLLBACK -> {
                    s.conn.rollback();
                    s.ended = true;
                    s.rolledBack = true;
                }
            }
            r.status = Status.DONE;
        } catch (Throwable e) {
            r.status = Status.FAILED;
            r.failure = e;
            s.failedAt = r;
            s.aborted = true;
            try {
                // PostgreSQL released the transaction's locks with the error; this ends the aborted block
                s.conn.rollback();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is gone; the failure says why
            }
        } finally {
            r.endNanos = System.nanoTime();
            s.running = null;
        }
    }

    /** What one SQL step returned: its rows when it was a query, else its update count. */
    record Executed(boolean query, List<Row> rows, int updateCount) {}

    /** Runs one SQL step on {@code c}, in whatever transaction {@code c} is in (also the serial replays' way). */
    static Executed executeSql(Connection c, Interleaving.Step step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(step.text())) {
            for (int i = 0; i < step.args().size(); i++) {
                Object a = step.args().get(i);
                ps.setObject(i + 1, a instanceof float[] f ? new PGvector(f) : a);
            }
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    return new Executed(true, Rows.all(rs), -1);
                }
            }
            return new Executed(false, List.of(), ps.getUpdateCount());
        }
    }

    private void collectFinished() {
        for (StepRun r : runs) {
            if (r.completedAfter < 0 && r.done.isDone()) {
                r.completedAfter = position;
            }
        }
    }

    private List<SessionRun> busySessions() {
        List<SessionRun> busy = new ArrayList<>();
        for (SessionRun s : sessions) {
            if (!s.tail.isDone()) {
                busy.add(s);
            }
        }
        return busy;
    }

    /**
     * Waits until every session is idle or waits on a lock ({@code untilDone}: until every
     * session is idle), recording which steps were seen blocked and on whom.
     */
    private void settle(boolean untilDone) {
        long deadline = System.nanoTime() + STALL.toNanos();
        long poll = FIRST_POLL_NANOS;
        int finished = countFinished();
        boolean first = true;
        while (true) {
            collectFinished();
            List<SessionRun> busy = busySessions();
            if (busy.isEmpty()) {
                return;
            }
            if (first) {
                // most steps finish within a round trip: give them one before asking pg_stat_activity
                first = false;
                waitForAny(busy, poll);
                continue;
            }
            int nowFinished = countFinished();
            boolean progress = nowFinished > finished;
            finished = nowFinished;
            ObservedBlocks seen = observe(busy);
            if (seen.newlyBlocked || progress) {
                deadline = System.nanoTime() + STALL.toNanos();
            }
            if (seen.allBlocked && !untilDone) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ScenarioException("whenInterleaved: no step finished or blocked for " + STALL.toSeconds()
                        + " s; still running: " + describeBusy(busy) + ". Is a step waiting for something other than a lock"
                        + " of another session?", null, null);
            }
            waitForAny(busy, poll);
            poll = Math.min(poll * 2, MAX_POLL_NANOS);
        }
    }

    private int countFinished() {
        int n = 0;
        for (StepRun r : runs) {
            if (r.done.isDone()) {
                n++;
            }
        }
        return n;
    }

    private record ObservedBlocks(boolean allBlocked, boolean newlyBlocked) {}

    private record Activity(@Nullable String waitEventType, @Nullable String waitEvent, List<Integer> blockers) {}

    private ObservedBlocks observe(List<SessionRun> busy) {
        Map<SessionRun, StepRun> running = new HashMap<>();
        boolean allRunning = true;
        for (SessionRun s : busy) {
            StepRun r = s.running;
            if (r == null) {
                allRunning = false;
            } else {
                running.put(s, r);
            }
        }
        if (running.isEmpty()) {
            return new ObservedBlocks(false, false);
        }
        Map<Integer, Activity> activity = activity(running.keySet().stream().map(s -> s.pid).toList());
        boolean allBlocked = allRunning;
        boolean newly = false;
        for (Map.Entry<SessionRun, StepRun> e : running.entrySet()) {
            SessionRun s = e.getKey();
            StepRun r = e.getValue();
            Activity a = activity.get(s.pid);
            boolean blocked = a != null && "Lock".equals(a.waitEventType()) && !a.blockers().isEmpty();
            // the same step still running after the query: the observation is about this step
            if (blocked && s.running == r && !r.done.isDone()) {
                if (!r.blocked) {
                    newly = true;
                }
                r.blocked = true;
                for (int pid : a.blockers()) {
                    r.blockedBy.add(namesByPid.getOrDefault(pid, "pid " + pid));
                }
            } else {
                allBlocked = false;
            }
        }
        return new ObservedBlocks(allBlocked, newly);
    }

    private Map<Integer, Activity> activity(List<Integer> pids) {
        Map<Integer, Activity> out = new HashMap<>();
        Connection m = monitor;
        try (PreparedStatement ps = m.prepareStatement(MONITOR_SQL)) {
            ps.setArray(1, m.createArrayOf("int4", pids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array arr = rs.getArray(4);
                    List<Integer> blockers = new ArrayList<>();
                    if (arr != null) {
                        for (Object o : (Object[]) arr.getArray()) {
                            blockers.add(((Number) o).intValue());
                        }
                    }
                    out.put(rs.getInt(1), new Activity(rs.getString(2), rs.getString(3), blockers));
                }
            }
        } catch (SQLException e) {
            throw new ScenarioException("whenInterleaved: reading pg_stat_activity failed: " + PgError.of(e), PgError.of(e), e);
        }
        return out;
    }

    private String describeBusy(List<SessionRun> busy) {
        Map<Integer, Activity> activity = activity(busy.stream().map(s -> s.pid).toList());
        List<String> out = new ArrayList<>();
        for (SessionRun s : busy) {
            StepRun r = s.running;
            Activity a = activity.get(s.pid);
            out.add(s.name + (r == null ? " (between steps)" : " #" + r.step.index() + " " + r.step.describe())
                    + (a == null ? "" : " waiting on " + a.waitEventType() + "/" + a.waitEvent()));
        }
        return String.join("; ", out);
    }

    private static void waitForAny(List<SessionRun> busy, long nanos) {
        CompletableFuture<?>[] fs = busy.stream().map(s -> s.tail).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.anyOf(fs).get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // poll again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioException("whenInterleaved was interrupted", null, e);
        }
    }

    private Duration since(long nanos) {
        return Duration.ofNanos(Math.max(0, nanos - t0));
    }

    private InterleavingOutcome outcome() {
        List<StepOutcome> steps = new ArrayList<>();
        for (StepRun r : runs) {
            Throwable f = r.failure;
            steps.add(new StepOutcome(r.step.index(), r.step.session(), r.step.kind(), r.step.text(), r.status, r.query,
                    r.rows, r.updateCount, f == null ? null : PgError.classify(f).orElse(null), f, r.blocked,
                    new ArrayList<>(r.blockedBy), r.completedAfter, since(r.startNanos), since(r.endNanos), r.implicit));
        }
        List<SessionOutcome> out = new ArrayList<>();
        for (SessionRun s : sessions) {
            StepRun failed = s.failedAt;
            SessionStatus status = failed != null ? SessionStatus.FAILED : s.rolledBack ? SessionStatus.ROLLED_BACK
                    : SessionStatus.COMMITTED;
            Throwable f = failed == null ? null : failed.failure;
            out.add(new SessionOutcome(s.name, s.number, spec.level(s.name), status,
                    f == null ? null : PgError.classify(f).orElse(null), f, failed == null ? -1 : failed.step.index()));
        }
        return new InterleavingOutcome(spec, steps, out);
    }

    private void close(boolean clean) {
        if (!clean) {
            // stop what still runs, so that the sessions can be given back
            List<SessionRun> busy = busySessions();
            if (!busy.isEmpty() && monitor != null) {
                try (PreparedStatement ps = monitor.prepareStatement("SELECT pg_cancel_backend(pid) FROM unnest(?::int[]) pid")) {
                    ps.setArray(1, monitor.createArrayOf("int4", busy.stream().map(s -> s.pid).toArray()));
                    ps.execute();
                } catch (SQLException ignored) {
                    // closing the connections below ends them anyway
                }
                for (SessionRun s : busy) {
                    try {
                        s.tail.get(10, TimeUnit.SECONDS);
                    } catch (Exception ignored) {
                        // released as not reusable below
                    }
                }
            }
        }
        for (SessionRun s : sessions) {
            if (s.conn != null) {
                st.releaseSession(s.conn, s.tail.isDone());
            }
        }
        if (monitor != null) {
            st.releaseSession(monitor, true);
        }
    }
}

package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.concurrency.IsolationRun;
import dev.pgprop.dsl.concurrency.IsolationSpec;
import dev.pgprop.dsl.concurrency.IsolationSpecException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs permutations of a spec as isolationtester does, and prints what it prints. One connection
 * per session (autocommit; a step's SQL is sent whole, its statements' results printed in order)
 * plus a control connection for the setup, the teardown and the lock-wait probe. A step sent is
 * given 10 ms; then, if {@code pg_isolation_test_session_is_blocked} says its backend waits for
 * another session, it is reported {@code <waiting ...>} and the next step is sent; a waiting step
 * is reported {@code <... completed>} when it finishes and its blocker markers allow. Where the
 * tester would hang (a step blocked by a session that has no step left to run) the waiting steps
 * are canceled and the permutation is reported incomplete.
 */
public final class SpecRunner implements AutoCloseable {
    /** Where the runner gets its connections: a try's database, or a plain one. */
    public interface Connections {
        Connection open();

        void close(Connection c);
    }

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgprop-isolation-session");
        t.setDaemon(true);
        return t;
    });
    private static final int NONBLOCK = 1;
    private static final int RETRY = 2;
    private static final long POLL_MS = 10;
    /** A step still running after this long is canceled, as the tester does after its step timeout. */
    private static final long MAX_STEP_WAIT_MS = TimeUnit.SECONDS.toMillis(120);
    /** Blocked by idle sessions for this long: nothing can release it. */
    private static final long STUCK_MS = 300;

    private final IsolationSpec spec;
    private final Connections connections;
    private final Connection control;
    private final List<SessionConn> sessions = new ArrayList<>();
    private final Map<String, SessionConn> byStep = new HashMap<>();
    private final Map<Integer, String> namesByPid = new HashMap<>();
    private final Integer[] pids;
    private StringBuilder out = new StringBuilder();
    private final boolean defer;
    private boolean deferred;

    private static final class SessionConn {
        final IsolationSpec.Session session;
        final Connection conn;
        final int pid;
        @Nullable Exec active;
        int totalNotices;

        SessionConn(IsolationSpec.Session session, Connection conn, int pid) {
            this.session = session;
            this.conn = conn;
            this.pid = pid;
        }
    }

    private record Done(List<IsolationRun.Table> tables, @Nullable SQLException error, List<String> notices) {}

    private static final class Exec {
        final int index;
        final IsolationSpec.PermutationStep pstep;
        final IsolationSpec.Step step;
        final SessionConn session;
        final Future<Done> future;
        final Map<IsolationSpec.Blocker, Integer> targetNotices = new HashMap<>();
        boolean waited;
        final Set<String> blockedBy = new LinkedHashSet<>();
        @Nullable Done done;
        boolean canceled;

        Exec(int index, IsolationSpec.PermutationStep pstep, IsolationSpec.Step step, SessionConn session, Future<Done> future) {
            this.index = index;
            this.pstep = pstep;
            this.step = step;
            this.session = session;
            this.future = future;
        }
    }

    public SpecRunner(IsolationSpec spec, Connections connections) {
        this(spec, connections, false);
    }

    /**
     * {@code defer}: where the tester would hang because the next step's session waits for a lock
     * of a session that runs nothing, send the first later step of an idle session first (random
     * permutations do not know which steps block). The outcome lists the steps in the order sent.
     */
    public SpecRunner(IsolationSpec spec, Connections connections, boolean defer) {
        this.defer = defer;
        this.spec = spec;
        this.connections = connections;
        this.control = connections.open();
        try {
            prepare(control);
            for (IsolationSpec.Session s : spec.sessions()) {
                Connection c = connections.open();
                prepare(c);
                int pid;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
                SessionConn sc = new SessionConn(s, c, pid);
                sessions.add(sc);
                namesByPid.put(pid, s.name());
                for (IsolationSpec.Step st : s.steps()) {
                    byStep.put(st.name(), sc);
                }
            }
        } catch (SQLException e) {
            close();
            throw new IsolationSpecException(spec.name(), 0, "cannot open the sessions: " + PgError.of(e), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        pids = sessions.stream().map(s -> s.pid).toArray(Integer[]::new);
    }

    private static void prepare(Connection c) throws SQLException {
        c.setAutoCommit(true);
        PGConnection pg = c.unwrap(PGConnection.class);
        pg.setPrepareThreshold(0); // text results, as libpq gets them
    }

    /**
     * Runs one permutation and returns its outcome; each of {@code stateQueries} is queried on the
     * control connection after the session teardowns and before the spec's teardown.
     */
    public IsolationRun.PermutationOutcome run(IsolationSpec.Permutation permutation, List<String> stateQueries) {
        out = new StringBuilder();
        deferred = false;
        out.append("\nstarting permutation:");
        permutation.steps().forEach(s -> out.append(' ').append(s.step()));
        out.append('\n');
        for (String sql : spec.setups()) {
            Done d = execute(control, sql);
            if (d.error() != null) {
                throw new IsolationSpecException(spec.name(), 0, "setup failed: " + PgError.of(d.error()) + "\nSQL: " + sql,
                        d.error());
            }
            d.tables().forEach(t -> out.append(ResultTable.format(t)));
        }
        for (SessionConn s : sessions) {
            String setup = s.session.setup();
            if (setup != null) {
                Done d = execute(s.conn, setup);
                if (d.error() != null) {
                    throw new IsolationSpecException(spec.name(), 0, "setup of session " + s.session.name() + " failed: "
                            + PgError.of(d.error()), d.error());
                }
                d.tables().forEach(t -> out.append(ResultTable.format(t)));
            }
        }
        List<Exec> all = new ArrayList<>();
        List<Exec> waiting = new ArrayList<>();
        boolean completed = true;
        try {
            List<IsolationSpec.PermutationStep> remaining = new ArrayList<>(permutation.steps());
            for (int i = 0; !remaining.isEmpty(); i++) {
                IsolationSpec.PermutationStep ps = remaining.get(0);
                SessionConn s = byStep.get(ps.step());
                long start = System.nanoTime();
                while (s.active != null) {
                    Exec old = s.active;
                    boolean notDone;
                    try {
                        notDone = completeBlocking(old);
                    } catch (Stuck stuck) {
                        int j = deferTo(remaining);
                        if (j < 0) {
                            throw stuck;
                        }
                        remaining.add(0, remaining.remove(j));
                        ps = remaining.get(0);
                        s = byStep.get(ps.step());
                        continue;
                    }
                    if (!notDone) {
                        waiting.remove(old);
                    }
                    tryCompleteAll(waiting, NONBLOCK | RETRY);
                    if (s.active != null && elapsedMs(start) > 2 * MAX_STEP_WAIT_MS) {
                        throw new Stuck();
                    }
                }
                remaining.remove(0);
                IsolationSpec.Step step = spec.step(ps.step());
                SessionConn sc = s;
                Future<Done> f = THREADS.submit(() -> execute(sc.conn, step.sql()));
                Exec e = new Exec(i, ps, step, s, f);
                all.add(e);
                s.active = e;
                for (IsolationSpec.Blocker b : ps.blockers()) {
                    if (b.kind() == IsolationSpec.Blocker.Kind.NOTICES) {
                        e.targetNotices.put(b, b.notices() + byStep.get(b.step()).totalNotices);
                    }
                }
                boolean mustWait = tryComplete(e, NONBLOCK, -1);
                tryCompleteAll(waiting, NONBLOCK | RETRY);
                if (mustWait) {
                    waiting.add(e);
                }
            }
            boolean again;
            do {
                int before = waiting.size();
                boolean haveBlocker = false;
                for (Exec w : new ArrayList<>(waiting)) {
                    if (completeBlocking(w)) {
                        haveBlocker |= !w.pstep.blockers().isEmpty();
                    } else {
                        waiting.remove(w);
                    }
                }
                again = haveBlocker && waiting.size() < before;
            } while (again);
            if (!waiting.isEmpty()) {
                throw new Stuck();
            }
        } catch (Stuck st) {
            completed = false;
            cancelAll(all);
            out.append("failed to complete permutation due to mutually-blocking steps\n");
        }
        for (SessionConn s : sessions) {
            String teardown = s.session.teardown();
            if (teardown != null) {
                Done d = execute(s.conn, teardown);
                d.tables().forEach(t -> out.append(ResultTable.format(t)));
            }
        }
        List<String> rolledBack = new ArrayList<>();
        for (SessionConn s : sessions) {
            if (inTransaction(s.conn)) {
                rolledBack.add(s.session.name());
                execute(s.conn, "ROLLBACK");
            }
        }
        Map<String, IsolationRun.Table> states = new java.util.LinkedHashMap<>();
        for (String q : stateQueries) {
            Done d = execute(control, q);
            if (d.error() != null) {
                throw new IsolationSpecException(spec.name(), 0, "the state query failed: " + PgError.of(d.error())
                        + "\nSQL: " + q, d.error());
            }
            states.put(q, d.tables().isEmpty() ? new IsolationRun.Table(List.of(), List.of()) : d.tables().get(d.tables().size() - 1));
        }
        if (spec.teardown() != null) {
            Done d = execute(control, spec.teardown());
            d.tables().forEach(t -> out.append(ResultTable.format(t)));
        }
        List<IsolationRun.StepOutcome> steps = new ArrayList<>();
        for (Exec e : all) {
            Done d = e.done;
            SQLException err = d == null ? null : d.error();
            steps.add(new IsolationRun.StepOutcome(e.index, e.step.name(), e.session.session.name(), e.step.sql(), e.waited,
                    List.copyOf(e.blockedBy), d == null ? List.of() : d.tables(), err == null ? null : PgError.of(err),
                    err == null ? (e.canceled ? "canceled" : null) : errorLine(err), d == null ? List.of() : d.notices(),
                    !e.canceled));
        }
        IsolationSpec.Permutation ran = deferred ? new IsolationSpec.Permutation(all.stream().map(e -> e.pstep).toList()) : permutation;
        return new IsolationRun.PermutationOutcome(permutation, ran, steps, out.toString(), completed, rolledBack, states);
    }

    /**
     * When deferring: the first later step of a session that runs nothing, to send before the
     * head, whose session waits for a lock held by a session with no step running; -1 if none.
     */
    private int deferTo(List<IsolationSpec.PermutationStep> remaining) {
        if (!defer) {
            return -1;
        }
        for (int j = 1; j < remaining.size(); j++) {
            if (byStep.get(remaining.get(j).step()).active == null) {
                deferred = true;
                return j;
            }
        }
        return -1;
    }

    private static final class Stuck extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stuck() {
            super(null, null, false, false);
        }
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * The tester's blocking wait (try_complete_step with RETRY only): waits until the step's
     * statement is done, then reports it unless a marker holds it (true). Gives up, as stuck, when
     * every running step waits for sessions that run nothing.
     */
    private boolean completeBlocking(Exec e) {
        int slices = 0;
        long start = System.nanoTime();
        while (true) {
            boolean notDone = tryComplete(e, RETRY, POLL_MS);
            if (!notDone || e.done != null) {
                return notDone;
            }
            if (++slices % 10 == 0 && stuck()) {
                throw new Stuck();
            }
            if (elapsedMs(start) > 2 * MAX_STEP_WAIT_MS) {
                throw new Stuck();
            }
        }
    }

    /** Polls the waiting steps until a pass completes none (or none waits on a marker). */
    private void tryCompleteAll(List<Exec> waiting, int flags) {
        boolean again;
        do {
            int before = waiting.size();
            boolean haveBlocker = false;
            for (Exec w : new ArrayList<>(waiting)) {
                if (tryComplete(w, flags, -1)) {
                    if (!w.pstep.blockers().isEmpty()) {
                        haveBlocker = true;
                    }
                } else {
                    waiting.remove(w);
                }
            }
            again = haveBlocker && waiting.size() < before;
        } while (again);
    }

    /**
     * The tester's try_complete_step. Returns true when the step is not complete: it waits on a
     * lock (only with NONBLOCK) or a marker holds it. {@code sliceMs} >= 0 bounds a RETRY wait
     * without NONBLOCK, so that the caller can poll others and detect a stuck permutation.
     */
    private boolean tryComplete(Exec e, int flags, long sliceMs) {
        if ((flags & RETRY) == 0) {
            for (IsolationSpec.Blocker b : e.pstep.blockers()) {
                if (b.kind() == IsolationSpec.Blocker.Kind.ONCE) {
                    printWaiting(e);
                    return true;
                }
            }
        }
        long start = System.nanoTime();
        boolean canceled = false;
        while (e.done == null) {
            try {
                e.done = e.future.get(POLL_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException t) {
                if ((flags & NONBLOCK) != 0 && blocked(e)) {
                    if (e.future.isDone()) {
                        continue;
                    }
                    if ((flags & RETRY) == 0) {
                        printWaiting(e);
                    }
                    return true;
                }
                long ms = elapsedMs(start);
                if ((flags & NONBLOCK) == 0 && sliceMs >= 0 && ms >= sliceMs) {
                    return true;
                }
                if (ms > MAX_STEP_WAIT_MS && !canceled) {
                    out.append("isolationtester: canceling step ").append(e.step.name()).append(" after ")
                            .append(ms / 1000).append(" seconds\n");
                    cancel(List.of(e.session.pid));
                    canceled = true;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IsolationSpecException(spec.name(), 0, "interrupted while step " + e.step.name() + " ran", ie);
            } catch (ExecutionException ee) {
                throw new IsolationSpecException(spec.name(), 0, "step " + e.step.name() + " failed in the runner: "
                        + ee.getCause(), ee.getCause());
            }
        }
        if (hasBlocker(e)) {
            if ((flags & RETRY) == 0) {
                printWaiting(e);
            }
            return true;
        }
        Done d = e.done;
        e.session.totalNotices += d.notices().size();
        for (String n : d.notices()) {
            out.append(e.session.session.name()).append(": ").append(n);
        }
        if ((flags & RETRY) != 0) {
            out.append("step ").append(e.step.name()).append(": <... completed>\n");
        } else {
            out.append("step ").append(e.step.name()).append(": ").append(e.step.sql()).append('\n');
        }
        d.tables().forEach(t -> out.append(ResultTable.format(t)));
        if (d.error() != null) {
            out.append(errorLine(d.error())).append('\n');
        }
        e.session.active = null;
        return false;
    }

    private void printWaiting(Exec e) {
        e.waited = true;
        out.append("step ").append(e.step.name()).append(": ").append(e.step.sql()).append(" <waiting ...>\n");
    }

    private boolean hasBlocker(Exec e) {
        for (IsolationSpec.Blocker b : e.pstep.blockers()) {
            switch (b.kind()) {
                case ONCE -> { }
                case STEP -> {
                    Exec a = byStep.get(b.step()).active;
                    if (a != null && a.step.name().equals(b.step())) {
                        return true;
                    }
                }
                case NOTICES -> {
                    if (byStep.get(b.step()).totalNotices < e.targetNotices.getOrDefault(b, 0)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The tester's probe, plus who blocks: recorded on the step. */
    private boolean blocked(Exec e) {
        try (PreparedStatement ps = control.prepareStatement(
                "SELECT pg_catalog.pg_isolation_test_session_is_blocked(?, ?), pg_catalog.pg_blocking_pids(?)")) {
            ps.setInt(1, e.session.pid);
            ps.setArray(2, control.createArrayOf("int4", pids));
            ps.setInt(3, e.session.pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean blocked = rs.getBoolean(1);
                if (blocked) {
                    Array arr = rs.getArray(2);
                    if (arr != null) {
                        for (Object o : (Object[]) arr.getArray()) {
                            int pid = ((Number) o).intValue();
                            e.blockedBy.add(namesByPid.getOrDefault(pid, "pid " + pid));
                        }
                    }
                }
                return blocked;
            }
        } catch (SQLException ex) {
            throw new IsolationSpecException(spec.name(), 0, "the lock-wait probe failed: " + PgError.of(ex), ex);
        }
    }

    /**
     * Every waiting step waits for a lock held by sessions that run nothing (or none runs), and
     * has done so for a while: no later step can be sent, so nothing will release them.
     */
    private boolean stuck() {
        List<Exec> running = new ArrayList<>();
        for (SessionConn s : sessions) {
            if (s.active != null && !s.active.future.isDone()) {
                running.add(s.active);
            }
        }
        if (running.isEmpty()) {
            return false;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STUCK_MS);
        while (System.nanoTime() < deadline) {
            for (Exec r : running) {
                if (r.future.isDone() || !blocked(r) || blockedByRunning(r)) {
                    return false;
                }
            }
            sleep(POLL_MS * 3);
        }
        return true;
    }

    private boolean blockedByRunning(Exec r) {
        for (String name : r.blockedBy) {
            for (SessionConn s : sessions) {
                if (s.session.name().equals(name) && s.active != null && !s.active.future.isDone()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancelAll(List<Exec> all) {
        List<Integer> busy = new ArrayList<>();
        for (SessionConn s : sessions) {
            if (s.active != null) {
                busy.add(s.pid);
            }
        }
        cancel(busy);
        for (SessionConn s : sessions) {
            Exec a = s.active;
            if (a != null) {
                a.canceled = true;
                try {
                    a.done = a.future.get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported as canceled
                }
                s.active = null;
            }
        }
    }

    private void cancel(List<Integer> busy) {
        if (busy.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = control.prepareStatement("SELECT pg_cancel_backend(pid) FROM unnest(?::int[]) pid")) {
            ps.setArray(1, control.createArrayOf("int4", busy.toArray()));
            ps.execute();
        } catch (SQLException ignored) {
            // the step's own error says what happened
        }
    }

    private static boolean inTransaction(Connection c) {
        try {
            return c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Sends SQL whole; returns its result sets, its error and its notices. Never throws. */
    static Done execute(Connection c, String sql) {
        List<IsolationRun.Table> tables = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        SQLException error = null;
        try (Statement st = c.createStatement()) {
            try {
                boolean rs = st.execute(sql);
                while (true) {
                    if (rs) {
                        try (ResultSet r = st.getResultSet()) {
                            tables.add(ResultTable.read(r));
                        }
                    } else if (st.getUpdateCount() == -1) {
                        break;
                    }
                    rs = st.getMoreResults();
                }
            } catch (SQLException e) {
                error = e;
            }
            notices(st.getWarnings(), notices);
        } catch (SQLException e) {
            error = error == null ? e : error;
        }
        try {
            notices(c.getWarnings(), notices);
            c.clearWarnings();
        } catch (SQLException ignored) {
            // no warnings then
        }
        return new Done(tables, error, notices);
    }

    private static void notices(@Nullable SQLWarning w, List<String> into) {
        for (; w != null; w = w.getNextWarning()) {
            ServerErrorMessage m = w instanceof org.postgresql.util.PSQLWarning pw ? pw.getServerErrorMessage() : null;
            if (m == null) {
                into.add("WARNING:  " + w.getMessage() + "\n");
                continue;
            }
            StringBuilder b = new StringBuilder(m.getSeverity()).append(":  ").append(m.getMessage()).append('\n');
            if (m.getDetail() != null) {
                b.append("DETAIL:  ").append(m.getDetail()).append('\n');
            }
            if (m.getHint() != null) {
                b.append("HINT:  ").append(m.getHint()).append('\n');
            }
            into.add(b.toString());
        }
    }

    /** Severity and primary message only, as the tester prints errors. */
    static String errorLine(SQLException e) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m != null && m.getSeverity() != null && m.getMessage() != null) {
            return m.getSeverity() + ":  " + m.getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        for (SessionConn s : sessions) {
            restore(s.conn);
            connections.close(s.conn);
        }
        restore(control);
        connections.close(control);
    }

    private static void restore(Connection c) {
        try {
            c.unwrap(PGConnection.class).setPrepareThreshold(5);
        } catch (SQLException ignored) {
            // closed: nothing to restore
        }
    }
}

package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Levels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Interleaving} did, step by step and session by session: the rows each step
 * read, its update count, whether it blocked (and on which sessions) and when it completed, the
 * error with its SQLSTATE; and how each session's transaction ended.
 *
 * <pre>{@code
 * InterleavingOutcome out = db.given(twoRows).whenInterleaved(lostUpdate)
 *     .allowing(ErrorClass.SERIALIZATION_FAILURE).run().interleaving();
 * out.step(3).blocked();                      // T2's update waited for T1's row lock
 * out.step(3).blockedBy();                    // [T1]
 * out.step(3).completedAfter();               // 4: T1's commit released it
 * out.reads("T1").get(0);                     // the rows of T1's first query
 * out.sessionsFailedWith(ErrorClass.SERIALIZATION_FAILURE);   // [T2]
 * System.out.println(out);                    // the whole trace as a table
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class InterleavingOutcome {

    /**
     * How a step ended.
     *
     * <pre>{@code
     * boolean aborted = out.stepsOf("T2").stream().anyMatch(s -> s.status() == InterleavingOutcome.Status.SKIPPED);
     * }</pre>
     */
    public enum Status {
        /** It ran to the end. */
        DONE,
        /** It failed; its session's transaction was aborted. */
        FAILED,
        /** It did not run: its session's transaction had already been aborted by an earlier error. */
        SKIPPED
    }

    /**
     * How a session's transaction ended.
     *
     * <pre>{@code
     * if (out.session("T1").status() == InterleavingOutcome.SessionStatus.ROLLED_BACK) { ... }
     * }</pre>
     */
    public enum SessionStatus { COMMITTED, ROLLED_BACK, FAILED }

    /**
     * One step's outcome.
     *
     * <pre>{@code
     * StepOutcome s = out.step(1);
     * if (s.blocked()) System.out.println(s.session() + " waited for " + s.blockedBy() + " until step " + s.completedAfter());
     * s.rows();          // rows of a query
     * s.updateCount();   // rows changed by an update, -1 for a query
     * s.error();         // the classified error of a failed step
     * }</pre>
     *
     * @param index          position in the global order (implicit commits come after the given steps)
     * @param query          whether the statement returned rows (then {@code updateCount} is -1)
     * @param blocked        whether the step was seen waiting on a lock held by another session
     * @param blockedBy      the sessions it waited for ({@code pid N} for a backend outside the interleaving)
     * @param completedAfter the index of the step the scheduler had sent last when this one completed:
     *                       its own index unless it blocked
     * @param startedAt      when it was sent to the server, since the interleaving started
     * @param endedAt        when its result came back, since the interleaving started
     * @param implicit       a commit pgprop added because the session was still open after the last step
     */
    public record StepOutcome(int index, String session, Interleaving.Kind kind, String text, Status status,
                              boolean query, List<Row> rows, int updateCount, @Nullable PgError pgError,
                              @Nullable Throwable failure, boolean blocked, List<String> blockedBy, int completedAfter,
                              Duration startedAt, Duration endedAt, boolean implicit) {
        public StepOutcome {
            rows = List.copyOf(rows);
            blockedBy = List.copyOf(blockedBy);
        }

        public Optional<PgError> error() {
            return Optional.ofNullable(pgError);
        }

        /** Whether the step failed with an error of this class. */
        public boolean failedWith(ErrorClass c) {
            return status == Status.FAILED && pgError != null && pgError.hasClass(c);
        }

        /** How long the server took, blocked time included. */
        public Duration duration() {
            return endedAt.minus(startedAt);
        }

        /** What happened, as one line of the trace. */
        public String result() {
            String r = switch (status) {
                case SKIPPED -> "skipped (transaction aborted)";
                case FAILED -> pgError != null ? pgError.errorClass() + " [" + pgError.sqlState() + "] " + pgError.message()
                        : String.valueOf(failure);
                case DONE -> kind == Interleaving.Kind.COMMIT || kind == Interleaving.Kind.ROLLBACK ? "ok"
                        : query ? rows.toString() : kind == Interleaving.Kind.ACTION ? "done" : updateCount + " row(s)";
            };
            if (blocked) {
                return "blocked by " + blockedBy + ", then after #" + completedAfter + ": " + r;
            }
            return r;
        }
    }

    /**
     * How one session's transaction ended.
     *
     * <pre>{@code
     * SessionOutcome t2 = out.session("T2");
     * if (t2.status() == SessionStatus.FAILED) System.out.println("T2 failed at step " + t2.failedStep() + ": " + t2.pgError());
     * }</pre>
     *
     * @param number     position in declaration order, from 0
     * @param failedStep index of the step that failed, -1 when none did
     */
    public record SessionOutcome(String name, int number, TransactionIsolationLevel level, SessionStatus status,
                                 @Nullable PgError pgError, @Nullable Throwable failure, int failedStep) {
        public Optional<PgError> error() {
            return Optional.ofNullable(pgError);
        }

        public boolean committed() {
            return status == SessionStatus.COMMITTED;
        }

        @Override
        public String toString() {
            return name + " (" + Levels.name(level) + "): " + switch (status) {
                case COMMITTED -> "committed";
                case ROLLED_BACK -> "rolled back";
                case FAILED -> "failed at #" + failedStep + " with " + (pgError != null ? pgError.errorClass() + " ["
                        + pgError.sqlState() + "]" : String.valueOf(failure));
            };
        }
    }

    private final Interleaving interleaving;
    private final List<StepOutcome> steps;
    private final List<SessionOutcome> sessions;

    public InterleavingOutcome(Interleaving interleaving, List<StepOutcome> steps, List<SessionOutcome> sessions) {
        this.interleaving = interleaving;
        this.steps = List.copyOf(steps);
        this.sessions = List.copyOf(sessions);
    }

    /** The interleaving that ran. */
    public Interleaving interleaving() {
        return interleaving;
    }

    /** Every step in the global order, implicit commits last. */
    public List<StepOutcome> steps() {
        return steps;
    }

    /** The step at this index of the global order. */
    public StepOutcome step(int index) {
        if (index < 0 || index >= steps.size()) {
            throw new IndexOutOfBoundsException("step " + index + " does not exist; the interleaving ran steps 0 to "
                    + (steps.size() - 1));
        }
        return steps.get(index);
    }

    /** One session's steps, in order. */
    public List<StepOutcome> stepsOf(String session) {
        session(session);
        return steps.stream().filter(s -> s.session().equals(session)).toList();
    }

    /** The rows of each query one session ran successfully, in order. */
    public List<List<Row>> reads(String session) {
        List<List<Row>> out = new ArrayList<>();
        for (StepOutcome s : stepsOf(session)) {
            if (s.status() == Status.DONE && s.query()) {
                out.add(s.rows());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Every session, in declaration order. */
    public List<SessionOutcome> sessions() {
        return sessions;
    }

    public SessionOutcome session(String name) {
        Objects.requireNonNull(name, "name");
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no session '" + name + "' in this interleaving; its sessions are "
                        + sessions.stream().map(SessionOutcome::name).toList()));
    }

    /** Whether the session's transaction committed. */
    public boolean committed(String session) {
        return session(session).committed();
    }

    /** The sessions whose transaction committed, in declaration order. */
    public List<String> committedSessions() {
        return sessions.stream().filter(SessionOutcome::committed).map(SessionOutcome::name).toList();
    }

    /** The sessions whose transaction failed with an error of this class: {@code sessionsFailedWith(DEADLOCK)}. */
    public List<String> sessionsFailedWith(ErrorClass c) {
        return sessions.stream().filter(s -> s.status() == SessionStatus.FAILED && s.pgError() != null
                && s.pgError().hasClass(c)).map(SessionOutcome::name).toList();
    }

    /** The steps that were seen blocked on another session's lock. */
    public List<StepOutcome> blockedSteps() {
        return steps.stream().filter(StepOutcome::blocked).toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        int width = 0;
        for (StepOutcome s : steps) {
            width = Math.max(width, Math.min(70, s.session().length() + 2 + describe(s).length()));
        }
        for (StepOutcome s : steps) {
            String left = s.session() + ": " + describe(s);
            if (left.length() > 70) {
                left = left.substring(0, 67) + "...";
            }
            b.append(String.format("  #%-3d %-" + width + "s -> %s%n", s.index(), left, s.result()));
        }
        b.append("  sessions: ").append(String.join("; ", sessions.stream().map(SessionOutcome::toString).toList()));
        return b.toString();
    }

    private String describe(StepOutcome s) {
        String d = s.index() < interleaving.size() ? interleaving.steps().get(s.index()).describe() : s.text();
        return s.implicit() ? d + " (implicit)" : d;
    }
}

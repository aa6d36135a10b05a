package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Levels;
import dev.pgprop.dsl.internal.engine.ScenarioRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * A given/when/then scenario: a dataset, the actions under test, and the invariants that must
 * hold afterwards. An immutable description ({@link #spec()}: records of the dataset, the steps
 * and the allowed errors): every method returns a new scenario; nothing runs until {@link #then}
 * or {@link #run}, which hand the description to the engine.
 *
 * <pre>{@code
 * db.given(dataset)
 *   .whenConcurrently(2, tx -> tx.call("allocate", "SKU-000001", 1))
 *   .allowing(ErrorClass.RAISED)
 *   .then(noRows("select * from inventory where allocated > on_hand"), constraintsHold());
 *
 * db.given(dataset)
 *   .whenCommitted(tx -> tx.execute("delete from payments")).withRole(Role.named("anon")).atLevel(SERIALIZABLE)
 *   .then(rejectedWith("42501"));
 * }</pre>
 *
 * <p>A step runs at READ COMMITTED as the session's user; {@link #atLevel} and {@link #withRole}
 * change the step declared last.
 *
 * <p>How the try stays clean follows from what the scenario does (see {@link Isolation}): only
 * rolled-back single transactions run inside one rolled-back try transaction; a scenario that
 * commits or uses several sessions commits for real and is cleaned by delete.
 *
 * <p>Concurrency comes in two kinds: {@link #whenConcurrently} releases sessions together and lets
 * the server schedule them; {@link #whenInterleaved} runs named sessions statement by statement
 * in a given order, detecting steps that block on locks (see {@link Interleaving}).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Scenario {
    private final Db db;
    private final Spec spec;

    /** One step of the "when" part. */
    public sealed interface Step permits Transaction, Concurrent, OnHandle, Interleaved {
        /** How the step is named in outcomes and messages, such as {@code whenCommitted(read committed)}. */
        String name();
    }

    /**
     * One transaction, committed or rolled back, at {@code level}, as {@code role} when not null.
     */
    public record Transaction(boolean commit, TransactionIsolationLevel level, @Nullable Role role, Action action)
            implements Step {
        public Transaction {
            Levels.requireRunnable(level);
            Objects.requireNonNull(action, "action");
        }

        @Override
        public String name() {
            return (commit ? "whenCommitted" : "whenRolledBack") + (role == null ? "(" : "As(" + role + ", ")
                    + Levels.name(level) + ")";
        }
    }

    /** {@code sessions} transactions released together, each at {@code level}, as {@code role} when not null. */
    public record Concurrent(int sessions, TransactionIsolationLevel level, @Nullable Role role, Action action)
            implements Step {
        public Concurrent {
            if (sessions < 1 || sessions > 64) {
                throw new IllegalArgumentException("whenConcurrently needs 1 to 64 sessions, got " + sessions);
            }
            Levels.requireRunnable(level);
            Objects.requireNonNull(action, "action");
        }

        @Override
        public String name() {
            return "whenConcurrently(" + sessions + ", " + (role == null ? "" : role + ", ") + Levels.name(level) + ")";
        }
    }

    /** Actions on a plain JDBI handle in autocommit mode. */
    public record OnHandle(HandleAction action) implements Step {
        public OnHandle {
            Objects.requireNonNull(action, "action");
        }

        @Override
        public String name() {
            return "whenHandle";
        }
    }

    /** Named sessions stepped statement by statement. */
    public record Interleaved(Interleaving interleaving) implements Step {
        public Interleaved {
            Objects.requireNonNull(interleaving, "interleaving");
            if (interleaving.size() == 0) {
                throw new IllegalArgumentException("whenInterleaved needs an interleaving with at least one step; add steps"
                        + " with .step(session, sql)");
            }
        }

        @Override
        public String name() {
            return "whenInterleaved";
        }
    }

    /**
     * What a scenario is: the dataset given, the steps in order, the error classes expected of
     * them, and the retry policy of its transactions.
     */
    public record Spec(Dataset given, List<Step> steps, Set<ErrorClass> allowed, Retry retry) {
        public Spec {
            Objects.requireNonNull(given, "given");
            steps = List.copyOf(steps);
            allowed = Set.copyOf(allowed);
            Objects.requireNonNull(retry, "retry");
        }
    }

    private Scenario(Db db, Spec spec) {
        this.db = db;
        this.spec = spec;
    }

    static Scenario of(Db db, Dataset given) {
        return new Scenario(db, new Spec(given, List.of(), Set.of(), Retry.none()));
    }

    /** The description the engine runs. */
    public Spec spec() {
        return spec;
    }

    private Scenario with(Spec s) {
        return new Scenario(db, s);
    }

    private Scenario plus(Step step) {
        List<Step> s = new ArrayList<>(spec.steps());
        s.add(step);
        return with(new Spec(spec.given(), s, spec.allowed(), spec.retry()));
    }

    private Scenario replaceLast(String modifier, java.util.function.UnaryOperator<Step> change) {
        List<Step> s = new ArrayList<>(spec.steps());
        if (s.isEmpty()) {
            throw new IllegalStateException(modifier + " changes the step declared before it, and there is none; declare"
                    + " a step first: whenCommitted(tx -> ...)." + modifier);
        }
        s.set(s.size() - 1, change.apply(s.get(s.size() - 1)));
        return with(new Spec(spec.given(), s, spec.allowed(), spec.retry()));
    }

    /** More data, loaded with the rest (foreign-key order across both). */
    public Scenario given(Dataset more) {
        Objects.requireNonNull(more, "dataset");
        return with(new Spec(spec.given().plus(more), spec.steps(), spec.allowed(), spec.retry()));
    }

    /** Runs the actions in one transaction (READ COMMITTED unless {@link #atLevel}) and commits it. */
    public Scenario whenCommitted(Action action) {
        return plus(new Transaction(true, TransactionIsolationLevel.READ_COMMITTED, null, action));
    }

    /** Runs the actions in one transaction (READ COMMITTED unless {@link #atLevel}) and rolls it back. */
    public Scenario whenRolledBack(Action action) {
        return plus(new Transaction(false, TransactionIsolationLevel.READ_COMMITTED, null, action));
    }

    /**
     * Shorthand for {@code whenCommitted(action).withRole(role)}: the actions run as {@code role}
     * with its request claims, and commit. What the role may not do fails with {@link
     * ErrorClass#INSUFFICIENT_PRIVILEGE}; expect it with {@code allowing(...)} or {@code rejectedWith(...)}.
     *
     * <pre>{@code
     * db.given(data)
     *   .whenCommittedAs(Role.named("anon"), tx -> tx.execute("delete from payments"))
     *   .then(rejectedWith("42501"), Invariants.noTrace());
     * }</pre>
     */
    public Scenario whenCommittedAs(Role role, Action action) {
        return whenCommitted(action).withRole(role);
    }

    /**
     * Shorthand for {@code whenRolledBack(action).withRole(role)}: {@code
     * db.given(d).whenRolledBackAs(alice, tx -> seen.addAll(tx.query(sql)))}.
     */
    public Scenario whenRolledBackAs(Role role, Action action) {
        return whenRolledBack(action).withRole(role);
    }

    /**
     * Runs the actions in {@code sessions} concurrent sessions, each its own transaction (READ
     * COMMITTED unless {@link #atLevel}), released together and committed; {@link Tx#session()}
     * tells them apart.
     */
    public Scenario whenConcurrently(int sessions, Action action) {
        return plus(new Concurrent(sessions, TransactionIsolationLevel.READ_COMMITTED, null, action));
    }

    /** Runs the actions on a plain JDBI handle in autocommit mode (they commit). */
    public Scenario whenHandle(HandleAction action) {
        return plus(new OnHandle(action));
    }

    /**
     * Runs named sessions statement by statement in the interleaving's order, each its own
     * transaction; {@link Outcome#interleaving()} has every step's rows, blocks and errors. A
     * session that fails with an error its class does not allow fails the scenario, as in the
     * other steps: allow what the interleaving may meet ({@code
     * allowing(ErrorClass.SERIALIZATION_FAILURE)}). The sessions' levels are the interleaving's.
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
        return plus(new Interleaved(interleaving));
    }

    /**
     * The step declared last runs its transactions at {@code level}: {@code
     * whenCommitted(tx -> ...).atLevel(SERIALIZABLE)}. For a transaction or concurrent sessions.
     */
    public Scenario atLevel(TransactionIsolationLevel level) {
        return replaceLast("atLevel(" + level + ")", step -> {
            if (step instanceof Transaction t) {
                return new Transaction(t.commit(), level, t.role(), t.action());
            }
            if (step instanceof Concurrent c) {
                return new Concurrent(c.sessions(), level, c.role(), c.action());
            }
            throw new IllegalStateException("atLevel applies to whenCommitted, whenRolledBack and whenConcurrently, not to "
                    + step.name() + (step instanceof Interleaved ? "; give the interleaving its levels (Interleaving.of(level,"
                    + " ...) or withLevel)" : ""));
        });
    }

    /**
     * The step declared last runs as {@code role} with its request claims ({@code SET LOCAL ROLE},
     * {@code request.jwt.claim.*}) in each of its transactions: {@code
     * whenRolledBack(tx -> tx.query(sql)).withRole(alice)}.
     */
    public Scenario withRole(Role role) {
        Objects.requireNonNull(role, "role");
        return replaceLast("withRole(" + role + ")", step -> {
            if (step instanceof Transaction t) {
                return new Transaction(t.commit(), t.level(), role, t.action());
            }
            if (step instanceof Concurrent c) {
                return new Concurrent(c.sessions(), c.level(), role, c.action());
            }
            throw new IllegalStateException("withRole applies to whenCommitted, whenRolledBack and whenConcurrently, not to "
                    + step.name());
        });
    }

    /** Errors of these classes are expected outcomes of the actions, not failures of the scenario. */
    public Scenario allowing(ErrorClass... classes) {
        Set<ErrorClass> a = EnumSet.noneOf(ErrorClass.class);
        a.addAll(spec.allowed());
        a.addAll(Arrays.asList(classes));
        return with(new Spec(spec.given(), spec.steps(), a, spec.retry()));
    }

    /**
     * Retries transactions of {@link #whenCommitted}, {@link #whenRolledBack} and {@link
     * #whenConcurrently} (each session on its own) that fail with the policy's errors. The
     * errors a policy retries are expected while attempts remain; the last attempt's error is
     * the step's result and must be allowed like any other. Interleavings are never retried:
     * their order is the point.
     */
    public Scenario withRetry(Retry policy) {
        return with(new Spec(spec.given(), spec.steps(), spec.allowed(), Objects.requireNonNull(policy, "policy")));
    }

    /** Runs the scenario and checks every invariant; throws {@link InvariantViolationException} when one fails. */
    public Outcome then(Invariant... invariants) {
        return ScenarioRunner.run(db.tryState(), spec, List.of(invariants));
    }

    /** Runs the scenario without invariants and returns what happened (unexpected errors still throw). */
    public Outcome run() {
        return ScenarioRunner.run(db.tryState(), spec, List.of());
    }
}

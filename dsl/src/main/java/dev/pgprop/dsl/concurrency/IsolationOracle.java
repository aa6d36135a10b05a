package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.ErrorClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges one permutation of an {@link IsolationSpec} as it ran: empty when it is fine, else what is
 * wrong. Built-in oracles: {@link #serializable}, {@link #noDeadlockExcept}, {@link #finalState},
 * {@link #stepNeverErrors}; combine them with {@link #allOf}; or write your own as a lambda.
 *
 * <pre>{@code
 * IsolationOracle oracle = IsolationOracle.allOf(
 *     IsolationOracle.serializable("select * from accounts order by id"),
 *     IsolationOracle.noDeadlockExcept(),
 *     IsolationOracle.finalState("no orphans", "select * from child c where not exists (select from parent p where p.id = c.parent_id)"),
 *     IsolationOracle.stepNeverErrors("r1"));
 * spec.property(oracle).check(db, permutation);
 * }</pre>
 */
@FunctionalInterface
public interface IsolationOracle {

    /**
     * What an oracle may use beside the outcome: the state queries it asked for were run after the
     * permutation ({@link IsolationRun.PermutationOutcome#state}); {@link #replay} runs another
     * permutation of the same spec, from the same setup, with the same state queries.
     *
     * <pre>{@code
     * IsolationOracle same = (outcome, ctx) -> ...ctx.replay(serialOrder)...;
     * }</pre>
     */
    interface Context {
        IsolationSpec spec();

        IsolationRun.PermutationOutcome replay(IsolationSpec.Permutation permutation);
    }

    /** What is wrong with this permutation's outcome, or empty when nothing is. */
    Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context);

    /** SQL queries this oracle reads after each permutation (before the spec's teardown). */
    default List<String> stateQueries() {
        return List.of();
    }

    /** A name for reports. */
    default String describe() {
        return "custom oracle";
    }

    /**
     * Serializable: a permutation in which every step succeeded (all its transactions committed)
     * reads and leaves what some serial order of its sessions reads and leaves. Each serial order
     * (each session's steps of the permutation, one session after another) is replayed from the
     * spec's setup; the rows of every step and of {@code stateSql} are compared.
     */
    static IsolationOracle serializable(String stateSql) {
        Objects.requireNonNull(stateSql, "stateSql");
        return new dev.pgprop.dsl.internal.isolation.SerialReplay(stateSql);
    }

    /** No step fails with a deadlock (40P01), except the steps named here, where one is expected. */
    static IsolationOracle noDeadlockExcept(String... steps) {
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(steps));
        return new IsolationOracle() {
            @Override
            public Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context) {
                allowed.forEach(s -> context.spec().step(s));
                for (IsolationRun.StepOutcome s : outcome.steps()) {
                    if (s.failedWith(ErrorClass.DEADLOCK) && !allowed.contains(s.step())) {
                        return Optional.of("step " + s.step() + " (#" + s.index() + ") failed with a deadlock"
                                + (allowed.isEmpty() ? "" : "; deadlocks are declared only at " + allowed));
                    }
                }
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "no deadlock" + (allowed.isEmpty() ? "" : " except at " + allowed);
            }
        };
    }

    /**
     * The final state satisfies an invariant: {@code violatingRowsSql} returns the rows that break
     * it, and must return none after every permutation.
     */
    static IsolationOracle finalState(String name, String violatingRowsSql) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(violatingRowsSql, "violatingRowsSql");
        return new IsolationOracle() {
            @Override
            public Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context) {
                IsolationRun.Table t = outcome.state(violatingRowsSql);
                return t.rows().isEmpty() ? Optional.empty()
                        : Optional.of("final state breaks \"" + name + "\": " + t.rows().size() + " row(s) " + t.columns()
                        + " " + t.rows().subList(0, Math.min(10, t.rows().size())) + " from " + violatingRowsSql);
            }

            @Override
            public List<String> stateQueries() {
                return List.of(violatingRowsSql);
            }

            @Override
            public String describe() {
                return "final state: " + name;
            }
        };
    }

    /** This step never fails, whatever the permutation. */
    static IsolationOracle stepNeverErrors(String step) {
        Objects.requireNonNull(step, "step");
        return new IsolationOracle() {
            @Override
            public Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context) {
                context.spec().step(step);
                for (IsolationRun.StepOutcome s : outcome.steps()) {
                    if (s.step().equals(step) && s.failed()) {
                        return Optional.of("step " + step + " (#" + s.index() + ") failed: " + s.errorLine()
                                + s.error().map(e -> " [" + e.sqlState() + "]").orElse(""));
                    }
                }
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "step " + step + " never errors";
            }
        };
    }

    /** Every one of these oracles; the first violation found is reported. */
    static IsolationOracle allOf(IsolationOracle... oracles) {
        List<IsolationOracle> all = List.of(oracles);
        return new IsolationOracle() {
            @Override
            public Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context) {
                for (IsolationOracle o : all) {
                    Optional<String> v = o.violation(outcome, context);
                    if (v.isPresent()) {
                        return Optional.of(o.describe() + ": " + v.get());
                    }
                }
                return Optional.empty();
            }

            @Override
            public List<String> stateQueries() {
                List<String> q = new ArrayList<>();
                all.forEach(o -> o.stateQueries().stream().filter(s -> !q.contains(s)).forEach(q::add));
                return q;
            }

            @Override
            public String describe() {
                return String.join(" and ", all.stream().map(IsolationOracle::describe).toList());
            }
        };
    }
}

package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.isolation.SpecRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;

/**
 * An isolation spec judged by an oracle over permutations, for a jqwik property: draw
 * permutations with {@link #permutations()} (random interleavings that shrink to the shortest
 * failing one) and {@link #check} each on the try's database.
 *
 * <pre>{@code
 * @PgProperties
 * class OrderProperties {
 *     static final IsolationProperty NO_ORPHANS = IsolationSpec.load(Path.of("src/test/resources/orders.spec"))
 *         .property(IsolationOracle.finalState("no orphans", "select * from line l where not exists (select from orders o where o.id = l.order_id)"));
 *
 *     @Provide Arbitrary<IsolationSpec.Permutation> orders() { return NO_ORPHANS.permutations(); }
 *
 *     @Property(tries = 30)
 *     void linesKeepTheirOrder(@ForAll("orders") IsolationSpec.Permutation p, Db db) {
 *         NO_ORPHANS.check(db, p);
 *     }
 * }
 * }</pre>
 */
public final class IsolationProperty {
    private final IsolationSpec spec;
    private final IsolationOracle oracle;

    IsolationProperty(IsolationSpec spec, IsolationOracle oracle) {
        this.spec = spec;
        this.oracle = oracle;
    }

    public IsolationSpec spec() {
        return spec;
    }

    public IsolationOracle oracle() {
        return oracle;
    }

    /** Random interleavings of the spec's steps; see {@link IsolationSpec#randomPermutations()}. */
    public Arbitrary<IsolationSpec.Permutation> permutations() {
        return spec.randomPermutations();
    }

    /**
     * Runs the permutation and judges it; throws {@link IsolationViolationException} when the
     * oracle rejects it. Where the next step's session waits for a lock of a session that runs
     * nothing, a later step of an idle session is sent first (the outcome's {@code ranAs} says
     * so); a permutation that still cannot finish (a step blocked by a session with no step left)
     * is not a counterexample: the try is discarded (a jqwik assumption).
     */
    public IsolationRun.PermutationOutcome check(Db db, IsolationSpec.Permutation permutation) {
        Objects.requireNonNull(permutation, "permutation");
        try (SpecRunner runner = new SpecRunner(spec, IsolationSpec.connectionsOf(db), true)) {
            return judge(runner, permutation, true);
        }
    }

    /** {@link #check(Db, IsolationSpec.Permutation)} on a database of its own, outside a try. */
    public IsolationRun.PermutationOutcome check(TestDatabase database, IsolationSpec.Permutation permutation) {
        Objects.requireNonNull(permutation, "permutation");
        try (SpecRunner runner = new SpecRunner(spec, IsolationSpec.connectionsOf(database), true)) {
            return judge(runner, permutation, true);
        }
    }

    /** Runs every permutation the spec lists (or all interleavings) and judges each; the first violation throws. */
    public IsolationRun checkListed(Db db) {
        List<IsolationRun.PermutationOutcome> all = new ArrayList<>();
        try (SpecRunner runner = new SpecRunner(spec, IsolationSpec.connectionsOf(db))) {
            for (IsolationSpec.Permutation p : spec.permutations()) {
                all.add(judge(runner, p, false));
            }
        }
        return new IsolationRun(spec, all);
    }

    private IsolationRun.PermutationOutcome judge(SpecRunner runner, IsolationSpec.Permutation permutation, boolean assume) {
        List<String> queries = oracle.stateQueries();
        IsolationRun.PermutationOutcome outcome = runner.run(permutation, queries);
        if (assume) {
            Assume.that(outcome.completed());
        }
        Optional<String> v = oracle.violation(outcome, new IsolationOracle.Context() {
            @Override
            public IsolationSpec spec() {
                return spec;
            }

            @Override
            public IsolationRun.PermutationOutcome replay(IsolationSpec.Permutation other) {
                return runner.run(other, queries);
            }
        });
        if (v.isPresent()) {
            throw new IsolationViolationException(spec, oracle.describe(), v.get(), outcome);
        }
        return outcome;
    }
}

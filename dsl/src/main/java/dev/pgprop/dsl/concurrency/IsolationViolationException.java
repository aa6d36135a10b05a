package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.PgPropException;

/**
 * A permutation of an isolation spec that an {@link IsolationOracle} rejects: the spec, the
 * permutation (as a permutation line, to paste into the spec), the reason and the tester's output.
 *
 * <pre>{@code
 * try {
 *     property.check(db, spec.permutation("ins1 del2 c1 c2"));
 * } catch (IsolationViolationException e) {
 *     e.outcome().permutation();   // ins1 del2 c1 c2
 * }
 * }</pre>
 */
public class IsolationViolationException extends PgPropException {
    private static final long serialVersionUID = 1L;
    private final transient IsolationRun.PermutationOutcome outcome;

    public IsolationViolationException(IsolationSpec spec, String oracle, String reason, IsolationRun.PermutationOutcome outcome) {
        super("isolation spec " + spec.name() + ", permutation " + outcome.permutation()
                + (outcome.ranAs().equals(outcome.permutation()) ? "" : " (ran as " + outcome.ranAs() + ")")
                + ": " + oracle + " fails: " + reason
                + "\nreplay it with the line:  permutation " + outcome.ranAs() + "\n" + outcome.output());
        this.outcome = outcome;
    }

    public IsolationRun.PermutationOutcome outcome() {
        return outcome;
    }
}

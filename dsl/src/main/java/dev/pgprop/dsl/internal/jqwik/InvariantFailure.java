package dev.pgprop.dsl.internal.jqwik;

import dev.pgprop.dsl.InvariantViolationException;
import org.opentest4j.AssertionFailedError;

/**
 * How a property that broke an invariant ends for the test engine: an assertion failure (so
 * Surefire and IDEs count a failure, not an error) with the same message, whose cause is the
 * {@link InvariantViolationException} the scenario threw. Inside a property the DSL throws only
 * {@code PgPropException}s; this wrapper exists only at the engine boundary.
 */
public final class InvariantFailure extends AssertionFailedError {
    private static final long serialVersionUID = 1L;

    InvariantFailure(InvariantViolationException violation) {
        super(violation.getMessage(), violation);
    }

    /** The violation behind this failure. */
    public InvariantViolationException violation() {
        return (InvariantViolationException) getCause();
    }
}

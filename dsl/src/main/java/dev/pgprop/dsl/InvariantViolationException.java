package dev.pgprop.dsl;


import dev.pgprop.dsl.internal.Tables;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A scenario's invariants did not hold. Carries every violation (with the rows that show it) and
 * the outcome; jqwik shrinks the try's sample on it.
 *
 * <p>It is a {@link PgPropException}, so code inside a property catches it with every other pgprop
 * exception. When the property fails on it, the test engine receives an {@code
 * org.opentest4j.AssertionFailedError} with the same message whose cause is this exception: JUnit
 * tools (Surefire, IDEs) count an {@code AssertionError} as a failure and anything else as an
 * error, and one class cannot extend both {@code AssertionError} and the one unchecked root.
 *
 * <pre>{@code
 * try { scenario.then(noRows("select ...")); }
 * catch (InvariantViolationException e) { e.violations().get(0).rows(); }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class InvariantViolationException extends PgPropException {
    private static final long serialVersionUID = 1L;
    /** How many violating rows a message shows per invariant. */
    public static final int ROWS_SHOWN = 10;

    private final transient List<Violation> violations;
    private final transient @Nullable Outcome outcome;

    public InvariantViolationException(List<Violation> violations, @Nullable Outcome outcome) {
        super(message(violations, outcome));
        this.violations = List.copyOf(violations);
        this.outcome = outcome;
    }

    public List<Violation> violations() {
        return violations;
    }

    public @Nullable Outcome outcome() {
        return outcome;
    }

    private static String message(List<Violation> violations, @Nullable Outcome outcome) {
        StringBuilder b = new StringBuilder();
        List<String> names = violations.stream().map(Violation::invariant).distinct().toList();
        b.append(names.size() == 1 ? "invariant violated: " : names.size() + " invariants violated: ");
        b.append(String.join(", ", names));
        if (violations.size() > names.size()) {
            b.append(" (").append(violations.size()).append(" violations)");
        }
        for (Violation v : violations) {
            b.append("\n  ✗ ").append(v.invariant()).append(": ").append(v.message());
            if (!v.rows().isEmpty()) {
                b.append('\n').append(Tables.format(v.rows(), ROWS_SHOWN, "      "));
            }
        }
        if (outcome != null && !outcome.results().isEmpty()) {
            b.append("\n  transactions: ");
            b.append(String.join("; ", outcome.results().stream().map(StepResult::toString).toList()));
        }
        if (outcome != null) {
            for (InterleavingOutcome io : outcome.interleavings()) {
                b.append("\n  interleaving:\n").append(io);
            }
        }
        return b.toString();
    }
}

package dev.pgprop.dsl;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one transaction of a scenario's "when" step did: committed, rolled back as asked, or
 * failed with a classified error.
 *
 * <pre>{@code
 * Outcome out = db.given(data).whenConcurrently(2, tx -> tx.call("allocate", sku, 1)).allowing(ErrorClass.RAISED).run();
 * long winners = out.results().stream().filter(StepResult::committed).count();
 * }</pre>
 */
public record StepResult(String step, int session, boolean committed, @Nullable PgError pgError,
                         @Nullable Throwable failure, Duration duration) {

    /** The classified PostgreSQL error, if the transaction failed with one. */
    public Optional<PgError> error() {
        return Optional.ofNullable(pgError);
    }

    public boolean failed() {
        return failure != null;
    }

    @Override
    public String toString() {
        return step + (session > 0 || step.contains("concurrent") ? " session " + session : "") + ": "
                + (failure == null ? (committed ? "committed" : "rolled back")
                : pgError != null ? pgError.toString() : failure.toString());
    }
}

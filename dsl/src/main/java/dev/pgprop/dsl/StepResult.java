package dev.pgprop.dsl;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one transaction of a scenario's "when" step did: committed, rolled back as asked, or
 * failed with a classified error; after how many attempts (see {@link Retry}).
 *
 * <pre>{@code
 * Outcome out = db.given(data).whenConcurrently(2, tx -> tx.call("allocate", sku, 1)).allowing(ErrorClass.RAISED).run();
 * long winners = out.results().stream().filter(StepResult::committed).count();
 * }</pre>
 *
 * @param session  0 for a single transaction, 0..n-1 in {@code whenConcurrently(n, ...)}, the
 *                 session's position in declaration order in {@code whenInterleaved}
 * @param attempts how many times the transaction ran (more than 1 only with a {@link Retry})
 */
public record StepResult(String step, int session, boolean committed, @Nullable PgError pgError,
                         @Nullable Throwable failure, Duration duration, int attempts) {

    public StepResult(String step, int session, boolean committed, @Nullable PgError pgError,
                      @Nullable Throwable failure, Duration duration) {
        this(step, session, committed, pgError, failure, duration, 1);
    }

    /** The classified PostgreSQL error, if the transaction failed with one. */
    public Optional<PgError> error() {
        return Optional.ofNullable(pgError);
    }

    public boolean failed() {
        return failure != null;
    }

    /** How many attempts were retried after a transient error. */
    public int retries() {
        return attempts - 1;
    }

    @Override
    public String toString() {
        return step + (step.startsWith("whenConcurrently") || (session > 0 && !step.startsWith("whenInterleaved"))
                ? " session " + session : "") + ": "
                + (failure == null ? (committed ? "committed" : "rolled back")
                : pgError != null ? pgError.toString() : failure.toString())
                + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
    }
}

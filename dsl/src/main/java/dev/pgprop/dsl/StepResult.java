package dev.pgprop.dsl;


import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What one transaction of a scenario's "when" step did: committed, rolled back as asked, or
 * failed with a classified error; and which errors a {@link Retry} retried.
 *
 * <pre>{@code
 * Outcome out = db.given(data).whenConcurrently(2, tx -> tx.call("allocate", sku, 1)).allowing(ErrorClass.RAISED).run();
 * long winners = out.results().stream().filter(StepResult::committed).count();
 * }</pre>
 *
 * @param session       0 for a single transaction, 0..n-1 in {@code whenConcurrently(n, ...)}, the
 *                      session's position in declaration order in {@code whenInterleaved}
 * @param retriedErrors the errors of the attempts a {@link Retry} ran again, in order (empty
 *                      without retries)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record StepResult(String step, int session, boolean committed, @Nullable PgError pgError,
                         @Nullable Throwable failure, Duration duration, List<PgError> retriedErrors) {

    public StepResult {
        retriedErrors = List.copyOf(retriedErrors);
    }

    public StepResult(String step, int session, boolean committed, @Nullable PgError pgError,
                      @Nullable Throwable failure, Duration duration) {
        this(step, session, committed, pgError, failure, duration, List.of());
    }

    /** The classified PostgreSQL error, if the transaction failed with one. */
    public Optional<PgError> error() {
        return Optional.ofNullable(pgError);
    }

    public boolean failed() {
        return failure != null;
    }

    /** How many times the transaction ran: 1, or more when a {@link Retry} ran it again. */
    public int attempts() {
        return retriedErrors.size() + 1;
    }

    /** How many attempts were retried after a transient error. */
    public int retries() {
        return retriedErrors.size();
    }

    @Override
    public String toString() {
        return step + (step.startsWith("whenConcurrently") || (session > 0 && !step.startsWith("whenInterleaved"))
                ? " session " + session : "") + ": "
                + (failure == null ? (committed ? "committed" : "rolled back")
                : pgError != null ? pgError.toString() : failure.toString())
                + (retriedErrors.isEmpty() ? "" : " (after " + attempts() + " attempts)");
    }
}

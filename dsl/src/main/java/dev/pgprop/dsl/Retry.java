package dev.pgprop.dsl;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apiguardian.api.API;

/**
 * How a scenario retries a transaction that failed with a transient error: which error classes,
 * how many attempts, and the backoff between them (exponential with full jitter). Applies to
 * {@link Scenario#whenCommitted} and to every session of {@link Scenario#whenConcurrently}; each
 * attempt runs the action again in a new transaction ({@link Tx#attempt()} tells which).
 * Immutable.
 *
 * <pre>{@code
 * db.given(data)
 *   .withRetry(Retry.onTransientErrors().withMaxAttempts(10))     // 40001 and 40P01
 *   .whenConcurrently(4, SERIALIZABLE, tx -> transfer(tx, tx.session()))
 *   .then(sameScalar("select sum(on_hand) from inventory", "select " + total));
 * }</pre>
 *
 * <p>When the last attempt fails too, its error is the step's result; {@link StepResult#retriedErrors()}
 * lists the errors that were retried.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Retry {
    private static final Retry NONE = new Retry(EnumSet.noneOf(ErrorClass.class), 1, Duration.ZERO, Duration.ZERO);

    private final Set<ErrorClass> errors;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private Retry(Set<ErrorClass> errors, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.errors = Collections.unmodifiableSet(errors.isEmpty() ? EnumSet.noneOf(ErrorClass.class) : EnumSet.copyOf(errors));
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** No retries: every transaction runs once (the default). */
    public static Retry none() {
        return NONE;
    }

    /**
     * Retries serialization failures (40001) and deadlocks (40P01): at most 5 attempts, backoff
     * from 2 ms doubling up to 100 ms, with full jitter.
     */
    public static Retry onTransientErrors() {
        return new Retry(EnumSet.of(ErrorClass.SERIALIZATION_FAILURE, ErrorClass.DEADLOCK), 5, Duration.ofMillis(2),
                Duration.ofMillis(100));
    }

    /** These error classes are retried (instead of the current ones). */
    public Retry withErrors(ErrorClass first, ErrorClass... more) {
        Objects.requireNonNull(first, "first");
        EnumSet<ErrorClass> e = EnumSet.of(first, more);
        if (e.stream().anyMatch(ErrorClass::isFault)) {
            throw new IllegalArgumentException("faults " + e + " break the test environment and are never retried; retry"
                    + " error classes such as SERIALIZATION_FAILURE or DEADLOCK");
        }
        return new Retry(e, maxAttempts, initialBackoff, maxBackoff);
    }

    /** At most this many attempts in all (1 means no retry). */
    public Retry withMaxAttempts(int attempts) {
        if (attempts < 1 || attempts > 1000) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 1000, got " + attempts);
        }
        return new Retry(errors, attempts, initialBackoff, maxBackoff);
    }

    /** Backoff before attempt n+1: a random time up to min(max, initial * 2^(n-1)). */
    public Retry withBackoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got initial " + initial + ", max " + max);
        }
        if (max.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("a backoff of more than a minute (" + max + ") would stall the suite");
        }
        return new Retry(errors, maxAttempts, initial, max);
    }

    public Set<ErrorClass> errors() {
        return errors;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Whether a failed attempt number {@code attempt} (from 1) with this error is tried again. */
    public boolean retries(int attempt, PgError error) {
        return attempt < maxAttempts && errors.contains(error.errorClass());
    }

    /** Sleeps the jittered backoff before the attempt after {@code attempt}. */
    public void backoff(int attempt) throws InterruptedException {
        long cap = initialBackoff.toNanos() << Math.min(20, attempt - 1);
        cap = Math.min(cap < 0 ? Long.MAX_VALUE : cap, maxBackoff.toNanos());
        if (cap > 0) {
            long nanos = ThreadLocalRandom.current().nextLong(cap + 1);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    @Override
    public String toString() {
        return maxAttempts == 1 ? "Retry.none()" : "Retry" + Arrays.toString(errors.toArray()) + " up to " + maxAttempts
                + " attempts, backoff " + initialBackoff.toMillis() + ".." + maxBackoff.toMillis() + " ms";
    }
}

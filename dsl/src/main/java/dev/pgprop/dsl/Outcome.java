package dev.pgprop.dsl;


import java.util.List;
import org.apiguardian.api.API;

/**
 * What a scenario's steps did, for invariants and for assertions of your own: one {@link
 * StepResult} per transaction, and the step-by-step trace of each {@code whenInterleaved} step.
 *
 * <pre>{@code
 * Outcome out = db.given(data).whenCommitted(tx -> tx.call("allocate", sku, 5)).allowing(ErrorClass.RAISED).run();
 * if (out.failed(ErrorClass.RAISED)) { ... }
 *
 * InterleavingOutcome trace = db.given(data).whenInterleaved(lostUpdate).run().interleaving();
 * }</pre>
 *
 * @param interleavings the outcome of each {@link Scenario#whenInterleaved} step, in order
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Outcome(Dataset given, List<StepResult> results, List<InterleavingOutcome> interleavings) {

    public Outcome {
        results = List.copyOf(results);
        interleavings = List.copyOf(interleavings);
    }

    public Outcome(Dataset given, List<StepResult> results) {
        this(given, results, List.of());
    }

    /** Whether any transaction failed with an error of this class. */
    public boolean failed(ErrorClass c) {
        return results.stream().anyMatch(r -> r.error().map(e -> e.hasClass(c)).orElse(false));
    }

    /** How many transactions committed. */
    public long committed() {
        return results.stream().filter(StepResult::committed).count();
    }

    /** The failed transactions. */
    public List<StepResult> failures() {
        return results.stream().filter(StepResult::failed).toList();
    }

    /** The outcome of the scenario's one {@code whenInterleaved} step (the last, when there are several). */
    public InterleavingOutcome interleaving() {
        if (interleavings.isEmpty()) {
            throw new IllegalStateException("this scenario has no whenInterleaved step, so there is no interleaving"
                    + " outcome; read results() instead");
        }
        return interleavings.get(interleavings.size() - 1);
    }
}

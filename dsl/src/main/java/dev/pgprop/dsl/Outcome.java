package dev.pgprop.dsl;

import java.util.List;

/**
 * What a scenario's steps did, for invariants and for assertions of your own.
 *
 * <pre>{@code
 * Outcome out = db.given(data).whenCommitted(tx -> tx.call("allocate", sku, 5)).allowing(ErrorClass.RAISED).run();
 * if (out.failed(ErrorClass.RAISED)) { ... }
 * }</pre>
 */
public record Outcome(Dataset given, List<StepResult> results) {

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
}

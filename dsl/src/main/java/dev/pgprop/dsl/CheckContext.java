package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.CustomViolation;
import dev.pgprop.dsl.internal.engine.TryState;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * What an invariant sees: the database state after the actions (through a handle on the try's
 * main connection), the outcome of every transaction, and the dataset given.
 *
 * <pre>{@code
 * Invariants.invariant("one winner", ctx -> {
 *     if (ctx.outcome().committed() != 1) ctx.fail("expected exactly one commit", List.of());
 * });
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class CheckContext {
    private final Tx tx;
    private final @Nullable Outcome outcome;
    private final Dataset given;
    private final Catalog catalog;
    private final TryState tryState;

    CheckContext(Tx tx, @Nullable Outcome outcome, Dataset given, TryState tryState) {
        this.tx = tx;
        this.outcome = outcome;
        this.given = given;
        this.catalog = tryState.classDatabase().catalog();
        this.tryState = tryState;
    }

    public Handle handle() {
        return tx.handle();
    }

    public List<Row> rows(String sql, @Nullable Object... args) {
        return tx.query(sql, args);
    }

    public @Nullable Object scalar(String sql, @Nullable Object... args) {
        return tx.scalar(sql, args);
    }

    /** The outcome of the actions. Not available in {@link Invariant#capture}, which runs before them. */
    public Outcome outcome() {
        if (outcome == null) {
            throw new IllegalStateException("the outcome is not known before the actions ran (in capture)");
        }
        return outcome;
    }

    public Optional<Outcome> outcomeIfKnown() {
        return Optional.ofNullable(outcome);
    }

    public Dataset given() {
        return given;
    }

    /** Ends a custom invariant's check as violated, with the rows that show it. */
    public void fail(String message, List<Row> rows) {
        throw new CustomViolation(message, rows);
    }

    Catalog catalog() {
        return catalog;
    }

    Tx tx() {
        return tx;
    }

    TryState tryState() {
        return tryState;
    }
}

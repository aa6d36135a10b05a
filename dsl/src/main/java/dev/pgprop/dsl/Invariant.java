package dev.pgprop.dsl;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Something that must hold after a scenario's actions. Built-in ones come from {@link
 * Invariants}; {@link Invariants#invariant} makes one from a lambda.
 *
 * <p>{@link #capture} runs after {@code given} and before the actions, for invariants that
 * compare before and after ({@link Invariants#noTrace()}); what it returns comes back to {@link
 * #check}. An invariant holds no state of its own: one instance serves every try.
 *
 * <pre>{@code
 * Invariant notOversold = Invariants.noRows("select * from inventory where allocated > on_hand")
 *     .named("inventory never oversold");
 * }</pre>
 */
public interface Invariant {
    String name();

    /** State to compare against after the actions; null when none is needed. */
    default @Nullable Object capture(CheckContext ctx) throws Exception {
        return null;
    }

    /** The violations; empty when the invariant holds. */
    List<Violation> check(CheckContext ctx, @Nullable Object captured) throws Exception;

    /** Error classes this invariant expects some transaction to fail with (they don't fail the scenario). */
    default Set<ErrorClass> expectedErrors() {
        return Set.of();
    }

    /** The same check under another name, for reports. */
    default Invariant named(String name) {
        Invariant self = this;
        if (name.isBlank()) {
            throw new IllegalArgumentException("an invariant's name must not be blank");
        }
        return new Invariant() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public @Nullable Object capture(CheckContext ctx) throws Exception {
                return self.capture(ctx);
            }

            @Override
            public List<Violation> check(CheckContext ctx, @Nullable Object captured) throws Exception {
                return self.check(ctx, captured).stream().map(v -> new Violation(name, v.message(), v.rows())).toList();
            }

            @Override
            public Set<ErrorClass> expectedErrors() {
                return self.expectedErrors();
            }
        };
    }
}

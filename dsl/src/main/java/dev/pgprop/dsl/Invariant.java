package dev.pgprop.dsl;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Something that must hold after a scenario's actions. Built-in ones come from {@link
 * Invariants} (and {@code vector.VectorInvariants}, {@code perf.PerformanceInvariants}); {@link
 * #of} makes one of your own.
 *
 * <p>{@link #capture} runs after {@code given} and before the actions, for invariants that
 * compare before and after ({@link Invariants#noTrace()}); what it returns comes back to {@link
 * #check}. An invariant holds no state of its own: one instance serves every try.
 *
 * <pre>{@code
 * Invariant notOversold = Invariants.noRows("select * from inventory where allocated > on_hand")
 *     .named("inventory never oversold");
 *
 * Invariant countKept = Invariant.of("row count kept",
 *     ctx -> ctx.scalar("select count(*) from inventory"),
 *     (ctx, before) -> Objects.equals(before, ctx.scalar("select count(*) from inventory")) ? List.of()
 *         : List.of(new Violation("row count kept", "count was " + before, List.of())));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
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
        return new Defined<@Nullable Object>(name, this::capture, this::check, expectedErrors());
    }

    /**
     * An invariant that captures state before the actions and checks after them: {@code capture}
     * runs after {@code given}, {@code check} after the actions with what {@code capture}
     * returned. The violations it returns carry this invariant's name.
     */
    static <T extends @Nullable Object> Defined<T> of(String name, Capture<T> capture, Check<T> check) {
        return new Defined<>(name, capture, check, Set.of());
    }

    /**
     * An invariant from a check that throws (an assertion, or {@link CheckContext#fail}) when it
     * does not hold.
     */
    static Defined<@Nullable Object> of(String name, InvariantCheck check) {
        Objects.requireNonNull(check, "check");
        return new Defined<>(name, ctx -> null, (ctx, before) -> {
            check.check(ctx);
            return List.of();
        }, Set.of());
    }

    /** What an invariant records before the actions. */
    @FunctionalInterface
    interface Capture<T extends @Nullable Object> {
        T capture(CheckContext ctx) throws Exception;
    }

    /** What an invariant finds after the actions, given what it captured before them. */
    @FunctionalInterface
    interface Check<T extends @Nullable Object> {
        List<Violation> check(CheckContext ctx, T captured) throws Exception;
    }

    /**
     * The one implementation of an invariant: a name, a capture, a check, and the error classes
     * it expects. Immutable; {@link #named} and {@link #expecting} return new ones.
     */
    record Defined<T extends @Nullable Object>(String name, Capture<T> capturing, Check<T> checking,
                                               Set<ErrorClass> expectedErrors) implements Invariant {
        public Defined {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("an invariant's name must not be blank");
            }
            Objects.requireNonNull(capturing, "capture");
            Objects.requireNonNull(checking, "check");
            expectedErrors = Set.copyOf(expectedErrors);
        }

        @Override
        public @Nullable Object capture(CheckContext ctx) throws Exception {
            return capturing.capture(ctx);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<Violation> check(CheckContext ctx, @Nullable Object captured) throws Exception {
            return checking.check(ctx, (T) captured).stream()
                    .map(v -> v.invariant().equals(name) ? v : new Violation(name, v.message(), v.rows()))
                    .toList();
        }

        @Override
        public Defined<T> named(String newName) {
            return new Defined<>(newName, capturing, checking, expectedErrors);
        }

        /** The same invariant, expecting some transaction to fail with one of these classes. */
        public Defined<T> expecting(Set<ErrorClass> classes) {
            Set<ErrorClass> all = EnumSet.noneOf(ErrorClass.class);
            all.addAll(expectedErrors);
            all.addAll(classes);
            return new Defined<>(name, capturing, checking, all);
        }
    }
}

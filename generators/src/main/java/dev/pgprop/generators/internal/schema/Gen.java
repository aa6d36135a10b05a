package dev.pgprop.generators.internal.schema;

import java.util.List;
import net.jqwik.api.Arbitrary;
import org.jspecify.annotations.Nullable;

/**
 * How one column's values are drawn: a jqwik arbitrary (shrinking towards simpler values), and
 * {@code variant(base, k)}: a k-th alternative to a value, deterministic, for repairing a
 * collision on a unique key ({@code null} when the type has none).
 */
record Gen(Arbitrary<Object> arbitrary, Variants variants) {
    interface Variants {
        @Nullable Object variant(Object base, int k);
    }

    static final Variants NONE = (base, k) -> null;

    /** A finite domain: the k-th next value after the base. */
    static Variants cycle(List<?> domain) {
        return (base, k) -> {
            int i = domain.indexOf(base);
            return domain.isEmpty() || k >= domain.size() ? null : domain.get(Math.floorMod(i + k, domain.size()));
        };
    }
}

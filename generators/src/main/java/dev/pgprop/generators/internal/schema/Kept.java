package dev.pgprop.generators.internal.schema;

import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;
import org.jspecify.annotations.Nullable;

/**
 * An arbitrary whose drawn values are computed once per shrinkable and kept. A jqwik shrinkable
 * computes its value again each time it is read (a combined or mapped value calls its function
 * again, a string is built again from its characters), and a row's values are read more than once
 * (by a filter when drawn, then when the dataset is resolved). Draws, shrink candidates and
 * distances are the wrapped arbitrary's own; only the repeated computation goes. The values must
 * not be changed by whoever reads them, as they are shared between reads.
 */
final class Kept<T> extends Delegating<T> {
    private Kept(Arbitrary<T> inner) {
        super(inner);
    }

    static <T> Arbitrary<T> of(Arbitrary<T> inner) {
        return inner instanceof Kept<T> ? inner : new Kept<>(inner);
    }

    @Override
    public RandomGenerator<T> generator(int genSize) {
        return keep(base.generator(genSize));
    }

    @Override
    public RandomGenerator<T> generatorWithEmbeddedEdgeCases(int genSize) {
        return keep(base.generatorWithEmbeddedEdgeCases(genSize));
    }

    /** The wrapped arbitrary's generator as jqwik would ask for it at this place, its draws kept. */
    @Override
    public RandomGenerator<T> generator(int genSize, boolean withEmbeddedEdgeCases) {
        return keep(base.generator(genSize, withEmbeddedEdgeCases));
    }

    private static <T> RandomGenerator<T> keep(RandomGenerator<T> g) {
        return random -> new Value<>(g.next(random));
    }

    @Override
    public String toString() {
        return "Kept(" + base + ")";
    }

    /** A shrinkable whose value is read from the wrapped one once. */
    private static final class Value<T> implements Shrinkable<T> {
        private final Shrinkable<T> inner;
        private @Nullable T value;
        private boolean known;

        Value(Shrinkable<T> inner) {
            this.inner = inner;
        }

        @Override
        public T value() {
            if (!known) {
                value = inner.value();
                known = true;
            }
            return value;
        }

        @Override
        public Stream<Shrinkable<T>> shrink() {
            return inner.shrink().map(Value::new);
        }

        @Override
        public Stream<Shrinkable<T>> grow() {
            return inner.grow().map(Value::new);
        }

        @Override
        public Optional<Shrinkable<T>> grow(Shrinkable<?> before, Shrinkable<?> after) {
            return inner.grow(unwrap(before), unwrap(after)).map(Value::new);
        }

        private static Shrinkable<?> unwrap(Shrinkable<?> s) {
            return s instanceof Value<?> v ? v.inner : s;
        }

        @Override
        public ShrinkingDistance distance() {
            return inner.distance();
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Value<?> v && inner.equals(v.inner);
        }

        @Override
        public int hashCode() {
            return inner.hashCode();
        }

        @Override
        public String toString() {
            return inner.toString();
        }
    }
}

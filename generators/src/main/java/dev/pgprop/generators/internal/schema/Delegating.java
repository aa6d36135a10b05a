package dev.pgprop.generators.internal.schema;

import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCases;
import net.jqwik.api.ExhaustiveGenerator;

/**
 * An arbitrary that draws at random in its own way and leaves the rest to a jqwik arbitrary that
 * draws the same values: its edge cases, exhaustive generation, and whether its generator may be
 * memoised.
 */
abstract class Delegating<T> implements Arbitrary<T> {
    final Arbitrary<T> base;

    Delegating(Arbitrary<T> base) {
        this.base = base;
    }

    @Override
    public boolean isGeneratorMemoizable() {
        return base.isGeneratorMemoizable();
    }

    @Override
    public EdgeCases<T> edgeCases(int maxEdgeCases) {
        return base.edgeCases(maxEdgeCases);
    }

    @Override
    public Optional<ExhaustiveGenerator<T>> exhaustive(long maxNumberOfSamples) {
        return base.exhaustive(maxNumberOfSamples);
    }
}

package dev.pgprop.generators;

import dev.pgprop.generators.model.InvalidVector;
import dev.pgprop.generators.model.VectorWorkload;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitrary;
import org.apiguardian.api.API;

/**
 * jqwik arbitraries of vectors for any schema with a pgvector column: single vectors, sets with
 * duplicates, near-duplicates and edge cases, data-and-query workloads, queries placed relative
 * to loaded data, and vectors pgvector rejects.
 *
 * <pre>{@code
 * @Provide
 * Arbitrary<List<float[]>> embeddings() {
 *     return VectorArbitraries.vectorSets(VectorSpec.of(384).withCount(10, 200));
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class VectorArbitraries {
    private VectorArbitraries() {}

    /** Single vectors of the spec's dimension and distribution (edge cases by their share). */
    public static Arbitrary<float[]> vectors(VectorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return dev.pgprop.generators.internal.VectorArbitraries.vectors(spec);
    }

    /**
     * Sets of vectors, sized by {@link VectorSpec#withCount(int, int)}, with duplicates,
     * near-duplicates and edge cases by their shares. Clustered centres are drawn once per set.
     */
    public static Arbitrary<List<float[]>> vectorSets(VectorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return dev.pgprop.generators.internal.VectorArbitraries.sets(spec);
    }

    /**
     * A set of data vectors and {@code minQueries} to {@code maxQueries} query vectors placed
     * relative to that data.
     */
    public static Arbitrary<VectorWorkload> vectorWorkloads(VectorSpec spec, int minQueries, int maxQueries,
            QueryPlacement placement) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(placement, "placement");
        if (minQueries < 0 || maxQueries < minQueries) {
            throw new IllegalArgumentException("query count " + minQueries + ".." + maxQueries
                    + " is not a range; give 0 <= minQueries <= maxQueries");
        }
        return dev.pgprop.generators.internal.VectorArbitraries.workloads(spec, minQueries, maxQueries, placement);
    }

    /** Query vectors placed relative to fixed data (copied), for data that is already loaded. */
    public static Arbitrary<float[]> queries(List<float[]> data, VectorSpec spec, QueryPlacement placement) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(placement, "placement");
        return dev.pgprop.generators.internal.VectorArbitraries.queries(data, spec, placement);
    }

    /** Vectors pgvector rejects for a {@code vector(dimension)} column: NaN, infinity, wrong dimension. */
    public static Arbitrary<InvalidVector> invalidVectors(int dimension) {
        if (dimension < 1 || dimension > VectorSpec.MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " is outside 1.." + VectorSpec.MAX_DIMENSION);
        }
        return dev.pgprop.generators.internal.VectorArbitraries.invalid(dimension);
    }
}

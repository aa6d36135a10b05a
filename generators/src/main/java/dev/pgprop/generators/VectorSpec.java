package dev.pgprop.generators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What the vector arbitraries draw: dimension, distribution, normalised or raw, how many vectors
 * per set, and the shares of duplicates, near-duplicates and edge cases. Immutable: every {@code
 * withX} returns a new spec and checks its argument.
 *
 * <p>By default: uniform components, raw (not normalised), 0 to 50 vectors per set, no duplicates,
 * no near-duplicates, no edge cases, near distance 0.01.
 *
 * <p>Edge cases are emitted as they are, also in a normalised spec: they are the vectors a
 * normalising client would choke on.
 *
 * <pre>{@code
 * VectorSpec spec = VectorSpec.of(1536)
 *         .withDistribution(VectorDistribution.clustered(16, 0.2))
 *         .withNormalized(true)
 *         .withCount(100, 1000)
 *         .withDuplicates(0.02)
 *         .withNearDuplicates(0.05)
 *         .withEdgeCases(0.01, VectorEdgeCase.values());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class VectorSpec {
    /** The largest dimension of pgvector's {@code vector} type. */
    public static final int MAX_DIMENSION = 16_000;
    /** The length of a {@link VectorEdgeCase#HUGE} vector. */
    public static final double HUGE_NORM = 1e18;
    /** The length of a {@link VectorEdgeCase#TINY} vector. */
    public static final double TINY_NORM = 1e-18;
    /** The most vectors a set may have. */
    public static final int MAX_COUNT = 10_000_000;

    private final int dimension;
    private final VectorDistribution distribution;
    private final boolean normalized;
    private final int minCount;
    private final int maxCount;
    private final double duplicates;
    private final double nearDuplicates;
    private final double nearDistance;
    private final double edgeCaseShare;
    private final List<VectorEdgeCase> edgeCases;

    private VectorSpec(int dimension, VectorDistribution distribution, boolean normalized, int minCount, int maxCount,
            double duplicates, double nearDuplicates, double nearDistance, double edgeCaseShare,
            List<VectorEdgeCase> edgeCases) {
        this.dimension = dimension;
        this.distribution = distribution;
        this.normalized = normalized;
        this.minCount = minCount;
        this.maxCount = maxCount;
        this.duplicates = duplicates;
        this.nearDuplicates = nearDuplicates;
        this.nearDistance = nearDistance;
        this.edgeCaseShare = edgeCaseShare;
        this.edgeCases = List.copyOf(edgeCases);
        if (duplicates + nearDuplicates + edgeCaseShare > 1.0 + 1e-9) {
            throw new IllegalArgumentException("the shares of duplicates (" + duplicates + "), near-duplicates ("
                    + nearDuplicates + ") and edge cases (" + edgeCaseShare + ") add up to more than 1; lower one of them");
        }
    }

    /** Vectors of this dimension (1 to {@value #MAX_DIMENSION}), with the defaults above. */
    public static VectorSpec of(int dimension) {
        checkDimension(dimension);
        return new VectorSpec(dimension, VectorDistribution.uniform(), false, 0, 50, 0, 0, 0.01, 0,
                List.of(VectorEdgeCase.values()));
    }

    private static void checkDimension(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + dimension + " is outside 1.." + MAX_DIMENSION
                    + " (pgvector's vector type); the reference schema's embedding_dim is at most 2000");
        }
    }

    private static double share(String what, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(what + " share " + share + " is not a probability; give 0.0 to 1.0");
        }
        return share;
    }

    public VectorSpec withDimension(int dimension) {
        checkDimension(dimension);
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                nearDistance, edgeCaseShare, edgeCases);
    }

    public VectorSpec withDistribution(VectorDistribution distribution) {
        Objects.requireNonNull(distribution, "distribution");
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                nearDistance, edgeCaseShare, edgeCases);
    }

    /** Whether vectors are scaled to length 1 (edge cases excepted). */
    public VectorSpec withNormalized(boolean normalized) {
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                nearDistance, edgeCaseShare, edgeCases);
    }

    /** How many vectors a set has. */
    public VectorSpec withCount(int min, int max) {
        if (min < 0 || max < min || max > MAX_COUNT) {
            throw new IllegalArgumentException("vector count " + min + ".." + max + " is not a range within 0.."
                    + MAX_COUNT + "; give 0 <= min <= max");
        }
        return new VectorSpec(dimension, distribution, normalized, min, max, duplicates, nearDuplicates, nearDistance,
                edgeCaseShare, edgeCases);
    }

    /** The share of vectors in a set that are exact copies of an earlier vector of the set. */
    public VectorSpec withDuplicates(double share) {
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, share("duplicate", share),
                nearDuplicates, nearDistance, edgeCaseShare, edgeCases);
    }

    /**
     * The share of vectors in a set that are an earlier vector plus noise of length {@code
     * nearDistance} times that vector's length.
     */
    public VectorSpec withNearDuplicates(double share) {
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates,
                share("near-duplicate", share), nearDistance, edgeCaseShare, edgeCases);
    }

    /**
     * The relative length of the noise of near-duplicates and of {@link QueryPlacement#NEAR}
     * queries (above 0, at most 1; default 0.01).
     */
    public VectorSpec withNearDistance(double relativeDistance) {
        if (!(relativeDistance > 0.0 && relativeDistance <= 1.0)) {
            throw new IllegalArgumentException("near distance " + relativeDistance
                    + " is outside (0, 1]; it is relative to the length of the vector it is near");
        }
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                relativeDistance, edgeCaseShare, edgeCases);
    }

    /** The share of vectors that are one of these edge cases (all of them when none are named). */
    public VectorSpec withEdgeCases(double share, VectorEdgeCase... cases) {
        share("edge case", share);
        List<VectorEdgeCase> list = cases.length == 0 ? List.of(VectorEdgeCase.values())
                : new ArrayList<>(EnumSet.copyOf(Arrays.asList(cases)));
        return new VectorSpec(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                nearDistance, share, list);
    }

    public int dimension() {
        return dimension;
    }

    public VectorDistribution distribution() {
        return distribution;
    }

    public boolean isNormalized() {
        return normalized;
    }

    public int minCount() {
        return minCount;
    }

    public int maxCount() {
        return maxCount;
    }

    public double duplicates() {
        return duplicates;
    }

    public double nearDuplicates() {
        return nearDuplicates;
    }

    public double nearDistance() {
        return nearDistance;
    }

    public double edgeCaseShare() {
        return edgeCaseShare;
    }

    /** The edge cases drawn, in enum order. */
    public List<VectorEdgeCase> edgeCases() {
        return edgeCases;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorSpec s && s.dimension == dimension && s.distribution.equals(distribution)
                && s.normalized == normalized && s.minCount == minCount && s.maxCount == maxCount
                && Double.compare(s.duplicates, duplicates) == 0 && Double.compare(s.nearDuplicates, nearDuplicates) == 0
                && Double.compare(s.nearDistance, nearDistance) == 0 && Double.compare(s.edgeCaseShare, edgeCaseShare) == 0
                && s.edgeCases.equals(edgeCases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dimension, distribution, normalized, minCount, maxCount, duplicates, nearDuplicates,
                nearDistance, edgeCaseShare, edgeCases);
    }

    @Override
    public String toString() {
        return "VectorSpec[dimension " + dimension + ", " + distribution + (normalized ? ", normalized" : ", raw")
                + ", count " + minCount + ".." + maxCount + ", duplicates " + duplicates + ", near-duplicates "
                + nearDuplicates + " at " + nearDistance + ", edge cases " + edgeCaseShare + " " + edgeCases + "]";
    }
}

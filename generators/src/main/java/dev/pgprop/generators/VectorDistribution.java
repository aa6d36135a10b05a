package dev.pgprop.generators;

import org.apiguardian.api.API;

/**
 * How the components of generated vectors are distributed.
 *
 * <ul>
 *   <li>{@link #uniform()}: every component uniform in {@code [-1, 1)}.
 *   <li>{@link #gaussian()}: every component standard normal.
 *   <li>{@link #clustered(int, double)}: {@code k} centres on the unit sphere, drawn once per set of
 *       vectors, and each vector a centre plus gaussian noise whose expected length is {@code
 *       spread}. Real embeddings bunch up by topic; tight, well-separated clusters can also leave
 *       parts of an HNSW graph unreachable, which says more about the data than about the index.
 *   <li>{@link #decayingGaussian(double)}: component {@code i} (from 0) normal with standard
 *       deviation {@code (1 + i)^-decay}: most of the variance in the first dimensions, a long
 *       tail of small ones, as in the spectrum of real embedding models.
 * </ul>
 *
 * <pre>{@code
 * VectorSpec spec = VectorSpec.of(384).withDistribution(VectorDistribution.clustered(8, 0.1));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public sealed interface VectorDistribution {
    /** Components uniform in {@code [-1, 1)}. */
    static VectorDistribution uniform() {
        return Uniform.INSTANCE;
    }

    /** Standard normal components: directions uniform on the sphere. */
    static VectorDistribution gaussian() {
        return Gaussian.INSTANCE;
    }

    /**
     * {@code centres} unit-length centres, each vector one of them plus noise of expected length
     * {@code spread}.
     */
    static VectorDistribution clustered(int centres, double spread) {
        return new Clustered(centres, spread);
    }

    /**
     * Normal components whose standard deviation decays with the index: {@code (1 + i)^-decay}
     * (0 to 4; 0 is {@link #gaussian()}, 0.5 is a realistic default).
     */
    static VectorDistribution decayingGaussian(double decay) {
        return new DecayingGaussian(decay);
    }

    /** Components uniform in {@code [-1, 1)}: {@code VectorDistribution.uniform()}. */
    record Uniform() implements VectorDistribution {
        static final Uniform INSTANCE = new Uniform();
    }

    /** Standard normal components: {@code VectorDistribution.gaussian()}. */
    record Gaussian() implements VectorDistribution {
        static final Gaussian INSTANCE = new Gaussian();
    }

    /**
     * Normal components with standard deviation {@code (1 + i)^-decay}: {@code
     * VectorDistribution.decayingGaussian(0.5)}.
     *
     * @param decay how fast the deviation falls with the component's index, 0.0 to 4.0
     */
    record DecayingGaussian(double decay) implements VectorDistribution {
        public DecayingGaussian {
            if (!(decay >= 0.0 && decay <= 4.0)) {
                throw new IllegalArgumentException("decaying gaussian with decay " + decay
                        + "; give 0.0 (plain gaussian) to 4.0, such as 0.5");
            }
        }
    }

    /**
     * Vectors around {@code centres} unit-length centres: {@code VectorDistribution.clustered(8,
     * 0.1)}.
     *
     * @param centres how many centres, 1 to 10,000
     * @param spread the expected distance of a vector from its centre, 0 to 100
     */
    record Clustered(int centres, double spread) implements VectorDistribution {
        public Clustered {
            if (centres < 1 || centres > 10_000) {
                throw new IllegalArgumentException("clustered distribution with " + centres
                        + " centres; give 1 to 10000 centres");
            }
            if (!(spread >= 0.0 && spread <= 100.0)) {
                throw new IllegalArgumentException("clustered distribution with spread " + spread
                        + "; give a spread from 0.0 (every vector on a centre) to 100.0");
            }
        }
    }
}

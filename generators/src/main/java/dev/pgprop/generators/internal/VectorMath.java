package dev.pgprop.generators.internal;

import dev.pgprop.generators.VectorDistribution;
import dev.pgprop.generators.VectorEdgeCase;
import dev.pgprop.generators.VectorSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** Vectors computed from seeds: the same seed gives the same vector on every JVM. */
public final class VectorMath {
    private VectorMath() {}

    /**
     * A seed for the vector at {@code position} from a drawn seed: vectors stay distinct when
     * their drawn seeds shrink to the same value (the SplitMix64 finaliser).
     */
    static long seed(long drawn, long position) {
        long z = drawn ^ (position * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** Scales to length 1 in place; the zero vector stays zero. */
    public static float[] normalize(float[] v) {
        double n = norm(v);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / n);
            }
        }
        return v;
    }

    /** 1 - cosine similarity, in double precision; NaN when either vector is zero. */
    public static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return 1 - dot / Math.sqrt(na * nb);
    }

    /** Euclidean distance in double precision. */
    public static double l2Distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** A direction uniform on the sphere, scaled to {@code length}. */
    static float[] direction(SplittableRandom r, int dim, double length) {
        double[] g = new double[dim];
        double s = 0;
        for (int i = 0; i < dim; i++) {
            g[i] = r.nextGaussian();
            s += g[i] * g[i];
        }
        double scale = s > 0 ? length / Math.sqrt(s) : 0;
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (g[i] * scale);
        }
        if (s == 0) {
            v[0] = (float) length;
        }
        return v;
    }

    /** Unit-length centres of a clustered distribution, or null for the other distributions. */
    static float @Nullable [][] centres(VectorSpec spec, long seed) {
        if (!(spec.distribution() instanceof VectorDistribution.Clustered c)) {
            return null;
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[c.centres()][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = direction(r, spec.dimension(), 1.0);
        }
        return centres;
    }

    /** A vector of the spec's distribution, normalised when the spec says so. */
    static float[] draw(VectorSpec spec, float @Nullable [][] centres, long seed, int centre) {
        int dim = spec.dimension();
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[dim];
        VectorDistribution d = spec.distribution();
        if (d instanceof VectorDistribution.Clustered c && centres != null) {
            float[] at = centres[Math.floorMod(centre, centres.length)];
            double scale = c.spread() / Math.sqrt(dim);
            for (int i = 0; i < dim; i++) {
                v[i] = (float) (at[i] + scale * r.nextGaussian());
            }
        } else if (d instanceof VectorDistribution.Gaussian) {
            for (int i = 0; i < dim; i++) {
                v[i] = (float) r.nextGaussian();
            }
        } else if (d instanceof VectorDistribution.DecayingGaussian g) {
            for (int i = 0; i < dim; i++) {
                v[i] = (float) (Math.pow(1 + i, -g.decay()) * r.nextGaussian());
            }
        } else {
            for (int i = 0; i < dim; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        return spec.isNormalized() ? normalize(v) : v;
    }

    /** {@code of} plus noise of length {@code relative} times its length (an absolute {@code relative} for zero). */
    static float[] near(VectorSpec spec, float[] of, long seed, double relative) {
        double n = norm(of);
        float[] noise = direction(new SplittableRandom(seed), of.length, (n > 0 ? n : 1.0) * relative);
        float[] v = new float[of.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = of[i] + noise[i];
        }
        return spec.isNormalized() ? normalize(v) : v;
    }

    static float[] edge(VectorEdgeCase kind, int dim, long seed) {
        return switch (kind) {
            case ZERO -> new float[dim];
            case HUGE -> direction(new SplittableRandom(seed), dim, VectorSpec.HUGE_NORM);
            case TINY -> direction(new SplittableRandom(seed), dim, VectorSpec.TINY_NORM);
        };
    }

    /**
     * Of 16 candidate directions (the first opposite the data's mean direction), the one whose
     * smallest cosine distance to the non-zero data vectors is largest.
     */
    static float[] far(VectorSpec spec, List<float[]> data, long seed) {
        int dim = spec.dimension();
        double[] mean = new double[dim];
        double maxNorm = 0;
        for (float[] v : data) {
            double n = norm(v);
            maxNorm = Math.max(maxNorm, n);
            if (n > 0) {
                for (int i = 0; i < dim; i++) {
                    mean[i] += v[i] / n;
                }
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 16; c++) {
            float[] candidate;
            if (c == 0) {
                candidate = new float[dim];
                for (int i = 0; i < dim; i++) {
                    candidate[i] = (float) -mean[i];
                }
                if (norm(candidate) == 0) {
                    continue;
                }
                normalize(candidate);
            } else {
                candidate = direction(r, dim, 1.0);
            }
            double score = Double.POSITIVE_INFINITY;
            for (float[] v : data) {
                double d = cosineDistance(candidate, v);
                if (!Double.isNaN(d)) {
                    score = Math.min(score, d);
                }
            }
            if (best == null || score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        double length = spec.isNormalized() || maxNorm == 0 ? 1.0 : 10 * maxNorm;
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) (best[i] * length);
        }
        return out;
    }
}

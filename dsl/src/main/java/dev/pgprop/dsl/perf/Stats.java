package dev.pgprop.dsl.perf;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apiguardian.api.API;

/**
 * Statistics for invariants that judge samples rather than one value: percentiles, and
 * confidence bounds for a proportion (recall) and for a mean or a percentile (latency).
 *
 * <pre>{@code
 * Stats.Interval recall = Stats.clopperPearson(hits, queries * k, 0.95);
 * if (recall.lower() < 0.9) fail("recall@k may be below 0.9: " + recall);
 * double p95Bound = Stats.percentileUpperBound(latenciesMs, 95, 0.95);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Stats {
    private Stats() {}

    /** A two-sided confidence interval. */
    public record Interval(double lower, double upper, double confidence) {
        public boolean contains(double x) {
            return x >= lower && x <= upper;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "[%.4f, %.4f] (%.0f%% confidence)", lower, upper, confidence * 100);
        }
    }

    private static void checkConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive), such as 0.95; got " + confidence);
        }
    }

    private static void checkSample(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the sample is empty; measure at least once");
        }
    }

    /** The p-th percentile (0 < p <= 100) by linear interpolation (R-7, as numpy and Excel). */
    public static double percentile(double[] values, double p) {
        checkSample(values);
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        return new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(values, p);
    }

    /** Wilson score interval for {@code successes} out of {@code trials}. */
    public static Interval wilson(long successes, long trials, double confidence) {
        checkProportion(successes, trials);
        checkConfidence(confidence);
        double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double n = trials;
        double phat = successes / n;
        double denom = 1 + z * z / n;
        double centre = (phat + z * z / (2 * n)) / denom;
        double half = z * Math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom;
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half), confidence);
    }

    /** Clopper-Pearson ("exact") interval: conservative, for small samples and proportions near 0 or 1. */
    public static Interval clopperPearson(long successes, long trials, double confidence) {
        checkProportion(successes, trials);
        checkConfidence(confidence);
        double alpha = 1 - confidence;
        double lower = successes == 0 ? 0 : new BetaDistribution(successes, trials - successes + 1).inverseCumulativeProbability(alpha / 2);
        double upper = successes == trials ? 1
                : new BetaDistribution(successes + 1, trials - successes).inverseCumulativeProbability(1 - alpha / 2);
        return new Interval(lower, upper, confidence);
    }

    private static void checkProportion(long successes, long trials) {
        if (trials <= 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials > 0; got " + successes + " of " + trials);
        }
    }

    /** Student-t interval for the mean of a sample (at least 2 values). */
    public static Interval meanInterval(double[] values, double confidence) {
        checkConfidence(confidence);
        if (values.length < 2) {
            throw new IllegalArgumentException("a confidence interval for the mean needs at least 2 values, got " + values.length);
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
        double t = new TDistribution(values.length - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double half = t * Math.sqrt(var / values.length);
        return new Interval(mean - half, mean + half, confidence);
    }

    /**
     * A distribution-free upper confidence bound for the p-th percentile: the smallest order
     * statistic that is at least the true percentile with the given confidence (binomial
     * argument). Infinity when the sample is too small for that confidence.
     */
    public static double percentileUpperBound(double[] values, double p, double confidence) {
        checkSample(values);
        checkConfidence(confidence);
        if (!(p > 0 && p < 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100), got " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        BinomialDistribution b = new BinomialDistribution(n, p / 100);
        for (int k = 1; k <= n; k++) {
            // P(X_(k) >= q_p) = P(Binomial(n, p) <= k - 1)
            if (b.cumulativeProbability(k - 1) >= confidence) {
                return sorted[k - 1];
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}

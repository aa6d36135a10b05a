package dev.pgprop.dsl;

import dev.pgprop.dsl.perf.Stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesInterpolateLikeNumpy() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Stats.percentile(v, 50)).isEqualTo(5.5);
        assertThat(Stats.percentile(v, 95)).isCloseTo(9.55, within(1e-12));
        assertThat(Stats.percentile(v, 100)).isEqualTo(10);
        assertThatThrownBy(() -> Stats.percentile(new double[0], 50)).hasMessageContaining("empty");
    }

    @Test
    void proportionIntervalsMatchPublishedValues() {
        // 81 of 263 at 95 %: Wilson [0.2553, 0.3662] (Newcombe 1998); Clopper-Pearson [0.2532, 0.3676]
        Stats.Interval w = Stats.wilson(81, 263, 0.95);
        assertThat(w.lower()).isCloseTo(0.2553, within(5e-4));
        assertThat(w.upper()).isCloseTo(0.3662, within(5e-4));
        Stats.Interval cp = Stats.clopperPearson(81, 263, 0.95);
        assertThat(cp.lower()).isCloseTo(0.2532, within(5e-4));
        assertThat(cp.upper()).isCloseTo(0.3676, within(5e-4));
        // all successes: the exact upper bound is 1 and the lower is (alpha/2)^(1/n)
        Stats.Interval all = Stats.clopperPearson(20, 20, 0.95);
        assertThat(all.upper()).isEqualTo(1.0);
        assertThat(all.lower()).isCloseTo(Math.pow(0.025, 1.0 / 20), within(1e-9));
        assertThatThrownBy(() -> Stats.wilson(5, 4, 0.95)).hasMessageContaining("successes <= trials");
        assertThatThrownBy(() -> Stats.wilson(1, 4, 95)).hasMessageContaining("confidence must be between 0 and 1");
    }

    @Test
    void meanIntervalCoversTheTrueMeanAsOftenAsItClaims() {
        Random r = new Random(7);
        int covered = 0;
        for (int rep = 0; rep < 2000; rep++) {
            double[] v = new double[10];
            for (int i = 0; i < v.length; i++) {
                v[i] = 5 + r.nextGaussian();
            }
            if (Stats.meanInterval(v, 0.9).contains(5)) {
                covered++;
            }
        }
        // 90 % nominal; with 2000 reps the count is within 1800 +- 60 with overwhelming probability
        assertThat(covered).isBetween(1740, 1860);
    }

    @Test
    void percentileUpperBoundIsConservative() {
        Random r = new Random(11);
        int above = 0;
        double trueP95 = 1.6448536269514722; // of the standard normal
        for (int rep = 0; rep < 1000; rep++) {
            double[] v = new double[200];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian();
            }
            if (Stats.percentileUpperBound(v, 95, 0.9) >= trueP95) {
                above++;
            }
        }
        assertThat(above).as("bound >= true p95 in at least ~90 % of samples").isGreaterThanOrEqualTo(870);
        assertThat(Stats.percentileUpperBound(new double[] {1, 2, 3}, 95, 0.95)).isInfinite();
    }
}

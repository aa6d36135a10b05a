package dev.pgprop.generators.internal;

import java.math.BigInteger;
import net.jqwik.api.RandomDistribution;

/**
 * With probability {@code p}, a value drawn uniformly from one part of the range (the upper half,
 * or the lowest three values); otherwise jqwik's biased distribution over the whole range.
 * Shrinking is unaffected: it still moves towards the range's shrinking target.
 */
final class Mixture implements RandomDistribution {
    private final double p;
    private final boolean upperHalf;

    private Mixture(double p, boolean upperHalf) {
        this.p = p;
        this.upperHalf = upperHalf;
    }

    static Mixture upperHalf(double p) {
        return new Mixture(p, true);
    }

    static Mixture lowestThree(double p) {
        return new Mixture(p, false);
    }

    @Override
    public RandomNumericGenerator createGenerator(int genSize, BigInteger min, BigInteger max, BigInteger center) {
        RandomNumericGenerator base = RandomDistribution.biased().createGenerator(genSize, min, max, center);
        long lo;
        long hi;
        if (upperHalf) {
            lo = min.add(max).add(BigInteger.ONE).shiftRight(1).longValueExact();
            hi = max.longValueExact();
        } else {
            lo = min.longValueExact();
            hi = Math.min(max.longValueExact(), lo + 2);
        }
        long span = hi - lo + 1;
        return random -> random.nextDouble() < p
                ? BigInteger.valueOf(lo + (long) Math.floor(random.nextDouble() * span))
                : base.next(random);
    }

    @Override
    public String toString() {
        return (upperHalf ? "UpperHalf" : "LowestThree") + "Mixture(" + p + ")";
    }
}

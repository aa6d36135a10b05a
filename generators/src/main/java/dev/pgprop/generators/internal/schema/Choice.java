package dev.pgprop.generators.internal.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * A weighted choice between arbitraries that draws, shrinks and grows as jqwik's {@code
 * frequencyOf} and {@code oneOf} do (the same values from the same random source, the same shrink
 * candidates in the same order), without their cost per value. jqwik draws a choice through a
 * {@code flatMap}: every value looks the chosen branch's generator up in its store, and its
 * shrinkable draws the branch's value again from a stored seed each time the value is read. Here
 * each branch's generator is made once per generation size, the drawn shrinkable is kept, and only
 * a shrink towards an earlier branch draws again from the seed.
 *
 * <p>Shrinking, as jqwik's: first the chosen branch's own shrinks, then each earlier branch (in
 * order) drawn from the same seed, then what each of those can grow into. The distance is the
 * branch's position followed by the value's own distance.
 */
final class Choice<T> extends Delegating<T> {
    private final List<Arbitrary<T>> branches = new ArrayList<>();
    /** Cumulative weights: branch i is chosen for a number below bounds[i] and not below bounds[i - 1]. */
    private final int[] bounds;
    /** The position jqwik gives branch i when it shrinks: the first branch equal to it. */
    private final int[] position;
    private final ConcurrentHashMap<Long, Branches<T>> generators = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private Choice(List<Tuple2<Integer, Arbitrary<? extends T>>> weighted, Arbitrary<T> jqwik) {
        super(jqwik); // jqwik's own choice: its edge cases, exhaustive generation and memoisability are this one's
        int[] upper = new int[weighted.size()];
        int total = 0;
        for (Tuple2<Integer, Arbitrary<? extends T>> w : weighted) {
            total = Math.addExact(total, w.get1());
            upper[branches.size()] = total;
            branches.add((Arbitrary<T>) w.get2()); // only read from: a branch of a subtype draws Ts
        }
        bounds = upper;
        position = new int[branches.size()];
        for (int i = 0; i < branches.size(); i++) {
            position[i] = branches.indexOf(branches.get(i));
        }
    }

    /** As {@code Arbitraries.frequencyOf}: branches of weight 0 left out, a single branch on its own. */
    @SafeVarargs
    @SuppressWarnings({"varargs", "unchecked"})
    static <T> Arbitrary<T> frequencyOf(Tuple2<Integer, Arbitrary<? extends T>>... weighted) {
        List<Tuple2<Integer, Arbitrary<? extends T>>> positive = new ArrayList<>();
        for (Tuple2<Integer, Arbitrary<? extends T>> w : weighted) {
            if (w.get1() > 0) {
                positive.add(w);
            }
        }
        if (positive.isEmpty()) {
            throw new IllegalArgumentException("a choice needs a branch with a positive weight");
        }
        if (positive.size() == 1) {
            return (Arbitrary<T>) positive.get(0).get2();
        }
        return new Choice<>(positive, Arbitraries.frequencyOf(positive.toArray(new Tuple2[0])));
    }

    /** As {@code Arbitraries.oneOf}: every branch of weight 1, a single branch on its own. */
    @SuppressWarnings("unchecked")
    static <T> Arbitrary<T> oneOf(List<? extends Arbitrary<? extends T>> branches) {
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("a choice needs a branch");
        }
        if (branches.size() == 1) {
            return (Arbitrary<T>) branches.get(0);
        }
        List<Tuple2<Integer, Arbitrary<? extends T>>> weighted = new ArrayList<>();
        for (Arbitrary<? extends T> b : branches) {
            weighted.add(Tuple.of(1, b));
        }
        return new Choice<>(weighted, Arbitraries.oneOf(branches));
    }

    /** As {@code Arbitraries.oneOf}. */
    @SafeVarargs
    @SuppressWarnings("varargs")
    static <T> Arbitrary<T> oneOf(Arbitrary<? extends T>... branches) {
        return oneOf(List.of(branches));
    }

    @Override
    public RandomGenerator<T> generator(int genSize) {
        return drawing(genSize, false);
    }

    @Override
    public RandomGenerator<T> generatorWithEmbeddedEdgeCases(int genSize) {
        return drawing(genSize, true);
    }

    private RandomGenerator<T> drawing(int genSize, boolean edgeCases) {
        Branches<T> b = generators.computeIfAbsent(genSize * 2L + (edgeCases ? 1 : 0),
                k -> new Branches<>(this, genSize, edgeCases));
        return random -> {
            int drawn = pick(random.nextInt(bounds[bounds.length - 1]));
            long seed = random.nextLong();
            int i = position[drawn];
            return new Drawn<>(b, i, seed, b.draw(i, seed));
        };
    }

    private int pick(int n) {
        for (int i = 0; i < bounds.length; i++) {
            if (n < bounds[i]) {
                return i;
            }
        }
        throw new IllegalStateException("a choice drew " + n + " beyond its weights");
    }

    @Override
    public String toString() {
        return "Choice" + branches;
    }

    /** The branches' generators for one generation size: each made once, when first drawn from. */
    private static final class Branches<T> {
        private final Choice<T> choice;
        private final int genSize;
        private final boolean edgeCases;
        private final AtomicReferenceArray<RandomGenerator<T>> made;
        /** Whether jqwik would keep each branch's generator (asked once: a combination asks each of its parts). */
        private final boolean[] memoizable;

        Branches(Choice<T> choice, int genSize, boolean edgeCases) {
            this.choice = choice;
            this.genSize = genSize;
            this.edgeCases = edgeCases;
            this.made = new AtomicReferenceArray<>(choice.branches.size());
            this.memoizable = new boolean[choice.branches.size()];
            for (int i = 0; i < memoizable.length; i++) {
                memoizable[i] = choice.branches.get(i).isGeneratorMemoizable();
            }
        }

        Shrinkable<T> draw(int branch, long seed) {
            return generator(branch).next(new SeededRandom(seed));
        }

        private RandomGenerator<T> generator(int branch) {
            Arbitrary<T> a = choice.branches.get(branch);
            if (!memoizable[branch]) {
                return a.generator(genSize, edgeCases);
            }
            RandomGenerator<T> g = made.get(branch);
            if (g == null) {
                g = a.generator(genSize, edgeCases);
                made.set(branch, g);
            }
            return g;
        }
    }

    /** A drawn value: its branch, the seed every branch draws from, and the branch's shrinkable. */
    private static final class Drawn<T> implements Shrinkable<T> {
        private final Branches<T> branches;
        private final int branch;
        private final long seed;
        private final Shrinkable<T> value;

        Drawn(Branches<T> branches, int branch, long seed, Shrinkable<T> value) {
            this.branches = branches;
            this.branch = branch;
            this.seed = seed;
            this.value = value;
        }

        @Override
        public T value() {
            return value.value();
        }

        @Override
        public ShrinkingDistance distance() {
            return ShrinkingDistance.of(branch).append(value.distance());
        }

        @Override
        public Stream<Shrinkable<T>> shrink() {
            int size = value.distance().size();
            Stream<Shrinkable<T>> own = value.shrink().filter(s -> s.distance().size() <= size)
                    .map(s -> new Drawn<>(branches, branch, seed, s));
            // every branch before this one's position, a branch equal to an earlier one as that one
            int[] position = branches.choice.position;
            Stream<Shrinkable<T>> earlier = IntStream.range(0, branch).map(i -> position[i])
                    .mapToObj(i -> new Drawn<>(branches, i, seed, branches.draw(i, seed)));
            Stream<Shrinkable<T>> grown = IntStream.range(0, branch).map(i -> position[i]).boxed()
                    .flatMap(i -> branches.draw(i, seed).grow().map(g -> new Drawn<>(branches, i, seed, g)));
            return Stream.of(own, earlier, grown).flatMap(s -> s);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Drawn<?> d && Objects.equals(value(), d.value());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(value());
        }

        @Override
        public String toString() {
            return "Choice.Drawn<" + branch + ">(" + value() + ":" + distance() + ")";
        }
    }

    /**
     * The random source jqwik seeds a {@code flatMap}'s inner draw with (xorshift64, its seed mixed
     * by the SplitMix64 finaliser), so a branch draws here exactly what it draws under jqwik's choice.
     */
    static final class SeededRandom extends Random {
        private static final long serialVersionUID = 1L;
        private static final long NONZERO = 0xbf58476d1ce4e5b9L;
        private long state;

        SeededRandom(long seed) {
            super(0L);
            long z = seed;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z = z ^ (z >>> 31);
            state = z == 0 ? NONZERO : z;
        }

        @Override
        protected int next(int bits) {
            return (int) (nextLong() & ((1L << bits) - 1));
        }

        @Override
        public long nextLong() {
            long x = state;
            x ^= x << 21;
            x ^= x >>> 35;
            x ^= x << 4;
            state = x;
            return x;
        }
    }
}

package dev.pgprop.generators.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Choice} draws, shrinks and grows exactly as jqwik's {@code frequencyOf} and {@code oneOf}
 * (so the shrinking minima of datasets stay what they were), and {@link Kept} exactly as the
 * arbitrary it wraps, computing each value once.
 */
class ChoiceTest {
    private static final Arbitrary<String> SHORT = Arbitraries.strings().withChars("abc").ofMaxLength(5);
    private static final Arbitrary<String> FULL = Arbitraries.strings().withChars("xyz").ofLength(4);
    private static final Arbitrary<String> FIXED = Arbitraries.of("p", "q", "r");
    private static final Arbitrary<String> NUMBER = Arbitraries.integers().between(-50, 50).map(i -> "n" + i);

    @BeforeEach
    void session() {
        JqwikSession.start();
    }

    @AfterEach
    void finish() {
        JqwikSession.finish();
    }

    @Test
    void frequencyOfDrawsAndShrinksAsJqwiks() {
        sameTrees(Choice.frequencyOf(Tuple.of(5, SHORT), Tuple.of(2, FULL), Tuple.of(1, FIXED), Tuple.of(3, NUMBER)),
                Arbitraries.frequencyOf(Tuple.of(5, SHORT), Tuple.of(2, FULL), Tuple.of(1, FIXED), Tuple.of(3, NUMBER)));
    }

    @Test
    void nestedChoicesAndEqualBranchesAsJqwiks() {
        Arbitrary<String> inner = Choice.frequencyOf(Tuple.of(17, NUMBER), Tuple.of(3, FULL));
        Arbitrary<String> jqwikInner = Arbitraries.frequencyOf(Tuple.of(17, NUMBER), Tuple.of(3, FULL));
        // FIXED twice: jqwik shrinks a branch equal to an earlier one as that one
        sameTrees(Choice.frequencyOf(Tuple.of(19, inner), Tuple.of(1, FIXED), Tuple.of(1, FIXED)).map(s -> s + "!"),
                Arbitraries.frequencyOf(Tuple.of(19, jqwikInner), Tuple.of(1, FIXED), Tuple.of(1, FIXED)).map(s -> s + "!"));
    }

    @Test
    void oneOfDrawsAndShrinksAsJqwiks() {
        sameTrees(Choice.oneOf(List.of(FULL, SHORT, NUMBER)), Arbitraries.oneOf(List.of(FULL, SHORT, NUMBER)));
        assertThat(Choice.oneOf(List.of(SHORT))).isSameAs(SHORT);
        assertThat(Choice.frequencyOf(Tuple.of(0, FULL), Tuple.of(4, SHORT))).isSameAs(SHORT);
    }

    @Test
    void aDifferentChoiceIsToldApart() {
        // the comparison can fail: the same branches in another order draw and shrink differently
        assertThatThrownBy(() -> sameTrees(Choice.frequencyOf(Tuple.of(5, SHORT), Tuple.of(2, FULL), Tuple.of(3, NUMBER)),
                Arbitraries.frequencyOf(Tuple.of(5, SHORT), Tuple.of(3, NUMBER), Tuple.of(2, FULL)))).isInstanceOf(AssertionError.class);
    }

    @Test
    void keptDrawsAndShrinksAsTheArbitraryItWraps() {
        Arbitrary<String> row = Combinators.combine(SHORT, NUMBER, FIXED).as((a, b, c) -> a + "|" + b + "|" + c);
        sameTrees(Kept.of(row).filter(s -> !s.startsWith("b")), row.filter(s -> !s.startsWith("b")));
    }

    @Test
    void keptComputesAValueOnce() {
        AtomicInteger calls = new AtomicInteger();
        Arbitrary<String> counted = NUMBER.map(s -> {
            calls.incrementAndGet();
            return s + "#";
        });
        Shrinkable<String> kept = Kept.of(counted).generator(100, false).next(new Random(1));
        for (int i = 0; i < 3; i++) {
            kept.value();
        }
        assertThat(calls).hasValue(1);
        calls.set(0);
        Shrinkable<String> plain = counted.generator(100, false).next(new Random(1));
        for (int i = 0; i < 3; i++) {
            plain.value();
        }
        assertThat(calls).as("without Kept, each read computes the value again").hasValue(3);
    }

    /** Same values, distances, shrink and grow candidates, draw after draw, with and without edge cases. */
    private static <T> void sameTrees(Arbitrary<T> ours, Arbitrary<T> jqwik) {
        for (boolean edgeCases : new boolean[] {false, true}) {
            RandomGenerator<T> a = ours.generator(100, edgeCases);
            RandomGenerator<T> b = jqwik.generator(100, edgeCases);
            Random ra = new Random(42);
            Random rb = new Random(42);
            for (int i = 0; i < 200; i++) {
                sameTree(a.next(ra), b.next(rb), 4);
            }
        }
    }

    private static <T> void sameTree(Shrinkable<T> a, Shrinkable<T> b, int depth) {
        assertThat(a.value()).isEqualTo(b.value());
        assertThat(a.distance()).isEqualTo(b.distance());
        List<Shrinkable<T>> grownA = a.grow().limit(8).toList();
        List<Shrinkable<T>> grownB = b.grow().limit(8).toList();
        assertThat(grownA.stream().map(Shrinkable::value).toList()).isEqualTo(grownB.stream().map(Shrinkable::value).toList());
        if (depth == 0) {
            return;
        }
        List<Shrinkable<T>> as = a.shrink().limit(40).toList();
        List<Shrinkable<T>> bs = b.shrink().limit(40).toList();
        assertThat(as.stream().map(Shrinkable::value).toList()).isEqualTo(bs.stream().map(Shrinkable::value).toList());
        assertThat(as.stream().map(Shrinkable::distance).toList()).isEqualTo(bs.stream().map(Shrinkable::distance).toList());
        if (!as.isEmpty()) {
            // down the first candidate (where shrinking goes when it can) and the last one listed
            sameTree(as.get(0), bs.get(0), depth - 1);
            sameTree(as.get(as.size() - 1), bs.get(bs.size() - 1), depth - 1);
        }
    }
}

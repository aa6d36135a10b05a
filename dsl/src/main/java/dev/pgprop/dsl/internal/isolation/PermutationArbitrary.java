package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.concurrency.IsolationSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;

/**
 * Random permutations of a spec: a uniformly drawn interleaving of every session's steps (each
 * session's in order). A failing one shrinks by leaving one step out, then by swapping two
 * neighbouring steps of different sessions so that the earlier session's step comes first: the
 * distance is (number of steps, inversions of the session order), so the shrunk permutation has
 * as few steps as fail and, among those, is the closest to running the sessions one after another.
 */
public final class PermutationArbitrary {
    private PermutationArbitrary() {}

    public static Arbitrary<IsolationSpec.Permutation> of(IsolationSpec spec) {
        Map<String, Integer> sessionIndex = new HashMap<>();
        List<List<String>> bySession = new ArrayList<>();
        for (int i = 0; i < spec.sessions().size(); i++) {
            List<String> names = new ArrayList<>();
            for (IsolationSpec.Step s : spec.sessions().get(i).steps()) {
                names.add(s.name());
                sessionIndex.put(s.name(), i);
            }
            bySession.add(names);
        }
        return Arbitraries.fromGenerator(random -> new Node(draw(bySession, random), sessionIndex));
    }

    /** Uniform over interleavings: the next session is chosen with weight its remaining steps. */
    static List<String> draw(List<List<String>> bySession, Random random) {
        int[] next = new int[bySession.size()];
        int left = bySession.stream().mapToInt(List::size).sum();
        List<String> out = new ArrayList<>();
        while (left > 0) {
            int pick = random.nextInt(left);
            for (int i = 0; i < bySession.size(); i++) {
                int remaining = bySession.get(i).size() - next[i];
                if (pick < remaining) {
                    out.add(bySession.get(i).get(next[i]++));
                    break;
                }
                pick -= remaining;
            }
            left--;
        }
        return out;
    }

    private record Node(List<String> steps, Map<String, Integer> sessionIndex) implements Shrinkable<IsolationSpec.Permutation> {
        @Override
        public IsolationSpec.Permutation value() {
            return new IsolationSpec.Permutation(steps.stream().map(s -> new IsolationSpec.PermutationStep(s, List.of(), 0)).toList());
        }

        @Override
        public Stream<Shrinkable<IsolationSpec.Permutation>> shrink() {
            List<Shrinkable<IsolationSpec.Permutation>> out = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                List<String> fewer = new ArrayList<>(steps);
                fewer.remove(i);
                out.add(new Node(fewer, sessionIndex));
            }
            for (int i = 0; i + 1 < steps.size(); i++) {
                if (sessionIndex.get(steps.get(i)) > sessionIndex.get(steps.get(i + 1))) {
                    List<String> swapped = new ArrayList<>(steps);
                    swapped.set(i, steps.get(i + 1));
                    swapped.set(i + 1, steps.get(i));
                    out.add(new Node(swapped, sessionIndex));
                }
            }
            return out.stream();
        }

        @Override
        public ShrinkingDistance distance() {
            long inversions = 0;
            for (int i = 0; i < steps.size(); i++) {
                for (int j = i + 1; j < steps.size(); j++) {
                    if (sessionIndex.get(steps.get(i)) > sessionIndex.get(steps.get(j))) {
                        inversions++;
                    }
                }
            }
            return ShrinkingDistance.of(steps.size(), inversions);
        }
    }
}

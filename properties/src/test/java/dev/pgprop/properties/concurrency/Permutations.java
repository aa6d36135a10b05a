package dev.pgprop.properties.concurrency;

import java.util.ArrayList;
import java.util.List;

/** Every order of a few items (serial orders of transactions). */
final class Permutations {
    private Permutations() {}

    static <T> List<List<T>> of(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> p : of(rest)) {
                List<T> l = new ArrayList<>();
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }
}

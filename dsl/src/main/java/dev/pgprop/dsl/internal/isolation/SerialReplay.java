package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.concurrency.IsolationOracle;
import dev.pgprop.dsl.concurrency.IsolationRun;
import dev.pgprop.dsl.concurrency.IsolationSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The serializability oracle by serial replay: a permutation whose steps all succeeded must read
 * and leave what one serial order of its sessions reads and leaves.
 */
public final class SerialReplay implements IsolationOracle {
    private final String stateSql;

    public SerialReplay(String stateSql) {
        this.stateSql = stateSql;
    }

    private record Seen(List<IsolationRun.Table> results, @Nullable String error) {}

    @Override
    public Optional<String> violation(IsolationRun.PermutationOutcome outcome, Context context) {
        if (!outcome.allSucceeded()) {
            return Optional.empty();
        }
        Map<String, List<String>> bySession = new LinkedHashMap<>();
        for (IsolationSpec.PermutationStep ps : outcome.permutation().steps()) {
            String session = context.spec().step(ps.step()).session();
            bySession.computeIfAbsent(session, k -> new ArrayList<>()).add(ps.step());
        }
        Map<String, Object> seen = observations(outcome);
        List<String> tried = new ArrayList<>();
        String firstDiff = null;
        for (List<String> order : orders(new ArrayList<>(bySession.keySet()))) {
            List<IsolationSpec.PermutationStep> serial = new ArrayList<>();
            order.forEach(s -> bySession.get(s).forEach(st -> serial.add(new IsolationSpec.PermutationStep(st, List.of(), 0))));
            IsolationRun.PermutationOutcome replayed = context.replay(new IsolationSpec.Permutation(serial));
            Map<String, Object> other = observations(replayed);
            if (other.equals(seen)) {
                return Optional.empty();
            }
            tried.add(String.join(" then ", order));
            if (firstDiff == null) {
                firstDiff = difference(seen, other, String.join(" then ", order));
            }
        }
        return Optional.of("every step succeeded, but no serial order (" + String.join("; ", tried)
                + ") reads and leaves the same; " + firstDiff);
    }

    private Map<String, Object> observations(IsolationRun.PermutationOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (IsolationRun.StepOutcome s : o.steps()) {
            m.put("step " + s.step(), new Seen(s.results(), s.errorLine()));
        }
        m.put("final state", o.state(stateSql));
        return m;
    }

    private static String difference(Map<String, Object> seen, Map<String, Object> serial, String order) {
        for (Map.Entry<String, Object> e : seen.entrySet()) {
            Object other = serial.get(e.getKey());
            if (!e.getValue().equals(other)) {
                return e.getKey() + " gave " + show(e.getValue()) + ", but " + show(other) + " in " + order;
            }
        }
        return "they differ";
    }

    private static String show(@Nullable Object o) {
        if (o instanceof Seen s) {
            return s.error() != null ? s.error() : s.results().stream().map(t -> t.rows().toString()).toList().toString();
        }
        if (o instanceof IsolationRun.Table t) {
            return t.rows().toString();
        }
        return String.valueOf(o);
    }

    static List<List<String>> orders(List<String> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String first = rest.remove(i);
            for (List<String> tail : orders(rest)) {
                List<String> o = new ArrayList<>();
                o.add(first);
                o.addAll(tail);
                out.add(o);
            }
        }
        return out;
    }

    @Override
    public List<String> stateQueries() {
        return List.of(stateSql);
    }

    @Override
    public String describe() {
        return "serializable";
    }
}

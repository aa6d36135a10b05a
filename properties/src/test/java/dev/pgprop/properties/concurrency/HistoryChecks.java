package dev.pgprop.properties.concurrency;

import static dev.pgprop.properties.concurrency.RandomHistory.allocationId;
import static dev.pgprop.properties.concurrency.RandomHistory.writtenValue;

import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.concurrency.HistoryInvariants;
import dev.pgprop.dsl.concurrency.SerialEquivalence;
import dev.pgprop.properties.concurrency.RandomHistory.Kind;
import dev.pgprop.properties.concurrency.RandomHistory.Op;
import dev.pgprop.properties.concurrency.RandomHistory.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What each isolation level guarantees of a {@link RandomHistory}, as invariants on its outcome.
 * The checks that need no knowledge of the reference schema are the library's ({@link
 * HistoryInvariants}, {@link SerialEquivalence}); the ones here model inventory and allocations.
 *
 * <ul>
 *   <li>SERIALIZABLE: the committed transactions' reads and the final state are those of some
 *       serial order ({@link SerialEquivalence}, comparing inventory and allocations without
 *       {@code allocated_at}, which a replay sets to its own {@code now()}).
 *   <li>READ COMMITTED: every read sees exactly the rows committed when it started, plus its own
 *       writes: never uncommitted or aborted data.
 *   <li>REPEATABLE READ: a transaction reads the same rows again ({@link
 *       HistoryInvariants#repeatableReads}); of two concurrent transactions that update the same
 *       row, at most one commits (the other ends in 40001).
 * </ul>
 */
final class HistoryChecks {
    private HistoryChecks() {}

    // ---------------------------------------------------------------- SERIALIZABLE

    static Invariant serialEquivalent() {
        return SerialEquivalence.ofEveryTable()
                .tables("inventory")
                .queries("select id, sku, quantity, status from allocations")
                .invariant();
    }

    // ---------------------------------------------------------------- READ COMMITTED

    static Invariant readCommitted(RandomHistory history) {
        return Invariants.invariant("read committed: each read sees the rows committed when it started and its own"
                + " writes, never uncommitted or aborted data", ctx -> {
            InterleavingOutcome o = ctx.outcome().interleaving();
            List<Step> steps = history.steps();
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                StepOutcome read = o.step(i);
                if (!st.op().reads() || read.status() != InterleavingOutcome.Status.DONE) {
                    continue;
                }
                List<Integer> visible = new ArrayList<>();
                List<Integer> ambiguous = new ArrayList<>();
                for (int t = 0; t < history.transactions(); t++) {
                    if (t == st.txn()) {
                        continue;
                    }
                    Optional<StepOutcome> commit = commitOf(o, t);
                    if (commit.isEmpty()) {
                        continue; // rolled back or aborted: never visible
                    }
                    if (commit.get().endedAt().compareTo(read.startedAt()) < 0) {
                        visible.add(t);
                    } else if (commit.get().startedAt().compareTo(read.endedAt()) <= 0) {
                        ambiguous.add(t); // the commit and the read overlapped in time: either is right
                    }
                }
                List<List<Row>> allowed = new ArrayList<>();
                for (int mask = 0; mask < 1 << ambiguous.size(); mask++) {
                    List<Integer> seen = new ArrayList<>(visible);
                    for (int b = 0; b < ambiguous.size(); b++) {
                        if ((mask & 1 << b) != 0) {
                            seen.add(ambiguous.get(b));
                        }
                    }
                    allowed.add(expectedRead(history, steps, o, i, seen));
                }
                if (!allowed.contains(read.rows())) {
                    ctx.fail("#" + i + " " + st + " read " + read.rows() + " but the rows committed when it started"
                            + " (committed before it: " + names(visible) + (ambiguous.isEmpty() ? "" : ", maybe " + names(ambiguous))
                            + ") and its own writes are " + (allowed.size() == 1 ? allowed.get(0) : "one of " + allowed),
                            List.of(Row.of("step", i, "read", read.rows().toString(), "expected", allowed.toString())));
                }
            }
        });
    }

    /** The rows read at step {@code at} if exactly {@code seen} (and the reader's own earlier steps) were visible. */
    private static List<Row> expectedRead(RandomHistory history, List<Step> steps, InterleavingOutcome o, int at,
                                          List<Integer> seen) {
        Step reader = steps.get(at);
        Op read = reader.op();
        int[] onHand = {history.initialOnHand(0), history.initialOnHand(1)};
        TreeMap<UUID, Op> allocations = new TreeMap<>();
        List<Integer> order = new ArrayList<>(seen);
        // writers of one row commit in the order their commits started (the later one waited for the earlier)
        order.sort(Comparator.comparing((Integer t) -> commitOf(o, t).orElseThrow().startedAt()));
        order.add(reader.txn());
        for (int t : order) {
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                if (st.txn() != t || (t == reader.txn() && i >= at)) {
                    continue;
                }
                if (st.op().kind() == Kind.WRITE) {
                    onHand[st.op().sku()] = writtenValue(i);
                } else if (st.op().kind() == Kind.ALLOCATE) {
                    allocations.put(allocationId(i), st.op());
                }
            }
        }
        int[] allocated = new int[2];
        allocations.values().forEach(a -> allocated[a.sku()] += a.quantity());
        List<Row> rows = new ArrayList<>();
        switch (read.kind()) {
            case READ -> rows.add(Row.of("sku", read.skuName(), "on_hand", onHand[read.sku()], "allocated", allocated[read.sku()]));
            case PREDICATE_READ -> {
                for (int k = 0; k < 2; k++) {
                    if (onHand[k] >= read.threshold()) {
                        rows.add(Row.of("sku", RandomHistory.SKUS.get(k), "on_hand", onHand[k]));
                    }
                }
            }
            case ALLOCATION_READ -> allocations.forEach((id, a) -> {
                if (a.sku() == read.sku()) {
                    rows.add(Row.of("id", id, "quantity", a.quantity()));
                }
            });
            default -> throw new IllegalArgumentException(reader + " is not a read");
        }
        return rows;
    }

    // ---------------------------------------------------------------- REPEATABLE READ

    static Invariant repeatableReads() {
        return HistoryInvariants.repeatableReads();
    }

    static Invariant firstUpdaterWins(RandomHistory history) {
        return Invariants.invariant("repeatable read: of two concurrent transactions updating one row, at most one"
                + " commits", ctx -> {
            InterleavingOutcome o = ctx.outcome().interleaving();
            List<Step> steps = history.steps();
            int n = history.transactions();
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    if (commitOf(o, a).isEmpty() || commitOf(o, b).isEmpty()) {
                        continue;
                    }
                    for (int sku = 0; sku < RandomHistory.SKUS.size(); sku++) {
                        if (!updates(steps, a, sku) || !updates(steps, b, sku)) {
                            continue;
                        }
                        // the snapshot is taken by the first step; concurrent: each began before the other committed
                        boolean concurrent = firstStep(steps, a) < commitOf(o, b).orElseThrow().index()
                                && firstStep(steps, b) < commitOf(o, a).orElseThrow().index();
                        if (concurrent) {
                            ctx.fail(name(a) + " and " + name(b) + " both updated " + RandomHistory.SKUS.get(sku)
                                    + " and both committed, though each began before the other committed",
                                    List.of(Row.of("row", RandomHistory.SKUS.get(sku), "transactions", name(a) + ", " + name(b))));
                        }
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static String name(int txn) {
        return "T" + (txn + 1);
    }

    /** The transaction's commit step, when it committed. */
    static Optional<StepOutcome> commitOf(InterleavingOutcome o, int txn) {
        if (!o.committed(name(txn))) {
            return Optional.empty();
        }
        return o.stepsOf(name(txn)).stream().filter(s -> s.kind() == Interleaving.Kind.COMMIT).findFirst();
    }

    private static boolean updates(List<Step> steps, int txn, int sku) {
        return steps.stream().anyMatch(s -> s.txn() == txn && s.op().writes() && s.op().sku() == sku);
    }

    private static int firstStep(List<Step> steps, int txn) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).txn() == txn) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String names(List<Integer> txns) {
        return txns.stream().map(HistoryChecks::name).toList().toString();
    }

    /** For statistics: whether any step of the outcome blocked. */
    static boolean anyBlocked(InterleavingOutcome o) {
        return !o.blockedSteps().isEmpty();
    }
}

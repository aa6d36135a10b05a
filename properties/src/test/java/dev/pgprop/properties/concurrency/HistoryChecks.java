package dev.pgprop.properties.concurrency;

import static dev.pgprop.properties.concurrency.RandomHistory.allocationId;
import static dev.pgprop.properties.concurrency.RandomHistory.writtenValue;

import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.Row;
import dev.pgprop.properties.concurrency.RandomHistory.Kind;
import dev.pgprop.properties.concurrency.RandomHistory.Op;
import dev.pgprop.properties.concurrency.RandomHistory.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * What each isolation level guarantees of a {@link RandomHistory}, as invariants on its outcome.
 *
 * <ul>
 *   <li>SERIALIZABLE: the committed transactions' reads and the final state are those of some
 *       serial order, found by replaying them serially in every order (a search that abandons an
 *       order as soon as one of its reads differs).
 *   <li>READ COMMITTED: every read sees exactly the rows committed when it started, plus its own
 *       writes: never uncommitted or aborted data.
 *   <li>REPEATABLE READ: a transaction reads the same rows again; of two concurrent transactions
 *       that update the same row, at most one commits (the other ends in 40001).
 * </ul>
 */
final class HistoryChecks {
    /** Serial replays tried at most, so that a pathological history cannot stall the suite. */
    static final int MAX_REPLAYS = 50_000;

    private HistoryChecks() {}

    /** The final rows of both tables. */
    record State(List<Row> inventory, List<Row> allocations) {}

    static State state(Handle h) {
        return new State(h.select("select sku, on_hand, allocated from inventory order by sku").mapTo(Row.class).list(),
                h.select("select id, sku, quantity, status from allocations order by id").mapTo(Row.class).list());
    }

    // ---------------------------------------------------------------- SERIALIZABLE

    static Invariant serialEquivalent(RandomHistory history) {
        return Invariants.invariant("serial equivalence: some serial order of the committed transactions gives their"
                + " reads and the final state", ctx -> {
            InterleavingOutcome o = ctx.outcome().interleaving();
            List<Step> steps = history.steps();
            List<Integer> committed = new ArrayList<>();
            for (int t = 0; t < history.transactions(); t++) {
                if (o.committed(name(t))) {
                    committed.add(t);
                }
            }
            Handle h = ctx.handle();
            State actual = state(h);
            Connection c = h.getConnection();
            Search search = new Search(h, steps, o, actual);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("delete from allocations");
                s.execute("delete from inventory");
                h.execute("insert into inventory (sku, on_hand) values (?, ?), (?, ?)", RandomHistory.SKUS.get(0),
                        history.onHand1(), RandomHistory.SKUS.get(1), history.onHand2());
                if (search.find(committed, new ArrayList<>())) {
                    return;
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            List<Row> rows = new ArrayList<>();
            search.mismatches.forEach(m -> rows.add(Row.of("serial order tried", m[0], "differs", m[1])));
            ctx.fail("no serial order of the committed transactions " + names(committed) + " reproduces what they read"
                    + " and the final state (" + search.replays + " replays)", rows);
        });
    }

    /** Depth-first search over serial orders; each transaction runs inside a savepoint. */
    private static final class Search {
        final Handle h;
        final List<Step> steps;
        final InterleavingOutcome o;
        final State actual;
        final List<String[]> mismatches = new ArrayList<>();
        int replays;

        Search(Handle h, List<Step> steps, InterleavingOutcome o, State actual) {
            this.h = h;
            this.steps = steps;
            this.o = o;
            this.actual = actual;
        }

        boolean find(List<Integer> remaining, List<Integer> prefix) throws SQLException {
            if (remaining.isEmpty()) {
                State serial = state(h);
                if (serial.equals(actual)) {
                    return true;
                }
                note(prefix, "final state " + actual + ", serially " + serial);
                return false;
            }
            if (++replays > MAX_REPLAYS) {
                throw new IllegalStateException("more than " + MAX_REPLAYS + " serial replays; shorten the histories");
            }
            Connection c = h.getConnection();
            for (Integer t : remaining) {
                String sp = "order_" + prefix.size();
                try (Statement s = c.createStatement()) {
                    s.execute("SAVEPOINT " + sp);
                }
                List<Integer> order = new ArrayList<>(prefix);
                order.add(t);
                try {
                    String mismatch = replay(t);
                    if (mismatch != null) {
                        note(order, mismatch);
                    } else {
                        List<Integer> rest = new ArrayList<>(remaining);
                        rest.remove(t);
                        if (find(rest, order)) {
                            return true;
                        }
                    }
                } finally {
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK TO SAVEPOINT " + sp);
                    }
                }
            }
            return false;
        }

        /** Runs one transaction's steps; the first read that differs from what it read in the history, or null. */
        private @Nullable String replay(int txn) {
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                Op op = st.op();
                if (st.txn() != txn || op.ends()) {
                    continue;
                }
                try {
                    if (op.reads()) {
                        List<Row> rows = h.select(RandomHistory.sql(op), RandomHistory.args(op, i)).mapTo(Row.class).list();
                        if (!rows.equals(o.step(i).rows())) {
                            return "#" + i + " " + st + " read " + o.step(i).rows() + ", serially " + rows;
                        }
                    } else {
                        h.execute(RandomHistory.sql(op), RandomHistory.args(op, i));
                    }
                } catch (RuntimeException e) {
                    return "#" + i + " " + st + " fails serially: " + e.getMessage();
                }
            }
            return null;
        }

        private void note(List<Integer> order, String mismatch) {
            if (mismatches.size() < 10) {
                mismatches.add(new String[] {names(order), mismatch});
            }
        }
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

    static Invariant repeatableReads(RandomHistory history) {
        return Invariants.invariant("repeatable read: a transaction reads the same rows again", ctx -> {
            InterleavingOutcome o = ctx.outcome().interleaving();
            List<Step> steps = history.steps();
            for (int i = 0; i < steps.size(); i++) {
                for (int j = i + 1; j < steps.size(); j++) {
                    Step a = steps.get(i);
                    Step b = steps.get(j);
                    if (a.txn() != b.txn() || !a.op().reads() || !sameRead(a.op(), b.op())
                            || o.step(j).status() != InterleavingOutcome.Status.DONE || ownWriteBetween(steps, a.txn(), i, j)) {
                        continue;
                    }
                    if (!o.step(i).rows().equals(o.step(j).rows())) {
                        ctx.fail(a.txnName() + " read " + o.step(i).rows() + " at #" + i + " and " + o.step(j).rows()
                                + " at #" + j + " with no write of its own in between",
                                List.of(Row.of("step", i, "rows", o.step(i).rows().toString()),
                                        Row.of("step", j, "rows", o.step(j).rows().toString())));
                    }
                }
            }
        });
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

    private static boolean sameRead(Op a, Op b) {
        if (a.kind() != b.kind()) {
            return false;
        }
        return a.kind() == Kind.PREDICATE_READ ? a.threshold() == b.threshold() : a.sku() == b.sku();
    }

    private static boolean ownWriteBetween(List<Step> steps, int txn, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            if (steps.get(k).txn() == txn && steps.get(k).op().writes()) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<Integer> txns) {
        return txns.stream().map(HistoryChecks::name).toList().toString();
    }

    /** For statistics: whether any step of the outcome blocked. */
    static boolean anyBlocked(InterleavingOutcome o) {
        return !o.blockedSteps().isEmpty();
    }
}

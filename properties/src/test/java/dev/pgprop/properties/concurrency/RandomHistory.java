package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * A generated history: two SKUs in stock and a global order of steps of three sessions over
 * inventory and allocations. A session runs one transaction after another: after its commit or
 * rollback its next step begins a new transaction. Transactions are named T1, T2, … in the order
 * of their first step, and each runs on its own connection. Every write is traceable: an
 * inventory write sets {@code on_hand} to a value no other step writes (1000 + its position), an
 * allocation gets an id made from its position. jqwik shrinks the list of steps, so a failure
 * shrinks to the shortest interleaving that still fails.
 */
public record RandomHistory(int onHand1, int onHand2, List<Op> ops) {
    public static final int SESSIONS = 3;
    public static final List<String> SKUS = List.of("SKU-000001", "SKU-000002");

    public RandomHistory {
        ops = List.copyOf(ops);
    }

    /** What a step does. */
    public enum Kind {
        /** {@code select sku, on_hand, allocated from inventory where sku = ?} */
        READ,
        /** {@code update inventory set on_hand = <unique> where sku = ?} */
        WRITE,
        /** {@code select sku, on_hand from inventory where on_hand >= ?}: a predicate read */
        PREDICATE_READ,
        /** {@code select id, quantity from allocations where sku = ?}: a predicate read of allocations */
        ALLOCATION_READ,
        /** {@code insert into allocations ...}: the trigger adds its quantity to inventory.allocated */
        ALLOCATE,
        /** The transaction's first read again (a {@link #READ} when it has read nothing yet) */
        REREAD,
        COMMIT,
        ROLLBACK
    }

    /** One generated step: a session (0..2), what it does, on which SKU (0..1), and an amount. */
    public record Op(int session, Kind kind, int sku, int amount) {
        /** The session slot: S1..S3 (its transactions are named T1, T2, … in order of appearance). */
        public String sessionName() {
            return "S" + (session + 1);
        }

        public String skuName() {
            return SKUS.get(sku);
        }

        boolean ends() {
            return kind == Kind.COMMIT || kind == Kind.ROLLBACK;
        }

        boolean writes() {
            return kind == Kind.WRITE || kind == Kind.ALLOCATE;
        }

        boolean reads() {
            return kind == Kind.READ || kind == Kind.PREDICATE_READ || kind == Kind.ALLOCATION_READ;
        }

        int threshold() {
            return List.of(0, 150, 1000).get(amount % 3);
        }

        int quantity() {
            return amount % 5 + 1;
        }

        @Override
        public String toString() {
            return sessionName() + " " + switch (kind) {
                case READ -> "read " + skuName();
                case WRITE -> "write " + skuName();
                case PREDICATE_READ -> "read on_hand >= " + threshold();
                case ALLOCATION_READ -> "read allocations of " + skuName();
                case ALLOCATE -> "allocate " + quantity() + " of " + skuName();
                case REREAD -> "read again";
                case COMMIT -> "commit";
                case ROLLBACK -> "rollback";
            };
        }
    }

    /** Histories of 1 to {@code maxSteps} steps. */
    public static Arbitrary<RandomHistory> histories(int maxSteps) {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(4, Kind.READ), Tuple.of(5, Kind.WRITE), Tuple.of(2, Kind.PREDICATE_READ),
                Tuple.of(2, Kind.ALLOCATION_READ), Tuple.of(3, Kind.ALLOCATE), Tuple.of(3, Kind.REREAD), Tuple.of(3, Kind.COMMIT),
                Tuple.of(1, Kind.ROLLBACK));
        Arbitrary<Integer> sessions = Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(2, 1), Tuple.of(1, 2));
        Arbitrary<Op> op = Combinators.combine(sessions, kinds,
                Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(1, 1)), Arbitraries.integers().between(0, 5)).as(Op::new);
        Arbitrary<Integer> stock = Arbitraries.integers().between(100, 200);
        return Combinators.combine(stock, stock, op.list().ofMinSize(1).ofMaxSize(maxSteps)
                .withSizeDistribution(RandomDistribution.uniform())).as(RandomHistory::new)
                .filter(h -> !h.steps().isEmpty());
    }

    /** A step of the history as it runs: the generated step and the transaction (0 = T1) it belongs to. */
    public record Step(Op op, int txn) {
        public String txnName() {
            return "T" + (txn + 1);
        }

        @Override
        public String toString() {
            return txnName() + op.toString().substring(op.toString().indexOf(' '));
        }
    }

    /**
     * The steps that run, each in its transaction. A commit or rollback with nothing before it in
     * its transaction is dropped (an empty transaction), so there are at most as many
     * transactions as steps.
     */
    public List<Step> steps() {
        int[] current = new int[SESSIONS];
        Arrays.fill(current, -1);
        Op[] firstRead = new Op[SESSIONS];
        int next = 0;
        List<Step> out = new ArrayList<>();
        for (Op generated : ops) {
            int s = generated.session();
            if (current[s] < 0) {
                if (generated.ends()) {
                    continue;
                }
                current[s] = next++;
                firstRead[s] = null;
            }
            Op o = generated;
            if (o.kind() == Kind.REREAD) {
                Op first = firstRead[s];
                o = first != null ? first : new Op(s, Kind.READ, o.sku(), o.amount());
            }
            if (o.reads() && firstRead[s] == null) {
                firstRead[s] = o;
            }
            out.add(new Step(o, current[s]));
            if (o.ends()) {
                current[s] = -1;
            }
        }
        return out;
    }

    /** How many transactions the steps make. */
    public int transactions() {
        return steps().stream().mapToInt(Step::txn).max().orElse(-1) + 1;
    }

    /** The stock both SKUs start with. */
    public Dataset stock() {
        return Dataset.empty()
                .plus("inventory", Row.of("sku", SKUS.get(0), "on_hand", onHand1))
                .plus("inventory", Row.of("sku", SKUS.get(1), "on_hand", onHand2));
    }

    int initialOnHand(int sku) {
        return sku == 0 ? onHand1 : onHand2;
    }

    /** The value an inventory write at this position sets: distinct from every other write and from the stock. */
    static int writtenValue(int position) {
        return 1000 + position;
    }

    /** The id of an allocation inserted at this position. */
    static UUID allocationId(int position) {
        return new UUID(0x5eed, position + 1);
    }

    /** The steps as an interleaving of transactions T1..Tn, every one at {@code level}. */
    public Interleaving interleaving(Level level) {
        List<Step> steps = steps();
        String[] names = new String[Math.max(1, transactions())];
        for (int t = 0; t < names.length; t++) {
            names[t] = "T" + (t + 1);
        }
        Interleaving il = Interleaving.of(level.jdbi(), names);
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            Op o = st.op();
            il = switch (o.kind()) {
                case COMMIT -> il.commit(st.txnName());
                case ROLLBACK -> il.rollback(st.txnName());
                default -> il.step(st.txnName(), sql(o), args(o, i));
            };
        }
        return il;
    }

    static String sql(Op o) {
        return switch (o.kind()) {
            case READ -> "select sku, on_hand, allocated from inventory where sku = ?";
            case WRITE -> "update inventory set on_hand = ? where sku = ?";
            case PREDICATE_READ -> "select sku, on_hand from inventory where on_hand >= ? order by sku";
            case ALLOCATION_READ -> "select id, quantity from allocations where sku = ? order by id";
            case ALLOCATE -> "insert into allocations (id, sku, quantity, status) values (?, ?, ?, 'allocated')";
            case COMMIT, ROLLBACK, REREAD -> throw new IllegalArgumentException(o.kind() + " is not SQL");
        };
    }

    static Object[] args(Op o, int position) {
        return switch (o.kind()) {
            case READ, ALLOCATION_READ -> new Object[] {o.skuName()};
            case WRITE -> new Object[] {writtenValue(position), o.skuName()};
            case PREDICATE_READ -> new Object[] {o.threshold()};
            case ALLOCATE -> new Object[] {allocationId(position), o.skuName(), o.quantity()};
            case COMMIT, ROLLBACK, REREAD -> new Object[0];
        };
    }

    @Override
    public String toString() {
        return "stock " + SKUS.get(0) + "=" + onHand1 + ", " + SKUS.get(1) + "=" + onHand2 + "; " + steps().size()
                + " steps " + steps();
    }
}

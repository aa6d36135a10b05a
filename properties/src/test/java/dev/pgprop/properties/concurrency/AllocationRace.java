package dev.pgprop.properties.concurrency;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.sameRows;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Stock of one to three SKUs and calls of up to eight sessions (T1..T8) in one global order:
 * {@code allocate(sku, quantity)}, cancelling an allocation of a SKU, committing. Each session
 * is one transaction at READ COMMITTED (the level allocate() is written for); a session's calls
 * after its commit are dropped; open sessions commit at the end.
 */
public record AllocationRace(List<Integer> onHand, List<Call> calls) {
    public static final int MAX_SESSIONS = 8;

    public AllocationRace {
        onHand = List.copyOf(onHand);
        calls = List.copyOf(calls);
    }

    public enum Kind { ALLOCATE, CANCEL, COMMIT }

    /** One call: a session (0..7), what it does, on which SKU (an index into the stock), how many units. */
    public record Call(int session, Kind kind, int sku, int quantity) {
        @Override
        public String toString() {
            return "T" + (session + 1) + " " + switch (kind) {
                case ALLOCATE -> "allocate(" + AllocationRace.sku(sku) + ", " + quantity + ")";
                case CANCEL -> "cancel one allocation of " + AllocationRace.sku(sku);
                case COMMIT -> "commit";
            };
        }
    }

    static String sku(int i) {
        return String.format("SKU-%06d", i + 1);
    }

    /** Races of 2 to {@code maxCalls} calls on stock of 1 to 3 SKUs with 0 to 10 units each. */
    public static Arbitrary<AllocationRace> races(int maxCalls) {
        Arbitrary<Call> call = Combinators.combine(
                Arbitraries.integers().between(0, MAX_SESSIONS - 1),
                Arbitraries.frequency(Tuple.of(6, Kind.ALLOCATE), Tuple.of(1, Kind.CANCEL), Tuple.of(2, Kind.COMMIT)),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 5)).as(Call::new);
        return Combinators.combine(Arbitraries.integers().between(0, 10).list().ofMinSize(1).ofMaxSize(3),
                call.list().ofMinSize(2).ofMaxSize(maxCalls)).as(AllocationRace::new);
    }

    /** The inventory rows, allocated 0. */
    public Dataset stock() {
        Dataset d = Dataset.empty();
        for (int i = 0; i < onHand.size(); i++) {
            d = d.plus("inventory", Row.of("sku", sku(i), "on_hand", onHand.get(i)));
        }
        return d;
    }

    /** The calls that run: SKU indexes folded into the stock, a session's calls after its commit dropped. */
    public List<Call> steps() {
        Set<Integer> ended = new HashSet<>();
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (ended.contains(c.session())) {
                continue;
            }
            out.add(new Call(c.session(), c.kind(), c.sku() % onHand.size(), c.quantity()));
            if (c.kind() == Kind.COMMIT) {
                ended.add(c.session());
            }
        }
        return out;
    }

    /** How many sessions take part (the highest session used). */
    public int sessions() {
        return steps().stream().mapToInt(Call::session).max().orElse(0) + 1;
    }

    public Interleaving interleaving() {
        String[] names = new String[sessions()];
        for (int i = 0; i < names.length; i++) {
            names[i] = "T" + (i + 1);
        }
        Interleaving il = Interleaving.of(TransactionIsolationLevel.READ_COMMITTED, names);
        for (Call c : steps()) {
            String t = "T" + (c.session() + 1);
            il = switch (c.kind()) {
                case ALLOCATE -> il.step(t, "select allocate(?, ?)", sku(c.sku()), c.quantity());
                case CANCEL -> il.step(t, "update allocations set status = 'cancelled' where id = (select id from allocations"
                        + " where sku = ? and status <> 'cancelled' order by id limit 1)", sku(c.sku()));
                case COMMIT -> il.commit(t);
            };
        }
        return il;
    }

    /** Never oversold. */
    static Invariant neverOversold() {
        return noRows("select sku, on_hand, allocated from inventory where allocated > on_hand");
    }

    /** inventory.allocated is the sum of the SKU's allocations that are not cancelled. */
    static Invariant allocatedIsTheSumOfLiveAllocations() {
        return sameRows("select sku, allocated from inventory",
                "select i.sku, coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0)::integer"
                        + " from inventory i left join allocations a on a.sku = i.sku group by i.sku");
    }

    static Invariant[] invariants() {
        return new Invariant[] {neverOversold(), allocatedIsTheSumOfLiveAllocations(), constraintsHold()};
    }

    @Override
    public String toString() {
        return "stock " + onHand + ", " + steps().size() + " calls " + steps();
    }
}

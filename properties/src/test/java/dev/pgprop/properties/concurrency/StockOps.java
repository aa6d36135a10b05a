package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.Tx;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Operations of one transaction on inventory and allocations, for the rollback properties. */
final class StockOps {
    private StockOps() {}

    enum Kind { ALLOCATE, CANCEL, RESTOCK, NEW_SKU }

    /** One operation on SKU {@code sku} (an index, folded into the stock) with an amount. */
    record Op(Kind kind, int sku, int amount) {
        @Override
        public String toString() {
            return switch (kind) {
                case ALLOCATE -> "allocate(" + AllocationRace.sku(sku) + ", " + amount + ")";
                case CANCEL -> "cancel one allocation of " + AllocationRace.sku(sku);
                case RESTOCK -> "restock " + AllocationRace.sku(sku) + " +" + amount;
                case NEW_SKU -> "new " + newSku(amount);
            };
        }
    }

    static String newSku(int amount) {
        return String.format("SKU-%06d", 100 + amount);
    }

    static Arbitrary<List<Integer>> stock() {
        return Arbitraries.integers().between(0, 20).list().ofMinSize(1).ofMaxSize(3);
    }

    static Dataset dataset(List<Integer> onHand) {
        Dataset d = Dataset.empty();
        for (int i = 0; i < onHand.size(); i++) {
            d = d.plus("inventory", Row.of("sku", AllocationRace.sku(i), "on_hand", onHand.get(i)));
        }
        return d;
    }

    static Arbitrary<List<Op>> ops(int max) {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequency(Tuple.of(4, Kind.ALLOCATE), Tuple.of(2, Kind.CANCEL), Tuple.of(2, Kind.RESTOCK),
                        Tuple.of(1, Kind.NEW_SKU)),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 8)).as(Op::new);
        return op.list().ofMaxSize(max);
    }

    /**
     * Runs the operations. An allocate() that finds too little stock is undone on its own, as an
     * application would (a savepoint around it), so the transaction goes on.
     */
    static void apply(Tx tx, List<Integer> stock, List<Op> ops) {
        for (Op op : ops) {
            String sku = AllocationRace.sku(op.sku() % stock.size());
            switch (op.kind()) {
                case ALLOCATE -> {
                    tx.execute("savepoint allocate_op");
                    try {
                        tx.call("allocate", sku, op.amount());
                        tx.execute("release savepoint allocate_op");
                    } catch (RuntimeException e) {
                        if (!PgError.classify(e).map(err -> err.hasClass(ErrorClass.RAISED)).orElse(false)) {
                            throw e;
                        }
                        tx.execute("rollback to savepoint allocate_op");
                    }
                }
                case CANCEL -> tx.execute("update allocations set status = 'cancelled' where id = (select id from allocations"
                        + " where sku = ? and status <> 'cancelled' order by id limit 1)", sku);
                case RESTOCK -> tx.execute("update inventory set on_hand = on_hand + ? where sku = ?", op.amount(), sku);
                case NEW_SKU -> tx.execute("insert into inventory (sku, on_hand) values (?, ?) on conflict do nothing",
                        newSku(op.amount()), op.amount());
            }
        }
    }

    /** Both tables, every column, in a stable order. */
    static List<Row> rows(Tx tx) {
        List<Row> all = new java.util.ArrayList<>(tx.query("select 'inventory' as t, sku, on_hand, allocated from inventory order by sku"));
        all.addAll(tx.query("select 'allocations' as t, id, sku, quantity, status, allocated_at from allocations order by id"));
        return all;
    }
}

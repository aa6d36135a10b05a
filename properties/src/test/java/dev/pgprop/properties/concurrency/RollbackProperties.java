package dev.pgprop.properties.concurrency;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.Tx;
import dev.pgprop.properties.concurrency.StockOps.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * What a rollback must leave: ROLLBACK TO SAVEPOINT exactly the rows from before the savepoint;
 * an error in the middle of a transaction, and a statement_timeout cancellation, no trace.
 */
@PgProperties
class RollbackProperties {

    @Provide
    Arbitrary<List<Integer>> stock() {
        return StockOps.stock();
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return StockOps.ops(8);
    }

    /** The rows at commit are exactly those captured when the savepoint was set. */
    static Invariant rowsAsAtTheSavepoint(AtomicReference<List<Row>> atSavepoint) {
        return Invariants.invariant("the rows are exactly those from before the savepoint", ctx -> {
            List<Row> now = new ArrayList<>(ctx.rows("select 'inventory' as t, sku, on_hand, allocated from inventory order by sku"));
            now.addAll(ctx.rows("select 'allocations' as t, id, sku, quantity, status, allocated_at from allocations order by id"));
            if (!now.equals(atSavepoint.get())) {
                List<Row> diff = new ArrayList<>();
                now.stream().filter(r -> !atSavepoint.get().contains(r)).forEach(r -> diff.add(Row.of("change", "+", "row", r.toString())));
                atSavepoint.get().stream().filter(r -> !now.contains(r)).forEach(r -> diff.add(Row.of("change", "-", "row", r.toString())));
                ctx.fail("the committed rows differ from the rows at the savepoint", diff);
            }
        });
    }

    /** Sets a savepoint, runs {@code after}, and ends the savepoint as {@code end} says. */
    static void afterSavepoint(Tx tx, List<Integer> stock, List<Op> after, String end) {
        tx.execute("savepoint before_after");
        StockOps.apply(tx, stock, after);
        tx.execute(end + " savepoint before_after");
    }

    @Property(tries = 100)
    void rollbackToSavepointLeavesExactlyTheRowsFromBeforeIt(@ForAll("stock") List<Integer> stock,
            @ForAll("ops") List<Op> before, @ForAll("ops") List<Op> after, Db db) {
        AtomicReference<List<Row>> atSavepoint = new AtomicReference<>();
        db.given(StockOps.dataset(stock))
                .whenCommitted(tx -> {
                    StockOps.apply(tx, stock, before);
                    atSavepoint.set(StockOps.rows(tx));
                    afterSavepoint(tx, stock, after, "rollback to");
                })
                .then(rowsAsAtTheSavepoint(atSavepoint), AllocationRace.allocatedIsTheSumOfLiveAllocations(), constraintsHold());
        Statistics.label("the part rolled back changed rows").collect(!after.isEmpty());
    }

    /** A failure planted in the middle of a transaction, and the error class it fails with. */
    enum Fault {
        CHECK_VIOLATION(ErrorClass.CHECK_VIOLATION, "update inventory set on_hand = -1 where sku = 'SKU-000001'"),
        OUT_OF_STOCK(ErrorClass.RAISED, "select allocate('SKU-000001', 1000)"),
        FOREIGN_KEY(ErrorClass.FOREIGN_KEY_VIOLATION,
                "insert into allocations (id, sku, quantity, status) values (gen_random_uuid(), 'SKU-999999', 1, 'allocated')"),
        UNIQUE(ErrorClass.UNIQUE_VIOLATION, "insert into inventory (sku, on_hand) values ('SKU-000001', 1)"),
        DIVISION_BY_ZERO(ErrorClass.OTHER, "select 1 / (select count(*) from inventory where sku = 'none')");

        final ErrorClass error;
        final String sql;

        Fault(ErrorClass error, String sql) {
            this.error = error;
            this.sql = sql;
        }
    }

    @Property(tries = 100)
    void anErrorInTheMiddleOfATransactionLeavesNoTrace(@ForAll("stock") List<Integer> stock, @ForAll("ops") List<Op> before,
            @ForAll Fault fault, @ForAll("ops") List<Op> after, Db db) {
        db.given(StockOps.dataset(stock))
                .whenCommitted(tx -> {
                    StockOps.apply(tx, stock, before);
                    tx.execute(fault.sql);
                    StockOps.apply(tx, stock, after); // never reached
                })
                .then(rejectedWith(fault.error), noTrace(), constraintsHold());
        Statistics.label("fault").collect(fault);
    }

    @Provide
    Arbitrary<Boolean> waitOnLock() {
        return Arbitraries.of(true, false);
    }

    @Property(tries = 100)
    void aStatementTimeoutCancellationLeavesNoTrace(@ForAll("stock") List<Integer> stock, @ForAll("ops") List<Op> before,
            @ForAll("waitOnLock") boolean waitOnLock, Db db) {
        if (!waitOnLock) {
            db.given(StockOps.dataset(stock))
                    .whenCommitted(tx -> {
                        StockOps.apply(tx, stock, before);
                        tx.execute("set local statement_timeout = '20ms'");
                        tx.execute("select pg_sleep(10)");
                    })
                    .then(rejectedWith(ErrorClass.STATEMENT_TIMEOUT), noTrace(), constraintsHold());
        } else {
            // T1 holds a row T2's operations never touch; T2's update of it waits. T1 then waits for
            // T2's transaction to end (an advisory lock T2 holds): a wait cycle that only T2's
            // statement_timeout (50 ms) breaks, long before deadlock_timeout (1 s, the server's
            // default in these sessions) would. T2 is aborted, T1 goes on and rolls back.
            String held = "SKU-000900";
            Interleaving il = Interleaving.of(TransactionIsolationLevel.READ_COMMITTED, "T1", "T2")
                    .step("T1", "select sku from inventory where sku = ? for update", held)              // #0
                    .step("T2", "select pg_advisory_xact_lock(7001)")                                   // #1
                    .action("T2", "operations", tx -> StockOps.apply(tx, stock, before))               // #2
                    .step("T2", "set local statement_timeout = '50ms'")                                 // #3
                    .step("T2", "update inventory set on_hand = on_hand + 1 where sku = ?", held)       // #4 waits for T1
                    .step("T1", "select pg_advisory_xact_lock(7001)")                                   // #5 waits for T2
                    .rollback("T1")                                                                      // #6
                    .commit("T2");                                                                       // #7
            InterleavingOutcome o = db.given(StockOps.dataset(stock).plus("inventory", Row.of("sku", held, "on_hand", 5)))
                    .whenInterleaved(il)
                    .then(rejectedWith(ErrorClass.STATEMENT_TIMEOUT), noTrace(), constraintsHold())
                    .interleaving();
            StepOutcome cancelled = o.step(4);
            assertThat(cancelled.failedWith(ErrorClass.STATEMENT_TIMEOUT)).as(o.toString()).isTrue();
            assertThat(o.step(5).status()).as(o.toString()).isEqualTo(InterleavingOutcome.Status.DONE);
            assertThat(o.step(7).status()).as("T2's commit is skipped: its transaction was aborted")
                    .isEqualTo(InterleavingOutcome.Status.SKIPPED);
            Statistics.label("the cancelled update was seen waiting for T1").collect(cancelled.blocked());
        }
        Statistics.label("cancelled while waiting on a lock").collect(waitOnLock);
    }
}

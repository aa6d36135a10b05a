package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.properties.concurrency.StockOps.Op;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The savepoint invariant catches a transaction that releases its savepoint instead of rolling back to it. */
class RollbackCatchTest {

    @PgProperties
    static class ReleasedInsteadOfRolledBack {
        @Provide
        Arbitrary<List<Integer>> stock() {
            return StockOps.stock();
        }

        @Provide
        Arbitrary<List<Op>> ops() {
            return StockOps.ops(8);
        }

        @Property(tries = 100)
        void check(@ForAll("stock") List<Integer> stock, @ForAll("ops") List<Op> before, @ForAll("ops") List<Op> after, Db db) {
            AtomicReference<List<Row>> atSavepoint = new AtomicReference<>();
            db.given(StockOps.dataset(stock))
                    .whenCommitted(tx -> {
                        StockOps.apply(tx, stock, before);
                        atSavepoint.set(StockOps.rows(tx));
                        RollbackProperties.afterSavepoint(tx, stock, after, "release");   // the planted bug
                    })
                    .then(RollbackProperties.rowsAsAtTheSavepoint(atSavepoint));
        }
    }

    @Test
    void aReleasedSavepointIsCaughtAndShrinksToOneChange() {
        EngineExecutionResults r = Jqwik.run(ReleasedInsteadOfRolledBack.class);
        r.testEvents().assertStatistics(s -> s.failed(1));
        Throwable t = Jqwik.failure(r);
        assertThat(t).isInstanceOf(InvariantViolationException.class);
        InvariantViolationException e = (InvariantViolationException) t;
        assertThat(e.violations().get(0).invariant()).isEqualTo("the rows are exactly those from before the savepoint");
        // one row of stock and one changed row: the least a released savepoint can leave behind
        assertThat(e.outcome()).isNotNull();
        assertThat(e.outcome().given().rowCount()).isEqualTo(1);
        assertThat(e.violations().get(0).rows()).hasSize(2); // the row as it was (-) and as it is (+)
    }
}

package dev.pgprop.properties.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.DatasetLoadException;
import dev.pgprop.dsl.Row;
import dev.pgprop.properties.inventory.InventoryProperties;
import org.junit.jupiter.api.Test;

/**
 * Proof that the inventory properties catch real bugs: each mutant schema makes a property fail,
 * the failure shrinks to the smallest dataset that can show it, and its replay fails again in
 * one try. The unmutated schema passes the same properties.
 */
class MutantsTest {
    static final MigrationSet DROP_NOT_OVERSOLD = MetaHarness.reference().plusLocations("classpath:mutants/drop_not_oversold");
    static final MigrationSet TRIGGER_COUNTS_CANCELLED =
            MetaHarness.reference().plusLocations("classpath:mutants/trigger_counts_cancelled");

    @Test
    void theReferenceSchemaPassesTheSameProperties() {
        for (String property : new String[] {"directInsertNeverOversells", "allocatedIsTheSumOfLiveAllocations"}) {
            MetaHarness.Run run = MetaHarness.run(InventoryProperties.class, property, MetaHarness.reference());
            assertThat(run.failed()).as(property).isFalse();
            assertThat(run.tries()).as(property + " tries").isEqualTo(100);
        }
    }

    @Test
    void droppingInventoryNotOversoldIsCaughtAndShrunkToOneInventoryRow() {
        MetaHarness.Run run = MetaHarness.run(InventoryProperties.class, "directInsertNeverOversells", DROP_NOT_OVERSOLD);
        assertThat(run.failed()).isTrue();
        assertThat(run.failure()).get().isInstanceOf(InvariantViolationException.class);
        assertThat(((InvariantViolationException) run.failure().get()).violations().get(0).invariant())
                .isEqualTo("inventory never oversold");
        // Minimal: one inventory row and nothing else. The insert needs an existing SKU (the foreign
        // key), so no dataset without an inventory row can fail; no allocation is needed, because the
        // inserted allocation alone exceeds the stock once the check is gone. The quantity shrinks to
        // one more than the free stock.
        Dataset shrunk = run.shrunkDataset();
        assertThat(shrunk.rowCount()).isEqualTo(1);
        assertThat(shrunk.rowCount("inventory")).isEqualTo(1);
        Row item = shrunk.rows("inventory").get(0);
        assertThat(run.shrunkSample().get(1)).isEqualTo((Integer) item.get("on_hand") + 1);
        assertThat(run.printed()).contains("invariant:   inventory never oversold").contains("minimal dataset (1 rows)");
        // the failing seed is remembered in the run's own jqwik database, not in the suite's,
        // whose next run of this property would otherwise start from it instead of its own seed
        assertThat(run.seed()).isPresent();
        assertThat(MetaHarness.failedSeedIn(run.jqwikDatabase(), run)).isEqualTo(run.seed());
        assertThat(MetaHarness.failedSeedIn(MetaHarness.SUITE_DATABASE, run)).isNotEqualTo(run.seed());

        MetaHarness.Run replay = MetaHarness.replay(run);
        assertThat(replay.failed()).isTrue();
        assertThat(replay.tries()).isEqualTo(1);
        assertThat(replay.shrunkDataset()).isEqualTo(shrunk);
        assertThat(((InvariantViolationException) replay.failure().get()).violations())
                .isEqualTo(((InvariantViolationException) run.failure().get()).violations());
    }

    @Test
    void aTriggerCountingCancelledAllocationsIsCaughtAndShrunkToTwoRows() {
        MetaHarness.Run run = MetaHarness.run(InventoryProperties.class, "allocatedIsTheSumOfLiveAllocations",
                TRIGGER_COUNTS_CANCELLED);
        assertThat(run.failed()).isTrue();
        // The mutant counts a cancelled allocation as taken stock. The generated stock leaves no room
        // for that (on_hand = live allocations + slack), so once the slack has shrunk to 0 the load
        // itself is refused by inventory_not_oversold, on the row that the mutant miscounts.
        assertThat(run.failure()).get().isInstanceOf(DatasetLoadException.class);
        DatasetLoadException load = (DatasetLoadException) run.failure().get();
        assertThat(load.table()).isEqualTo("allocations");
        assertThat(load.error().constraint()).isEqualTo("inventory_not_oversold");
        // Minimal: one inventory row and one cancelled allocation of it. Without a cancelled
        // allocation the mutant counts exactly what the real trigger counts, and an allocation
        // cannot exist without its inventory row (the foreign key): no dataset of fewer than two
        // rows can tell the mutant apart.
        Dataset shrunk = run.shrunkDataset();
        assertThat(shrunk.rowCount()).isEqualTo(2);
        assertThat(shrunk.rowCount("inventory")).isEqualTo(1);
        assertThat(shrunk.rows("allocations")).singleElement().satisfies(a -> assertThat(a.get("status")).isEqualTo("cancelled"));

        MetaHarness.Run replay = MetaHarness.replay(run);
        assertThat(replay.failed()).isTrue();
        assertThat(replay.tries()).isEqualTo(1);
        assertThat(replay.failure().get().getClass()).isEqualTo(run.failure().get().getClass());
        assertThat(replay.failure().get().getMessage()).isEqualTo(run.failure().get().getMessage());
        assertThat(replay.shrunkDataset()).isEqualTo(shrunk);
    }
}

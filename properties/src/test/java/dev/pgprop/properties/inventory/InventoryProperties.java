package dev.pgprop.properties.inventory;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.noRows;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The stock invariants of the reference schema: inventory is never oversold, and {@code
 * allocated} is always the sum of the SKU's live (not cancelled) allocations. The meta-tests run
 * this class against mutant schemas and expect it to fail.
 */
@PgProperties
public class InventoryProperties {
    static final Invariant NEVER_OVERSOLD = noRows("select sku, on_hand, allocated from inventory where allocated > on_hand")
            .named("inventory never oversold");
    static final Invariant ALLOCATED_IS_LIVE_SUM = noRows(
            "select i.sku, i.allocated, coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0) as live"
                    + " from inventory i left join allocations a on a.sku = i.sku group by i.sku, i.allocated"
                    + " having i.allocated <> coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0)")
            .named("allocated is the sum of live allocations");

    @Provide
    Arbitrary<Dataset> stock() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 4));
    }

    @Provide
    Arbitrary<Dataset> anyData() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults());
    }

    /** A direct insert of an allocation beyond the free stock is refused, whatever the dataset. */
    @Property(tries = 100)
    void directInsertNeverOversells(@ForAll("stock") Dataset data, @ForAll @IntRange(min = 1, max = 1000) int quantity, Db db) {
        String sku = (String) data.rows("inventory").get(0).get("sku");
        db.given(data)
                .whenCommitted(tx -> tx.execute("insert into allocations (id, sku, quantity, status)"
                        + " values (gen_random_uuid(), ?, ?, 'pending')", sku, quantity))
                .allowing(ErrorClass.CHECK_VIOLATION)
                .then(NEVER_OVERSOLD, constraintsHold());
    }

    /** Loading any valid dataset leaves allocated equal to the sum of live allocations. */
    @Property(tries = 100)
    void allocatedIsTheSumOfLiveAllocations(@ForAll("anyData") Dataset data, Db db) {
        db.given(data).then(ALLOCATED_IS_LIVE_SUM, NEVER_OVERSOLD);
    }
}

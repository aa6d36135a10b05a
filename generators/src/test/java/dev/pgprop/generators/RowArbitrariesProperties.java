package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.ReferenceData;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Every valid row is accepted by the reference schema, with the parents it names. */
class RowArbitrariesProperties {
    private static ReferenceDb db;

    @BeforeContainer
    static void database() {
        db = new ReferenceDb("RowArbitrariesProperties");
    }

    @AfterContainer
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    private static Dataset dataset(InventoryItem item, Allocation a, Payment... payments) {
        return ReferenceSchema.dataset(new ReferenceData(List.of(item), List.of(a), List.of(payments)));
    }

    @Property(tries = 150, seed = "3001")
    void inventoryItemsAreAccepted(@ForAll("items") InventoryItem item) {
        db.inRollback(c -> {
            ReferenceDb.load(c, Dataset.of("inventory", List.of(ReferenceSchema.row(item))));
            assertThat(ReferenceDb.rows(c, "select sku, on_hand, allocated from inventory"))
                    .containsExactly(List.of(item.sku(), item.onHand(), 0));
        });
    }

    @Property(tries = 150, seed = "3002")
    void allocationsAreAcceptedUnderAnItemWithTheStock(@ForAll("allocations") Allocation a) {
        InventoryItem item = new InventoryItem(a.sku(), a.quantity());
        db.inRollback(c -> {
            ReferenceDb.load(c, dataset(item, a));
            assertThat(ReferenceDb.count(c, "select count(*) from allocations where id = '" + a.id() + "' and sku = '" + a.sku()
                    + "' and quantity = " + a.quantity() + " and status = '" + a.status().sqlValue()
                    + "' and allocated_at = '" + a.allocatedAt() + "'")).isOne();
            assertThat(ReferenceDb.count(c, "select allocated from inventory"))
                    .isEqualTo(a.status().holdsStock() ? a.quantity() : 0);
        });
    }

    @Property(tries = 150, seed = "3003")
    void paymentsAreAcceptedUnderTheirAllocation(@ForAll("payments") Payment p) {
        Allocation a = new Allocation(p.allocationId(), "SKU-000001", 1,
                AllocationStatus.ALLOCATED, p.createdAt());
        db.inRollback(c -> {
            ReferenceDb.load(c, dataset(new InventoryItem("SKU-000001", 1), a, p));
            assertThat(ReferenceDb.rows(c, "select amount_cents, currency, status, idempotency_key from payments"))
                    .containsExactly(List.of(p.amountCents(), p.currency(), p.status().sqlValue(), p.idempotencyKey()));
        });
    }

    @Provide
    Arbitrary<InventoryItem> items() {
        return ReferenceArbitraries.inventoryItems();
    }

    @Provide
    Arbitrary<Allocation> allocations() {
        return ReferenceArbitraries.allocations();
    }

    @Provide
    Arbitrary<Payment> payments() {
        return ReferenceArbitraries.payments();
    }
}

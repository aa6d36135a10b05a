package dev.pgprop.generators.internal;

import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import dev.pgprop.generators.model.ReferenceData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.IntegerArbitrary;
import net.jqwik.api.arbitraries.ListArbitrary;

/**
 * Datasets as nested lists of draws, mapped to rows at the end. jqwik shrinks the lists (fewer
 * items, allocations, payments) and the values inside; everything that must stay unique or
 * consistent is derived in the mapping: SKUs, ids and idempotency keys from positions, stock on
 * hand from the allocations plus the slack. No flatMap, so shrinking never loses progress.
 */
public final class DatasetArbitraries {
    /** One payment, before ids are assigned. */
    record PaymentDraw(long amountCents, String currency, PaymentStatus status, int owner, int delaySeconds) {}

    /** One allocation and its payments, before ids and the SKU are assigned. */
    record AllocationDraw(int quantity, AllocationStatus status, int atSeconds, List<PaymentDraw> payments) {}

    /** One inventory item: its allocations and the stock left over. */
    record ItemDraw(List<AllocationDraw> allocations, int slack) {}

    private DatasetArbitraries() {}

    public static Arbitrary<ReferenceData> referenceData(DatasetSpec spec) {
        Arbitrary<PaymentDraw> payment = Combinators.combine(
                        RowArbitraries.amounts(),
                        spec.currency().map(Arbitraries::just).orElseGet(RowArbitraries::currencies),
                        spec.paymentStatus().map(Arbitraries::just).orElseGet(RowArbitraries::paymentStatuses),
                        Arbitraries.integers().between(0, spec.owners() - 1),
                        Arbitraries.integers().between(0, RowArbitraries.PAYMENT_DELAY_SECONDS))
                .as(PaymentDraw::new);
        Arbitrary<AllocationDraw> allocation = Combinators.combine(
                        RowArbitraries.quantities(),
                        spec.allocationStatus().map(Arbitraries::just).orElseGet(RowArbitraries::allocationStatuses),
                        Arbitraries.integers().between(0, RowArbitraries.ALLOCATION_SECONDS),
                        payment.list().ofMinSize(spec.minPaymentsPerAllocation()).ofMaxSize(spec.maxPaymentsPerAllocation()))
                .as(AllocationDraw::new);

        ListArbitrary<AllocationDraw> allocations =
                allocation.list().ofMinSize(spec.minAllocationsPerItem()).ofMaxSize(spec.maxAllocationsPerItem());
        IntegerArbitrary slack = Arbitraries.integers().between(0, spec.maxSlack());
        if (spec.contention() > 0) {
            allocations = allocations.withSizeDistribution(Mixture.upperHalf(spec.contention()));
            slack = slack.withDistribution(Mixture.lowestThree(spec.contention()));
        }
        Arbitrary<ItemDraw> item = Combinators.combine(allocations, slack).as(ItemDraw::new);
        return item.list()
                .ofMinSize(spec.minInventory())
                .ofMaxSize(spec.maxInventory())
                .map(items -> build(spec, items));
    }

    static ReferenceData build(DatasetSpec spec, List<ItemDraw> items) {
        List<InventoryItem> inventory = new ArrayList<>(items.size());
        List<Allocation> allocations = new ArrayList<>();
        List<Payment> payments = new ArrayList<>();
        String pinned = spec.sku().orElse(null);
        for (int i = 0; i < items.size(); i++) {
            ItemDraw item = items.get(i);
            String sku = pinned != null ? pinned : Ids.sku(i);
            int held = 0;
            for (int a = 0; a < item.allocations().size(); a++) {
                AllocationDraw ad = item.allocations().get(a);
                Instant at = RowArbitraries.EPOCH.plusSeconds(ad.atSeconds());
                Allocation allocation = new Allocation(Ids.allocation(i, a), sku, ad.quantity(), ad.status(), at);
                allocations.add(allocation);
                if (ad.status().holdsStock()) {
                    held += ad.quantity();
                }
                for (int p = 0; p < ad.payments().size(); p++) {
                    PaymentDraw pd = ad.payments().get(p);
                    payments.add(new Payment(Ids.payment(i, a, p), allocation.id(), Ids.owner(pd.owner()),
                            pd.amountCents(), pd.currency(), pd.status(), Ids.idempotencyKey(i, a, p),
                            at.plusSeconds(pd.delaySeconds())));
                }
            }
            inventory.add(new InventoryItem(sku, held + item.slack()));
        }
        return new ReferenceData(inventory, allocations, payments);
    }
}

package dev.pgprop.generators.internal;

import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Column values and single rows that honour every row-level constraint. */
public final class RowArbitraries {
    /** Timestamps are drawn from this instant on; shrinking moves towards it. */
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    /** Allocation times: up to a year after {@link #EPOCH}. */
    public static final int ALLOCATION_SECONDS = 365 * 24 * 3600;
    /** Payment times: up to 30 days after their allocation. */
    public static final int PAYMENT_DELAY_SECONDS = 30 * 24 * 3600;
    /** The currencies drawn by default. */
    public static final List<String> CURRENCIES = DatasetSpec.CURRENCIES;

    private RowArbitraries() {}

    public static Arbitrary<String> skus() {
        return Arbitraries.integers().between(0, 999_998).map(Ids::sku);
    }

    public static Arbitrary<Integer> onHand() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE);
    }

    public static Arbitrary<Integer> quantities() {
        return Arbitraries.integers().between(Allocation.MIN_QUANTITY, Allocation.MAX_QUANTITY);
    }

    public static Arbitrary<Long> amounts() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE);
    }

    public static Arbitrary<String> currencies() {
        return Arbitraries.of(CURRENCIES);
    }

    public static Arbitrary<AllocationStatus> allocationStatuses() {
        return Arbitraries.of(AllocationStatus.class);
    }

    public static Arbitrary<PaymentStatus> paymentStatuses() {
        return Arbitraries.of(PaymentStatus.class);
    }

    /** UUIDs from two longs: shrink towards the nil UUID. */
    public static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    public static Arbitrary<Instant> allocationTimes() {
        return Arbitraries.integers().between(0, ALLOCATION_SECONDS).map(s -> EPOCH.plusSeconds(s));
    }

    /** Printable text without NUL (which PostgreSQL text cannot hold), including the empty string. */
    public static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u017f').ofMaxLength(maxLength);
    }

    public static Arbitrary<InventoryItem> inventoryItems() {
        return Combinators.combine(skus(), onHand()).as(InventoryItem::new);
    }

    public static Arbitrary<Allocation> allocations() {
        return Combinators.combine(uuids(), skus(), quantities(), allocationStatuses(), allocationTimes())
                .as(Allocation::new);
    }

    public static Arbitrary<Payment> payments() {
        return Combinators.combine(uuids(), uuids(), uuids(), amounts(), currencies(), paymentStatuses(), text(64),
                        allocationTimes())
                .as(Payment::new);
    }
}

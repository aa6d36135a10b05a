package dev.pgprop.generators;

import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ReferenceArbitraries#datasets(DatasetSpec)} draws: how many inventory items, allocations
 * per item and payments per allocation; how much unallocated stock; which fields are pinned; how
 * often draws are contention-prone. Immutable: every {@code withX} returns a new spec and checks
 * its argument.
 *
 * <p>Sizes are ranges; shrinking moves every size towards its minimum. Stock on hand is always
 * the allocated sum plus a slack from {@code 0..maxSlack}, so no draw and no shrunk draw is
 * oversold.
 *
 * <p>Contention: for each inventory item, with probability {@code contention} its allocation
 * count is drawn from the upper half of its range, and (independently, with the same
 * probability) its slack from {@code 0..2}. Items with many allocations and almost no free stock
 * are what concurrent {@code allocate()} calls and oversell races need. {@link #contended()}
 * makes every draw look like that.
 *
 * <pre>{@code
 * DatasetSpec thousands = DatasetSpec.defaults().withInventory(50, 100).withAllocationsPerItem(10, 30);
 * DatasetSpec oneSku = DatasetSpec.defaults().withSku("SKU-000042").withAllocationStatus(AllocationStatus.ALLOCATED);
 * DatasetSpec races = DatasetSpec.contended();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class DatasetSpec {
    /** Upper bound of the inventory size: the SKU format has six digits. */
    public static final int MAX_INVENTORY = 999_999;
    /** Upper bound of allocations per item, which keeps {@code on_hand} within an integer. */
    public static final int MAX_ALLOCATIONS_PER_ITEM = 1_000_000;
    /** Upper bound of payments per allocation. */
    public static final int MAX_PAYMENTS_PER_ALLOCATION = 10_000;
    /** Upper bound of the slack. */
    public static final int MAX_SLACK = 1_000_000;
    /** The currencies drawn unless one is pinned. */
    public static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP", "JPY", "CHF");

    private static final DatasetSpec DEFAULTS = new DatasetSpec(0, 8, 0, 10, 0, 3, 50, 0.3, 3, null, null, null, null);

    private final int minInventory;
    private final int maxInventory;
    private final int minAllocations;
    private final int maxAllocations;
    private final int minPayments;
    private final int maxPayments;
    private final int maxSlack;
    private final double contention;
    private final int owners;
    private final @Nullable String sku;
    private final @Nullable AllocationStatus allocationStatus;
    private final @Nullable PaymentStatus paymentStatus;
    private final @Nullable String currency;

    private DatasetSpec(int minInventory, int maxInventory, int minAllocations, int maxAllocations, int minPayments,
            int maxPayments, int maxSlack, double contention, int owners, @Nullable String sku,
            @Nullable AllocationStatus allocationStatus, @Nullable PaymentStatus paymentStatus, @Nullable String currency) {
        this.minInventory = minInventory;
        this.maxInventory = maxInventory;
        this.minAllocations = minAllocations;
        this.maxAllocations = maxAllocations;
        this.minPayments = minPayments;
        this.maxPayments = maxPayments;
        this.maxSlack = maxSlack;
        this.contention = contention;
        this.owners = owners;
        this.sku = sku;
        this.allocationStatus = allocationStatus;
        this.paymentStatus = paymentStatus;
        this.currency = currency;
    }

    /**
     * 0 to 8 inventory items, 0 to 10 allocations per item, 0 to 3 payments per allocation, slack up
     * to 50, contention 0.3, 3 owners, nothing pinned.
     */
    public static DatasetSpec defaults() {
        return DEFAULTS;
    }

    /**
     * For concurrency and oversell properties: 1 to 3 inventory items with 1 to 40 allocations
     * each, mostly from the upper half, and 0 to 2 units of slack.
     */
    public static DatasetSpec contended() {
        return DEFAULTS.withInventory(1, 3).withAllocationsPerItem(1, 40).withMaxSlack(2).withContention(1.0);
    }

    private DatasetSpec copy(int minInventory, int maxInventory, int minAllocations, int maxAllocations, int minPayments,
            int maxPayments, int maxSlack, double contention, int owners, @Nullable String sku,
            @Nullable AllocationStatus allocationStatus, @Nullable PaymentStatus paymentStatus, @Nullable String currency) {
        return new DatasetSpec(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments,
                maxSlack, contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    private static void range(String what, int min, int max, int limit) {
        if (min < 0 || max < min || max > limit) {
            throw new IllegalArgumentException(what + " " + min + ".." + max + " is not a range within 0.." + limit
                    + "; give 0 <= min <= max <= " + limit);
        }
    }

    /**
     * How many inventory rows (one per SKU). Ignored while a SKU is pinned ({@link
     * #withSku(String)}), which means exactly one.
     */
    public DatasetSpec withInventory(int min, int max) {
        range("inventory size", min, max, MAX_INVENTORY);
        return copy(min, max, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack, contention, owners,
                sku, allocationStatus, paymentStatus, currency);
    }

    /** How many allocations each inventory item has. */
    public DatasetSpec withAllocationsPerItem(int min, int max) {
        range("allocations per item", min, max, MAX_ALLOCATIONS_PER_ITEM);
        return copy(minInventory, maxInventory, min, max, minPayments, maxPayments, maxSlack, contention, owners,
                sku, allocationStatus, paymentStatus, currency);
    }

    /** How many payments each allocation has. */
    public DatasetSpec withPaymentsPerAllocation(int min, int max) {
        range("payments per allocation", min, max, MAX_PAYMENTS_PER_ALLOCATION);
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, min, max, maxSlack, contention, owners,
                sku, allocationStatus, paymentStatus, currency);
    }

    /** The largest unallocated stock of an item: {@code on_hand - allocated} is drawn from 0 to this. */
    public DatasetSpec withMaxSlack(int maxSlack) {
        range("slack", 0, maxSlack, MAX_SLACK);
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    /**
     * The probability, per inventory item, of a contention-prone shape: many allocations (upper
     * half of the range) and, independently, slack 0 to 2. 0 turns it off.
     */
    public DatasetSpec withContention(double probability) {
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("contention " + probability + " is not a probability; give 0.0 to 1.0");
        }
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                probability, owners, sku, allocationStatus, paymentStatus, currency);
    }

    /** How many distinct {@code owner_id}s payments are drawn from (shrinking moves towards the first). */
    public DatasetSpec withOwners(int owners) {
        if (owners < 1) {
            throw new IllegalArgumentException("owners " + owners + " is less than 1; payments need at least one owner");
        }
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    /**
     * Pins the SKU: the dataset has exactly one inventory row, this SKU, and every allocation is of
     * it. The inventory range no longer applies.
     */
    public DatasetSpec withSku(String sku) {
        InventoryItem.checkSku(sku, "pinned sku");
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    /** Pins the status of every allocation. */
    public DatasetSpec withAllocationStatus(AllocationStatus status) {
        Objects.requireNonNull(status, "status");
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, status, paymentStatus, currency);
    }

    /** Pins the status of every payment. */
    public DatasetSpec withPaymentStatus(PaymentStatus status) {
        Objects.requireNonNull(status, "status");
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, status, currency);
    }

    /** Pins the currency of every payment. */
    public DatasetSpec withCurrency(String currency) {
        Payment.checkCurrency(currency);
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    /** A spec with no field pinned, sizes and the rest unchanged. */
    public DatasetSpec withoutPins() {
        return copy(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, null, null, null, null);
    }

    public int minInventory() {
        return sku != null ? 1 : minInventory;
    }

    public int maxInventory() {
        return sku != null ? 1 : maxInventory;
    }

    public int minAllocationsPerItem() {
        return minAllocations;
    }

    public int maxAllocationsPerItem() {
        return maxAllocations;
    }

    public int minPaymentsPerAllocation() {
        return minPayments;
    }

    public int maxPaymentsPerAllocation() {
        return maxPayments;
    }

    public int maxSlack() {
        return maxSlack;
    }

    public double contention() {
        return contention;
    }

    public int owners() {
        return owners;
    }

    public Optional<String> sku() {
        return Optional.ofNullable(sku);
    }

    public Optional<AllocationStatus> allocationStatus() {
        return Optional.ofNullable(allocationStatus);
    }

    public Optional<PaymentStatus> paymentStatus() {
        return Optional.ofNullable(paymentStatus);
    }

    public Optional<String> currency() {
        return Optional.ofNullable(currency);
    }

    /** The most rows a draw can have. */
    public long maxRows() {
        long allocations = (long) maxInventory() * maxAllocations;
        return maxInventory() + allocations + allocations * maxPayments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetSpec s && s.minInventory == minInventory && s.maxInventory == maxInventory
                && s.minAllocations == minAllocations && s.maxAllocations == maxAllocations
                && s.minPayments == minPayments && s.maxPayments == maxPayments && s.maxSlack == maxSlack
                && Double.compare(s.contention, contention) == 0 && s.owners == owners && Objects.equals(s.sku, sku)
                && s.allocationStatus == allocationStatus && s.paymentStatus == paymentStatus
                && Objects.equals(s.currency, currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minInventory, maxInventory, minAllocations, maxAllocations, minPayments, maxPayments, maxSlack,
                contention, owners, sku, allocationStatus, paymentStatus, currency);
    }

    @Override
    public String toString() {
        return "DatasetSpec[inventory " + minInventory() + ".." + maxInventory() + ", allocations/item " + minAllocations
                + ".." + maxAllocations + ", payments/allocation " + minPayments + ".." + maxPayments + ", slack 0.."
                + maxSlack + ", contention " + contention + ", owners " + owners
                + (sku != null ? ", sku " + sku : "")
                + (allocationStatus != null ? ", allocation status " + allocationStatus : "")
                + (paymentStatus != null ? ", payment status " + paymentStatus : "")
                + (currency != null ? ", currency " + currency : "") + "]";
    }
}

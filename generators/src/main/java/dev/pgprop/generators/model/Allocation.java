package dev.pgprop.generators.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apiguardian.api.API;

/**
 * A row of {@code allocations}: {@code quantity} units of a SKU, in a status.
 *
 * <pre>{@code
 * Allocation a = new Allocation(UUID.randomUUID(), "SKU-000001", 2, AllocationStatus.ALLOCATED,
 *         Instant.parse("2025-01-01T00:00:00Z"));
 * }</pre>
 *
 * @param id the primary key
 * @param sku an inventory SKU ({@code allocations_sku_fk}); in the SKU format
 * @param quantity 1 to 1000 ({@code allocations_quantity_range})
 * @param status the status ({@code allocations_status_valid})
 * @param allocatedAt when it was allocated
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Allocation(UUID id, String sku, int quantity, AllocationStatus status, Instant allocatedAt) {
    /** The smallest quantity {@code allocations_quantity_range} allows. */
    public static final int MIN_QUANTITY = 1;

    /** The largest quantity {@code allocations_quantity_range} allows. */
    public static final int MAX_QUANTITY = 1000;

    public Allocation {
        Objects.requireNonNull(id, "id");
        InventoryItem.checkSku(sku, "sku");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(allocatedAt, "allocatedAt");
        if (quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("quantity " + quantity + " of allocation " + id
                    + " is outside 1..1000 (allocations_quantity_range)");
        }
    }
}

package dev.pgprop.generators.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apiguardian.api.API;

/**
 * Inventory, allocations and payments that together satisfy every constraint of the reference
 * schema: unique keys and idempotency keys, every allocation's SKU and every payment's allocation
 * present, and no SKU allocated beyond its stock. The constructor checks all of that, so an
 * instance is always loadable.
 *
 * <pre>{@code
 * ReferenceData data = new ReferenceData(
 *         List.of(new InventoryItem("SKU-000001", 5)),
 *         List.of(new Allocation(id, "SKU-000001", 2, AllocationStatus.ALLOCATED, at)),
 *         List.of());
 * int allocated = data.allocated("SKU-000001");   // 2
 * }</pre>
 *
 * @param inventory inventory rows, SKUs unique
 * @param allocations allocation rows, ids unique, each of a SKU in {@code inventory}
 * @param payments payment rows, ids and idempotency keys unique, each of an allocation in {@code
 *     allocations}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ReferenceData(List<InventoryItem> inventory, List<Allocation> allocations, List<Payment> payments) {
    public ReferenceData {
        inventory = List.copyOf(Objects.requireNonNull(inventory, "inventory"));
        allocations = List.copyOf(Objects.requireNonNull(allocations, "allocations"));
        payments = List.copyOf(Objects.requireNonNull(payments, "payments"));

        Map<String, Integer> onHand = new HashMap<>();
        for (InventoryItem i : inventory) {
            if (onHand.put(i.sku(), i.onHand()) != null) {
                throw new IllegalArgumentException("SKU " + i.sku() + " appears twice in inventory (inventory_pkey)");
            }
        }
        Map<String, Long> held = new HashMap<>();
        Set<UUID> allocationIds = new HashSet<>();
        for (Allocation a : allocations) {
            if (!allocationIds.add(a.id())) {
                throw new IllegalArgumentException("allocation id " + a.id() + " appears twice (allocations_pkey)");
            }
            if (!onHand.containsKey(a.sku())) {
                throw new IllegalArgumentException("allocation " + a.id() + " is of SKU " + a.sku()
                        + ", which is not in inventory (allocations_sku_fk)");
            }
            if (a.status().holdsStock()) {
                held.merge(a.sku(), (long) a.quantity(), Long::sum);
            }
        }
        held.forEach((sku, units) -> {
            if (units > onHand.get(sku)) {
                throw new IllegalArgumentException("SKU " + sku + " has " + units + " units allocated but only "
                        + onHand.get(sku) + " on hand (inventory_not_oversold)");
            }
        });
        Set<UUID> paymentIds = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Payment p : payments) {
            if (!paymentIds.add(p.id())) {
                throw new IllegalArgumentException("payment id " + p.id() + " appears twice (payments_pkey)");
            }
            if (!allocationIds.contains(p.allocationId())) {
                throw new IllegalArgumentException("payment " + p.id() + " is for allocation " + p.allocationId()
                        + ", which is not in allocations (payments_allocation_fk)");
            }
            if (!keys.add(p.idempotencyKey())) {
                throw new IllegalArgumentException("idempotency key '" + p.idempotencyKey()
                        + "' appears twice (payments_idempotency_key_unique)");
            }
        }
    }

    /** The empty dataset. */
    public static ReferenceData empty() {
        return new ReferenceData(List.of(), List.of(), List.of());
    }

    /**
     * What {@code inventory.allocated} holds for this SKU once the data is loaded: the sum of the
     * quantities of its allocations that are not cancelled.
     */
    public int allocated(String sku) {
        int sum = 0;
        for (Allocation a : allocations) {
            if (a.sku().equals(sku) && a.status().holdsStock()) {
                sum += a.quantity();
            }
        }
        return sum;
    }

    /** {@link #allocated(String)} of every SKU, in inventory order. */
    public Map<String, Integer> allocatedBySku() {
        Map<String, Integer> m = new LinkedHashMap<>();
        inventory.forEach(i -> m.put(i.sku(), 0));
        for (Allocation a : allocations) {
            if (a.status().holdsStock()) {
                m.merge(a.sku(), a.quantity(), Integer::sum);
            }
        }
        return m;
    }

    /** The number of rows in all three tables. */
    public int rowCount() {
        return inventory.size() + allocations.size() + payments.size();
    }
}

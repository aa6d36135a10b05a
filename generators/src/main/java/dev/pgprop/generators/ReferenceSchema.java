package dev.pgprop.generators;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.ReferenceData;
import dev.pgprop.generators.model.VectorRow;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The tables of the reference schema and how the model records become {@link Row}s and {@link
 * Dataset}s. Columns with a default that the records do not carry ({@code inventory.allocated},
 * maintained by the allocations trigger; {@code vectors.created_at}) are left out of the rows.
 *
 * <pre>{@code
 * Dataset d = ReferenceSchema.dataset(referenceData);   // inventory, allocations, payments, in that order
 * Row r = ReferenceSchema.row(new InventoryItem("SKU-000001", 5));
 * System.out.println(d.toSql());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ReferenceSchema {
    public static final String INVENTORY = "inventory";
    public static final String ALLOCATIONS = "allocations";
    public static final String PAYMENTS = "payments";
    public static final String VECTORS = "vectors";

    /** The tables, parents before children: the order to insert in. */
    public static final List<String> TABLES = List.of(INVENTORY, ALLOCATIONS, PAYMENTS, VECTORS);

    private ReferenceSchema() {}

    /** {@code sku, on_hand}. */
    public static Row row(InventoryItem item) {
        return Row.of("sku", item.sku(), "on_hand", item.onHand());
    }

    /** {@code id, sku, quantity, status, allocated_at}. */
    public static Row row(Allocation a) {
        return Row.of("id", a.id(), "sku", a.sku(), "quantity", a.quantity(), "status", a.status().sqlValue(),
                "allocated_at", a.allocatedAt());
    }

    /**
     * {@code id, allocation_id, owner_id, amount_cents, currency, status, idempotency_key,
     * created_at}.
     */
    public static Row row(Payment p) {
        return Row.of("id", p.id(), "allocation_id", p.allocationId(), "owner_id", p.ownerId(),
                "amount_cents", p.amountCents(), "currency", p.currency(), "status", p.status().sqlValue(),
                "idempotency_key", p.idempotencyKey(), "created_at", p.createdAt());
    }

    /** {@code id, embedding, metadata}. */
    public static Row row(VectorRow v) {
        return Row.of("id", v.id(), "embedding", v.embedding(), "metadata", v.metadata());
    }

    /**
     * The three tables {@code inventory}, {@code allocations} and {@code payments}, always present
     * (possibly empty) and in that order, so {@link Dataset#toSql()} prints runnable INSERTs.
     */
    public static Dataset dataset(ReferenceData data) {
        List<Row> inventory = new ArrayList<>(data.inventory().size());
        data.inventory().forEach(i -> inventory.add(row(i)));
        List<Row> allocations = new ArrayList<>(data.allocations().size());
        data.allocations().forEach(a -> allocations.add(row(a)));
        List<Row> payments = new ArrayList<>(data.payments().size());
        data.payments().forEach(p -> payments.add(row(p)));
        return Dataset.empty().with(INVENTORY, inventory).with(ALLOCATIONS, allocations).with(PAYMENTS, payments);
    }

    /** The table {@code vectors}, always present (possibly empty). */
    public static Dataset vectorDataset(List<VectorRow> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        rows.forEach(v -> out.add(row(v)));
        return Dataset.of(VECTORS, out);
    }
}

package dev.pgprop.generators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The records refuse values the schema would refuse, naming the constraint. */
class ModelRecordsTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);

    private static Allocation allocation(UUID id, String sku, int quantity, AllocationStatus status) {
        return new Allocation(id, sku, quantity, status, T);
    }

    private static Payment payment(UUID id, UUID allocation, String key) {
        return new Payment(id, allocation, B, 100, "EUR", PaymentStatus.CAPTURED, key, T);
    }

    @Test
    void rowRecordsCheckTheirValues() {
        assertThatThrownBy(() -> new InventoryItem("SKU-1", 1)).hasMessageContaining("inventory_sku_format");
        assertThatThrownBy(() -> new InventoryItem("SKU-000001\n", 1)).hasMessageContaining("inventory_sku_format");
        assertThatThrownBy(() -> new InventoryItem("SKU-000001", -1)).hasMessageContaining("inventory_on_hand_nonneg");
        assertThatThrownBy(() -> allocation(A, "SKU-000001", 0, AllocationStatus.PENDING)).hasMessageContaining("allocations_quantity_range");
        assertThatThrownBy(() -> allocation(A, "SKU-000001", 1001, AllocationStatus.PENDING)).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> new Payment(A, A, A, 0, "EUR", PaymentStatus.PENDING, "k", T)).hasMessageContaining("payments_amount_positive");
        assertThatThrownBy(() -> new Payment(A, A, A, 1, "EU", PaymentStatus.PENDING, "k", T)).hasMessageContaining("payments_currency_format");
        assertThatThrownBy(() -> new VectorRow("v", new float[] {Float.NaN}, Map.of())).hasMessageContaining("finite values only");
        assertThatThrownBy(() -> new VectorRow("v", new float[0], Map.of())).hasMessageContaining("at least 1 dimension");
        assertThat(AllocationStatus.fromSql("cancelled")).isEqualTo(AllocationStatus.CANCELLED);
        assertThat(AllocationStatus.CANCELLED.holdsStock()).isFalse();
        assertThat(PaymentStatus.fromSql("refunded")).isEqualTo(PaymentStatus.REFUNDED);
        assertThatThrownBy(() -> AllocationStatus.fromSql("canceled")).hasMessageContaining("allocations_status_valid");
        assertThatThrownBy(() -> PaymentStatus.fromSql("paid")).hasMessageContaining("payments_status_valid");
    }

    @Test
    void referenceDataChecksKeysParentsAndStock() {
        InventoryItem item = new InventoryItem("SKU-000001", 5);
        assertThatThrownBy(() -> new ReferenceData(List.of(item, item), List.of(), List.of())).hasMessageContaining("inventory_pkey");
        assertThatThrownBy(() -> new ReferenceData(List.of(item),
                List.of(allocation(A, "SKU-000001", 1, AllocationStatus.PENDING), allocation(A, "SKU-000001", 1, AllocationStatus.PENDING)),
                List.of())).hasMessageContaining("allocations_pkey");
        assertThatThrownBy(() -> new ReferenceData(List.of(item), List.of(allocation(A, "SKU-000002", 1, AllocationStatus.PENDING)),
                List.of())).hasMessageContaining("allocations_sku_fk");
        assertThatThrownBy(() -> new ReferenceData(List.of(item),
                List.of(allocation(A, "SKU-000001", 3, AllocationStatus.ALLOCATED), allocation(B, "SKU-000001", 3, AllocationStatus.SHIPPED)),
                List.of())).hasMessageContaining("inventory_not_oversold").hasMessageContaining("6 units allocated but only 5");
        Allocation a = allocation(A, "SKU-000001", 5, AllocationStatus.ALLOCATED);
        assertThatThrownBy(() -> new ReferenceData(List.of(item), List.of(a), List.of(payment(B, B, "k"))))
                .hasMessageContaining("payments_allocation_fk");
        assertThatThrownBy(() -> new ReferenceData(List.of(item), List.of(a), List.of(payment(B, A, "k"), payment(B, A, "l"))))
                .hasMessageContaining("payments_pkey");
        assertThatThrownBy(() -> new ReferenceData(List.of(item), List.of(a), List.of(payment(A, A, "k"), payment(B, A, "k"))))
                .hasMessageContaining("payments_idempotency_key_unique");

        ReferenceData ok = new ReferenceData(List.of(item, new InventoryItem("SKU-000002", 0)),
                List.of(a, allocation(B, "SKU-000001", 1000, AllocationStatus.CANCELLED)), List.of(payment(B, A, "k")));
        assertThat(ok.allocated("SKU-000001")).isEqualTo(5);
        assertThat(ok.allocatedBySku()).containsExactly(Map.entry("SKU-000001", 5), Map.entry("SKU-000002", 0));
        assertThat(ok.rowCount()).isEqualTo(5);
    }
}

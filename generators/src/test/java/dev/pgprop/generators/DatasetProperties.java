package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import dev.pgprop.generators.model.ReferenceData;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Datasets load into the reference schema as drawn, the trigger agrees with the generated stock,
 * pins and sizes hold, and the draws cover every status, currency and contention-prone shape.
 */
class DatasetProperties {
    private static ReferenceDb db;

    @BeforeContainer
    static void database() {
        db = new ReferenceDb("DatasetProperties");
    }

    @AfterContainer
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    /** A SKU with at least 5 allocations holding stock and at most 2 free units. */
    static boolean contentionProne(ReferenceData data) {
        Map<String, Integer> holding = new HashMap<>();
        for (Allocation a : data.allocations()) {
            if (a.status().holdsStock()) {
                holding.merge(a.sku(), 1, Integer::sum);
            }
        }
        Map<String, Integer> allocated = data.allocatedBySku();
        for (InventoryItem i : data.inventory()) {
            if (holding.getOrDefault(i.sku(), 0) >= 5 && i.onHand() - allocated.get(i.sku()) <= 2) {
                return true;
            }
        }
        return false;
    }

    private static void assertLoadsAsGenerated(Connection c, ReferenceData data) throws Exception {
        Dataset dataset = ReferenceSchema.dataset(data);
        assertThat(dataset.tables()).containsExactly("inventory", "allocations", "payments");
        ReferenceDb.load(c, dataset);
        assertThat(ReferenceDb.count(c, "select count(*) from inventory")).isEqualTo(data.inventory().size());
        assertThat(ReferenceDb.count(c, "select count(*) from allocations")).isEqualTo(data.allocations().size());
        assertThat(ReferenceDb.count(c, "select count(*) from payments")).isEqualTo(data.payments().size());
        Map<String, Integer> allocated = new HashMap<>();
        for (List<Object> r : ReferenceDb.rows(c, "select sku, allocated from inventory")) {
            allocated.put((String) r.get(0), (Integer) r.get(1));
        }
        assertThat(allocated).isEqualTo(data.allocatedBySku());
    }

    @Property(tries = 150, seed = "4001")
    void datasetsLoadAndTheTriggerAgreesWithTheGeneratedStock(@ForAll("defaults") ReferenceData data) {
        db.inRollback(c -> assertLoadsAsGenerated(c, data));
    }

    @Property(tries = 50, seed = "4002")
    void contendedDatasetsLoad(@ForAll("contended") ReferenceData data) {
        assertThat(data.inventory()).hasSizeBetween(1, 3);
        assertThat(contentionProne(data) || data.allocations().stream().filter(a -> a.status().holdsStock()).count() < 5)
                .isTrue();
        db.inRollback(c -> assertLoadsAsGenerated(c, data));
    }

    @Property(tries = 3, seed = "4003")
    void thousandsOfRowsLoad(@ForAll("thousands") ReferenceData data) {
        assertThat(data.rowCount()).isBetween(2_000, 6_100);
        db.inRollback(c -> assertLoadsAsGenerated(c, data));
    }

    @Property(tries = 300, seed = "4004")
    void sizesStayInTheirRanges(@ForAll("sized") ReferenceData data) {
        assertThat(data.inventory()).hasSizeBetween(2, 4);
        Map<String, Integer> perSku = new HashMap<>();
        data.allocations().forEach(a -> perSku.merge(a.sku(), 1, Integer::sum));
        data.inventory().forEach(i -> assertThat(perSku.getOrDefault(i.sku(), 0)).isBetween(1, 3));
        Map<Object, Integer> perAllocation = new HashMap<>();
        data.payments().forEach(p -> perAllocation.merge(p.allocationId(), 1, Integer::sum));
        data.allocations().forEach(a -> assertThat(perAllocation.getOrDefault(a.id(), 0)).isBetween(0, 2));
        data.inventory().forEach(i -> assertThat(i.onHand() - data.allocated(i.sku())).isBetween(0, 7));
    }

    @Property(tries = 200, seed = "4005")
    void pinnedFieldsHoldInEveryRow(@ForAll("pinned") Dataset data) {
        assertThat(data.rows("inventory")).extracting(r -> r.get("sku")).containsExactly("SKU-000042");
        assertThat(data.rows("allocations")).allSatisfy(r -> {
            assertThat(r.get("sku")).isEqualTo("SKU-000042");
            assertThat(r.get("status")).isEqualTo("shipped");
        });
        assertThat(data.rows("payments")).allSatisfy(r -> {
            assertThat(r.get("currency")).isEqualTo("SEK");
            assertThat(r.get("status")).isEqualTo("refunded");
        });
        assertThat(data.rows("inventory")).allSatisfy(r -> assertThat(r.has("allocated")).isFalse());
    }

    @Property(tries = 1000, seed = "4006")
    void drawsCoverEveryStatusCurrencyAndContentionProneShape(@ForAll("defaults") ReferenceData data) {
        for (Allocation a : data.allocations()) {
            Statistics.label("allocation status").collect(a.status());
        }
        for (Payment p : data.payments()) {
            Statistics.label("payment status").collect(p.status());
            Statistics.label("currency").collect(p.currency());
        }
        Statistics.label("contention-prone").collect(contentionProne(data));
        Statistics.label("empty").collect(data.inventory().isEmpty());
        Statistics.label("no free stock").collect(data.inventory().stream().anyMatch(i -> i.onHand() == data.allocated(i.sku())));

        Statistics.label("allocation status").coverage(c -> {
            for (AllocationStatus s : AllocationStatus.values()) {
                c.check(s).percentage(p -> p > 15);
            }
        });
        Statistics.label("payment status").coverage(c -> {
            for (PaymentStatus s : PaymentStatus.values()) {
                c.check(s).percentage(p -> p > 15);
            }
        });
        Statistics.label("currency").coverage(c -> {
            for (String currency : DatasetSpec.CURRENCIES) {
                c.check(currency).percentage(p -> p > 10);
            }
        });
        Statistics.label("contention-prone").coverage(c -> c.check(true).percentage(p -> p >= 15));
        Statistics.label("empty").coverage(c -> c.check(true).count(n -> n >= 1));
        Statistics.label("no free stock").coverage(c -> c.check(true).percentage(p -> p >= 15));
    }

    @Property(tries = 200, seed = "4007")
    void contendedDrawsAreMostlyContentionProne(@ForAll("contended") ReferenceData data) {
        Statistics.label("contention-prone").collect(contentionProne(data));
        Statistics.label("contention-prone").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    @Property(tries = 100, seed = "4008")
    void sqlListsParentsBeforeChildrenAndLeavesAllocatedToTheTrigger(@ForAll("datasetsDefault") Dataset data) {
        String sql = data.toSql();
        int lastInventory = sql.lastIndexOf("INSERT INTO inventory");
        int firstAllocation = sql.indexOf("INSERT INTO allocations");
        int lastAllocation = sql.lastIndexOf("INSERT INTO allocations");
        int firstPayment = sql.indexOf("INSERT INTO payments");
        if (firstAllocation >= 0) {
            assertThat(lastInventory).isLessThan(firstAllocation);
        }
        if (firstPayment >= 0) {
            assertThat(lastAllocation).isLessThan(firstPayment);
        }
        for (Row r : data.rows("inventory")) {
            assertThat(r.columns()).containsExactly("sku", "on_hand");
        }
    }

    @Provide
    Arbitrary<ReferenceData> defaults() {
        return ReferenceArbitraries.referenceData();
    }

    @Provide
    Arbitrary<ReferenceData> contended() {
        return ReferenceArbitraries.referenceData(DatasetSpec.contended());
    }

    @Provide
    Arbitrary<ReferenceData> thousands() {
        return ReferenceArbitraries.referenceData(
                DatasetSpec.defaults().withInventory(20, 30).withAllocationsPerItem(50, 100).withPaymentsPerAllocation(1, 1));
    }

    @Provide
    Arbitrary<ReferenceData> sized() {
        return ReferenceArbitraries.referenceData(DatasetSpec.defaults().withInventory(2, 4).withAllocationsPerItem(1, 3)
                .withPaymentsPerAllocation(0, 2).withMaxSlack(7));
    }

    @Provide
    Arbitrary<Dataset> pinned() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withSku("SKU-000042")
                .withAllocationStatus(AllocationStatus.SHIPPED).withPaymentStatus(PaymentStatus.REFUNDED).withCurrency("SEK"));
    }

    @Provide
    Arbitrary<Dataset> datasetsDefault() {
        return ReferenceArbitraries.datasets();
    }
}

package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import dev.pgprop.generators.model.ReferenceData;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shrinking reaches the smallest dataset that still fails, asserted on the exact value. The
 * properties under test run in the jqwik engine through the JUnit testkit; each records the last
 * dataset it failed on (the shrunk sample) and how often it ran.
 */
class DatasetShrinkingTest {
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    private static final UUID ALLOCATION = UUID.fromString("a0000000-0000-0000-0000-000000000000");
    private static final UUID PAYMENT = UUID.fromString("b0000000-0000-0000-0000-000000000000");
    private static final UUID OWNER = UUID.fromString("c0000000-0000-0000-0000-000000000000");

    /** Properties that fail; run only through the engine below (nested, so Surefire skips them). */
    static class Subjects {
        static Dataset lastFailing;
        static int calls;
        static int failures;
        static int callsToFirstFailure;
        static long firstFailureNanos;
        static long lastCallNanos;

        static void reset() {
            lastFailing = null;
            calls = 0;
            failures = 0;
            callsToFirstFailure = 0;
        }

        private static boolean record(Dataset data, boolean holds) {
            calls++;
            lastCallNanos = System.nanoTime();
            if (!holds) {
                if (failures++ == 0) {
                    callsToFirstFailure = calls;
                    firstFailureNanos = lastCallNanos;
                }
                lastFailing = data;
            }
            return holds;
        }

        @Property(seed = "5001", tries = 1000)
        boolean noAllocationHasQuantityAbove500(@ForAll("datasets") Dataset data) {
            return record(data, data.rows("allocations").stream().noneMatch(r -> (Integer) r.get("quantity") > 500));
        }

        @Property(seed = "5002", tries = 1000)
        boolean noDatasetContainsAPayment(@ForAll("datasets") Dataset data) {
            return record(data, data.rows("payments").isEmpty());
        }

        @Provide
        Arbitrary<Dataset> datasets() {
            return ReferenceArbitraries.datasets();
        }
    }

    private static EngineRun run(String method, Path dir) {
        Subjects.reset();
        EngineRun run = EngineRun.property(Subjects.class, method, dir.resolve("jqwik-database"));
        System.out.printf("shrinking %s: first failure at try %d; %s shrinking steps reported by jqwik; %d calls while"
                        + " shrinking (%d failing); shrinking %.1f ms, whole run %d ms%n", method, Subjects.callsToFirstFailure,
                run.shrinkingSteps().map(String::valueOf).orElse("no"), Subjects.calls - Subjects.callsToFirstFailure,
                Subjects.failures - 1, (Subjects.lastCallNanos - Subjects.firstFailureNanos) / 1e6, run.millis());
        return run;
    }

    @Test
    void aQuantityAbove500ShrinksToOneItemAndOneAllocationOf501(@TempDir Path dir) {
        EngineRun run = run("noAllocationHasQuantityAbove500", dir);
        assertThat(run.failures()).hasSize(1);
        Dataset expected = ReferenceSchema.dataset(new ReferenceData(
                List.of(new InventoryItem("SKU-000001", 501)),
                List.of(new Allocation(ALLOCATION, "SKU-000001", 501, AllocationStatus.PENDING, EPOCH)),
                List.of()));
        assertThat(Subjects.lastFailing).isEqualTo(expected);
        assertThat(Subjects.lastFailing.toSql()).isEqualTo("""
                INSERT INTO inventory (sku, on_hand) VALUES ('SKU-000001', 501);
                INSERT INTO allocations (id, sku, quantity, status, allocated_at) VALUES \
                ('a0000000-0000-0000-0000-000000000000'::uuid, 'SKU-000001', 501, 'pending', '2025-01-01T00:00:00Z'::timestamptz);
                """);
        assertThat(run.report()).contains("Dataset{inventory=1 rows, allocations=1 rows, payments=0 rows}");
        assertThat(run.shrinkingSteps()).hasValueSatisfying(steps -> assertThat(steps).isPositive());
    }

    @Test
    void aPaymentShrinksToOneRowOfEachTable(@TempDir Path dir) {
        EngineRun run = run("noDatasetContainsAPayment", dir);
        assertThat(run.failures()).hasSize(1);
        Dataset expected = ReferenceSchema.dataset(new ReferenceData(
                List.of(new InventoryItem("SKU-000001", 1)),
                List.of(new Allocation(ALLOCATION, "SKU-000001", 1, AllocationStatus.PENDING, EPOCH)),
                List.of(new Payment(PAYMENT, ALLOCATION, OWNER, 1, "EUR", PaymentStatus.PENDING, "pay-0-0-0", EPOCH))));
        assertThat(Subjects.lastFailing).isEqualTo(expected);
        assertThat(run.report()).contains("Dataset{inventory=1 rows, allocations=1 rows, payments=1 rows}");
        assertThat(run.shrinkingSteps()).hasValueSatisfying(steps -> assertThat(steps).isPositive());
    }

    @Test
    void aPropertyThatHoldsDoesNotFail(@TempDir Path dir) {
        // the harness itself: a property that holds for every dataset reports success
        EngineRun run = EngineRun.property(Holds.class, "everyDatasetHasAtMostTheTablesItNames", dir.resolve("db"));
        assertThat(run.failures()).isEmpty();
        assertThat(run.succeeded()).isOne();
    }

    static class Holds {
        @Property(seed = "5003", tries = 50)
        boolean everyDatasetHasAtMostTheTablesItNames(@ForAll("datasets") Dataset data) {
            return data.tables().equals(List.of("inventory", "allocations", "payments"));
        }

        @Provide
        Arbitrary<Dataset> datasets() {
            return ReferenceArbitraries.datasets();
        }
    }
}

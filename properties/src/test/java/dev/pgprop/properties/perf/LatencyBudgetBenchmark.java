package dev.pgprop.properties.perf;

import static dev.pgprop.dsl.perf.PerformanceInvariants.latency;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Real latency budgets for the reference queries (-Pbench only: the default run asserts no
 * wall-clock figure). Each budget is judged by the 95 % upper confidence bound of the p95 over
 * 200 runs after 20 warm-up runs, on datasets of up to a few thousand rows.
 */
@PgProperties
class LatencyBudgetBenchmark {
    @Provide
    Arbitrary<Dataset> data() {
        return ReferenceArbitraries.datasets(DatasetSpec.contended().withInventory(1, 8));
    }

    @Property(tries = 10)
    void referenceQueriesStayWithinTheirBudgets(@ForAll("data") Dataset data, Db db) {
        db.given(data).then(
                latency("select * from inventory where sku = 'SKU-000001'").under(Duration.ofMillis(5)),
                latency("select sku, sum(quantity) from allocations where status <> 'cancelled' group by sku")
                        .under(Duration.ofMillis(20)),
                latency("select p.owner_id, sum(p.amount_cents) from payments p join allocations a on a.id = p.allocation_id"
                        + " group by p.owner_id").under(Duration.ofMillis(20)),
                latency("select * from allocations where status = 'pending' order by allocated_at limit 50")
                        .under(Duration.ofMillis(10)));
    }
}

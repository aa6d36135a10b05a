package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.perf.PerformanceInvariants.actionsUseNoTempFiles;
import static dev.pgprop.dsl.perf.PerformanceInvariants.latency;
import static dev.pgprop.dsl.perf.PerformanceInvariants.noSeqScanOn;
import static dev.pgprop.dsl.perf.PerformanceInvariants.noTempFiles;
import static dev.pgprop.dsl.perf.PerformanceInvariants.rowEstimatesWithin;
import static dev.pgprop.dsl.perf.PerformanceInvariants.sharedBuffersAtMost;
import static dev.pgprop.dsl.perf.PerformanceInvariants.usesIndex;
import static dev.pgprop.dsl.perf.PerformanceInvariants.walBytesAtMost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each performance invariant fails on a planted violation and holds without it. No wall-clock figure is asserted
 * except far from any budget: a 50 ms sleep against 5 ms, a trivial query against 1 s. */
class PerformanceInvariantsTest {
    private static TryHarness h;
    private static final Dataset PARTS;

    static {
        Dataset d = Dataset.empty().plus("widget", Row.of("id", 1, "label", "w"));
        for (int i = 1; i <= 200; i++) {
            d = d.plus("part", Row.of("id", i, "widget_id", 1, "weight", i));
        }
        PARTS = d;
    }

    @BeforeAll
    static void start() {
        h = new TryHarness("PerformanceInvariantsTest");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static InvariantViolationException violated(Invariant... invariants) throws Exception {
        InvariantViolationException[] e = new InvariantViolationException[1];
        h.tryOnce(db -> e[0] = catchThrowableOfType(InvariantViolationException.class, () -> db.given(PARTS).then(invariants)));
        assertThat(e[0]).as("the invariant must fail on the planted violation").isNotNull();
        return e[0];
    }

    @Test
    void aLatencyFarOverItsBudgetFailsAndOneFarUnderPasses() throws Exception {
        InvariantViolationException e = violated(latency("select pg_sleep(0.05)").percentile(50).withWarmup(0)
                .withRepetitions(5).under(Duration.ofMillis(5)));
        assertThat(e.violations().get(0).message()).contains("over the budget of 5 ms").contains("5 runs");
        assertThat(e.violations().get(0).rows().get(0).get("median_ms")).isInstanceOf(Double.class);
        h.tryOnce(db -> db.given(PARTS).then(latency("select 1").under(Duration.ofSeconds(1))));
        assertThatThrownBy(() -> latency("select 1").withRepetitions(10)).hasMessageContaining("needs at least 59 repetitions");
        assertThatThrownBy(() -> latency("select 1").percentile(100)).hasMessageContaining("between 0 and 100");
    }

    @Test
    void planInvariantsReadTheRealPlan() throws Exception {
        Invariant index = invariant("index", ctx -> ctx.handle().execute("create index part_weight_idx on part (weight);"
                + " set local enable_seqscan = off; analyze part"));
        InvariantViolationException e = violated(index, usesIndex("select * from part where weight = 3", "part_no_such_index"),
                noSeqScanOn("select * from part where weight = 3", "widget"),
                invariant("seqscan on", ctx -> ctx.handle().execute("set local enable_seqscan = on; set local enable_indexscan = off;"
                        + " set local enable_bitmapscan = off")),
                noSeqScanOn("select * from part where weight = 3", "part"));
        assertThat(e.violations()).extracting(Violation::invariant).containsExactly(
                "usesIndex(part_no_such_index) for (select * from part where weight = 3)",
                "noSeqScanOn(part) for (select * from part where weight = 3)");
        assertThat(e.violations().get(0).rows()).anySatisfy(r -> assertThat(r.get("index")).isEqualTo("part_weight_idx"));
        h.tryOnce(db -> db.given(PARTS).then(index, usesIndex("select * from part where weight = 3", "part_weight_idx"),
                noSeqScanOn("select * from part where weight = 3", "part")));
    }

    @Test
    void staleStatisticsBreakRowEstimates() throws Exception {
        InvariantViolationException e = violated(
                invariant("stale", ctx -> ctx.handle().execute("update part set weight = 7; analyze part;"
                        + " update part set weight = 8")),
                rowEstimatesWithin("select * from part where weight = 8", 10));
        assertThat(e.violations().get(0).message()).contains("estimate rows off by more than 10x");
        h.tryOnce(db -> db.given(PARTS).then(invariant("fresh", ctx -> ctx.handle().execute("analyze part")),
                rowEstimatesWithin("select * from part where weight = 8", 10)));
        assertThatThrownBy(() -> rowEstimatesWithin("select 1", 0.5)).hasMessageContaining("at least 1");
    }

    @Test
    void resourceBudgets() throws Exception {
        String bigSort = "select g from generate_series(1, 200000) g order by g desc";
        InvariantViolationException e = violated(
                invariant("tiny work_mem", ctx -> ctx.handle().execute("set local work_mem = '64kB'")),
                noTempFiles(bigSort),
                sharedBuffersAtMost("select * from part", 0),
                walBytesAtMost("insert into widget (id, label) values (99, 'x')", 0));
        assertThat(e.violations()).hasSize(3);
        assertThat(e.violations().get(0).message()).contains("used temp files");
        h.tryOnce(db -> db.given(PARTS).then(noTempFiles("select count(*) from part"), sharedBuffersAtMost("select 1", 0),
                walBytesAtMost("select count(*) from part", 0)));
    }

    @Test
    void theActionsOwnTempFilesAreMeasuredThroughPgStatStatements() throws Exception {
        InvariantViolationException[] e = new InvariantViolationException[1];
        h.tryOnce(db -> e[0] = catchThrowableOfType(InvariantViolationException.class, () -> db.given(PARTS)
                .whenRolledBack(tx -> {
                    tx.execute("set local work_mem = '64kB'");
                    tx.query("select g from generate_series(1, 200000) g order by g desc limit 1");
                })
                .then(actionsUseNoTempFiles())));
        assertThat(e[0]).isNotNull();
        assertThat(e[0].violations().get(0).message()).contains("temp blocks");
        h.tryOnce(db -> db.given(PARTS).whenRolledBack(tx -> tx.query("select count(*) from part")).then(actionsUseNoTempFiles()));
    }
}

package dev.pgprop.dsl.perf;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.Violation;

import dev.pgprop.dsl.internal.JsonReader;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Invariants on how a query runs rather than what it returns: a latency budget judged by a
 * confidence bound, the plan ({@code EXPLAIN (FORMAT JSON)}), and resource budgets (buffers,
 * temp files, WAL).
 *
 * <pre>{@code
 * import static dev.pgprop.dsl.perf.PerformanceInvariants.*;
 *
 * db.given(data).then(
 *     latency("select * from vector_search(...)").percentile(95).under(Duration.ofMillis(50)),
 *     usesIndex("select * from vector_search(...)", "vectors_embedding_hnsw"),
 *     noTempFiles("select * from allocations order by allocated_at"));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PerformanceInvariants {
    private PerformanceInvariants() {}

    // --- latency --------------------------------------------------------------------------------

    /** A latency budget for a query; say which percentile and the budget. */
    public static LatencyBudget latency(String sql) {
        return new LatencyBudget(Objects.requireNonNull(sql, "sql"), 95, 20, 200, 0.95);
    }

    /**
     * A latency budget: the query runs {@code warmup} times unmeasured, then {@code repetitions}
     * times; the invariant holds when the upper confidence bound of the percentile (distribution
     * free, {@link Stats#percentileUpperBound}) is within the budget. Immutable.
     *
     * <pre>{@code
     * latency("select count(*) from allocations").percentile(99).withRepetitions(500).under(Duration.ofMillis(5))
     * }</pre>
     */
    public static final class LatencyBudget {
        private final String sql;
        private final double percentile;
        private final int warmup;
        private final int repetitions;
        private final double confidence;

        LatencyBudget(String sql, double percentile, int warmup, int repetitions, double confidence) {
            this.sql = sql;
            this.percentile = percentile;
            this.warmup = warmup;
            this.repetitions = repetitions;
            this.confidence = confidence;
        }

        public LatencyBudget percentile(double p) {
            if (!(p > 0 && p < 100)) {
                throw new IllegalArgumentException("the percentile must be between 0 and 100 (exclusive), got " + p);
            }
            return new LatencyBudget(sql, p, warmup, repetitions, confidence);
        }

        public LatencyBudget withWarmup(int runs) {
            if (runs < 0) {
                throw new IllegalArgumentException("warm-up runs must be 0 or more, got " + runs);
            }
            return new LatencyBudget(sql, percentile, runs, repetitions, confidence);
        }

        public LatencyBudget withRepetitions(int runs) {
            int needed = minimumRepetitions(percentile, confidence);
            if (runs < needed) {
                throw new IllegalArgumentException("p" + fmt(percentile) + " at " + fmt(confidence * 100)
                        + "% confidence needs at least " + needed + " repetitions, got " + runs);
            }
            return new LatencyBudget(sql, percentile, warmup, runs, confidence);
        }

        public LatencyBudget withConfidence(double c) {
            if (!(c > 0 && c < 1)) {
                throw new IllegalArgumentException("confidence must be between 0 and 1, such as 0.95; got " + c);
            }
            return new LatencyBudget(sql, percentile, warmup, Math.max(repetitions, minimumRepetitions(percentile, c)), c);
        }

        /** The smallest sample whose largest value bounds the percentile with this confidence. */
        static int minimumRepetitions(double percentile, double confidence) {
            return (int) Math.ceil(Math.log(1 - confidence) / Math.log(percentile / 100));
        }

        /** The invariant: the percentile's upper confidence bound is at most {@code budget}. */
        public Invariant under(Duration budget) {
            Objects.requireNonNull(budget, "budget");
            double budgetMs = budget.toNanos() / 1e6;
            String name = "latency p" + fmt(percentile) + " of (" + sql.strip() + ") under " + fmt(budgetMs) + " ms";
            return Invariants.invariant(name, ctx -> {
                double[] ms = measure(ctx, sql, warmup, repetitions);
                double bound = Stats.percentileUpperBound(ms, percentile, confidence);
                if (bound > budgetMs) {
                    ctx.fail(String.format(Locale.ROOT, "p%s is at most %.3f ms with %s%% confidence, over the budget of"
                                    + " %s ms (%d runs after %d warm-up)", fmt(percentile), bound, fmt(confidence * 100),
                            fmt(budgetMs), repetitions, warmup),
                            List.of(Row.of("median_ms", round(Stats.percentile(ms, 50)), "p" + fmt(percentile) + "_ms",
                                    round(Stats.percentile(ms, percentile)), "upper_bound_ms", round(bound), "max_ms",
                                    round(java.util.Arrays.stream(ms).max().orElse(0)), "runs", repetitions)));
                }
            });
        }
    }

    private static double[] measure(CheckContext ctx, String sql, int warmup, int repetitions) throws Exception {
        double[] ms = new double[repetitions];
        try (Statement s = ctx.handle().getConnection().createStatement()) {
            for (int i = -warmup; i < repetitions; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        // consume every row: the client's time counts
                    }
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return ms;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    // --- plans ----------------------------------------------------------------------------------

    /** One node of an {@code EXPLAIN (FORMAT JSON)} plan, with its children. */
    public record PlanNode(String nodeType, @Nullable String relation, @Nullable String index, double planRows,
                           @Nullable Double actualRows, double loops, List<PlanNode> children, Map<String, Object> raw) {

        /** This node and every node below it, depth first. */
        public List<PlanNode> all() {
            List<PlanNode> out = new ArrayList<>();
            walk(this, out::add);
            return out;
        }

        private static void walk(PlanNode n, Consumer<PlanNode> f) {
            f.accept(n);
            n.children().forEach(c -> walk(c, f));
        }

        @Override
        public String toString() {
            return nodeType + (relation == null ? "" : " on " + relation) + (index == null ? "" : " using " + index);
        }
    }

    /** The plan of a query on the check's session; {@code analyze} runs it (with buffers). */
    public static PlanNode explain(CheckContext ctx, String sql, boolean analyze) throws Exception {
        String options = analyze ? "ANALYZE, BUFFERS, WAL, FORMAT JSON" : "FORMAT JSON";
        Object json;
        try (Statement s = ctx.handle().getConnection().createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (" + options + ") " + sql)) {
            rs.next();
            json = JsonReader.parse(rs.getString(1));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> top = ((List<Map<String, Object>>) json).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) top.get("Plan");
        return node(plan);
    }

    @SuppressWarnings("unchecked")
    private static PlanNode node(Map<String, Object> p) {
        List<PlanNode> kids = new ArrayList<>();
        Object plans = p.get("Plans");
        if (plans instanceof List<?> l) {
            for (Object o : l) {
                kids.add(node((Map<String, Object>) o));
            }
        }
        return new PlanNode(String.valueOf(p.get("Node Type")), (String) p.get("Relation Name"), (String) p.get("Index Name"),
                number(p.get("Plan Rows")), p.containsKey("Actual Rows") ? number(p.get("Actual Rows")) : null,
                p.containsKey("Actual Loops") ? number(p.get("Actual Loops")) : 1, kids, p);
    }

    private static double number(@Nullable Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    private static List<Row> planRows(PlanNode root) {
        List<Row> rows = new ArrayList<>();
        for (PlanNode n : root.all()) {
            rows.add(Row.of("node", n.nodeType(), "relation", n.relation(), "index", n.index(), "plan_rows", (long) n.planRows(),
                    "actual_rows", n.actualRows() == null ? null : (long) (n.actualRows() * n.loops())));
        }
        return rows;
    }

    /** The query's plan uses the named index. */
    public static Invariant usesIndex(String sql, String indexName) {
        return Invariants.invariant("usesIndex(" + indexName + ") for (" + sql.strip() + ")", ctx -> {
            PlanNode plan = explain(ctx, sql, false);
            if (plan.all().stream().noneMatch(n -> indexName.equals(n.index()))) {
                ctx.fail("the plan does not use index " + indexName, planRows(plan));
            }
        });
    }

    /** The query's plan reads {@code table} without a sequential scan. */
    public static Invariant noSeqScanOn(String sql, String table) {
        return Invariants.invariant("noSeqScanOn(" + table + ") for (" + sql.strip() + ")", ctx -> {
            PlanNode plan = explain(ctx, sql, false);
            if (plan.all().stream().anyMatch(n -> n.nodeType().equals("Seq Scan") && table.equals(n.relation()))) {
                ctx.fail("the plan scans " + table + " sequentially", planRows(plan));
            }
        });
    }

    /**
     * Every plan node's row estimate is within {@code factor} of the rows it really produced
     * ({@code EXPLAIN ANALYZE}; the query runs). Catches stale statistics.
     */
    public static Invariant rowEstimatesWithin(String sql, double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("the factor must be at least 1, such as 10; got " + factor);
        }
        return Invariants.invariant("rowEstimatesWithin(" + fmt(factor) + "x) for (" + sql.strip() + ")", ctx -> {
            PlanNode plan = explain(ctx, sql, true);
            List<Row> off = new ArrayList<>();
            for (PlanNode n : plan.all()) {
                if (n.actualRows() == null) {
                    continue;
                }
                double est = Math.max(1, n.planRows());
                double act = Math.max(1, n.actualRows());
                if (Math.max(est, act) / Math.min(est, act) > factor) {
                    off.add(Row.of("node", n.toString(), "estimated", (long) n.planRows(), "actual", (long) n.actualRows().doubleValue()));
                }
            }
            if (!off.isEmpty()) {
                ctx.fail(off.size() + " plan node(s) estimate rows off by more than " + fmt(factor) + "x", off);
            }
        });
    }

    // --- resources ------------------------------------------------------------------------------

    /** What one run of a query cost the server, from {@code EXPLAIN (ANALYZE, BUFFERS, WAL)}, and the JVM heap in use. */
    public record ResourceUse(long sharedHit, long sharedRead, long tempRead, long tempWritten, long walBytes, long heapUsedBytes) {
        public Row toRow() {
            return Row.of("shared_hit", sharedHit, "shared_read", sharedRead, "temp_read", tempRead, "temp_written", tempWritten,
                    "wal_bytes", walBytes, "heap_used_bytes", heapUsedBytes);
        }
    }

    /** Runs the query once under {@code EXPLAIN (ANALYZE, BUFFERS, WAL)} and sums the top node's figures. */
    public static ResourceUse resources(CheckContext ctx, String sql) throws Exception {
        PlanNode plan = explain(ctx, sql, true);
        Map<String, Object> r = plan.raw();
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new ResourceUse((long) number(r.get("Shared Hit Blocks")), (long) number(r.get("Shared Read Blocks")),
                (long) number(r.get("Temp Read Blocks")), (long) number(r.get("Temp Written Blocks")),
                (long) number(r.get("WAL Bytes")), heap);
    }

    /** The query writes no temporary files (its sorts and hashes fit in {@code work_mem}). */
    public static Invariant noTempFiles(String sql) {
        return Invariants.invariant("noTempFiles(" + sql.strip() + ")", ctx -> {
            ResourceUse u = resources(ctx, sql);
            if (u.tempWritten() > 0 || u.tempRead() > 0) {
                ctx.fail("the query used temp files: " + u.tempWritten() + " blocks written", List.of(u.toRow()));
            }
        });
    }

    /** The query touches at most {@code blocks} shared buffers (hit + read). */
    public static Invariant sharedBuffersAtMost(String sql, long blocks) {
        return Invariants.invariant("sharedBuffersAtMost(" + blocks + ") for (" + sql.strip() + ")", ctx -> {
            ResourceUse u = resources(ctx, sql);
            if (u.sharedHit() + u.sharedRead() > blocks) {
                ctx.fail("the query touched " + (u.sharedHit() + u.sharedRead()) + " shared buffers", List.of(u.toRow()));
            }
        });
    }

    /** The statement writes at most {@code bytes} of WAL (it runs: use it in a rolled-back check or on purpose). */
    public static Invariant walBytesAtMost(String sql, long bytes) {
        return Invariants.invariant("walBytesAtMost(" + bytes + ") for (" + sql.strip() + ")", ctx -> {
            ResourceUse u = resources(ctx, sql);
            if (u.walBytes() > bytes) {
                ctx.fail("the statement wrote " + u.walBytes() + " bytes of WAL", List.of(u.toRow()));
            }
        });
    }

    /**
     * The scenario's own statements (the actions, measured through {@code pg_stat_statements} on
     * this database between {@code given} and {@code then}) wrote no temporary files.
     */
    public static Invariant actionsUseNoTempFiles() {
        String name = "actionsUseNoTempFiles";
        return Invariant.of(name, PerformanceInvariants::tempBlocks, (ctx, before) -> {
            long written = tempBlocks(ctx) - before;
            return written <= 0 ? List.of() : List.of(new Violation(name, "the actions wrote " + written
                    + " temp blocks", List.of(Row.of("temp_blocks_written", written))));
        });
    }

    private static long tempBlocks(CheckContext ctx) throws Exception {
        try (Statement s = ctx.handle().getConnection().createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('pg_stat_statements') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(temp_blks_written), 0) FROM pg_stat_statements"
                    + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

package dev.pgprop.dsl;

import dev.pgprop.dsl.perf.Stats;

import dev.pgprop.dsl.internal.engine.EngineConfig;
import dev.pgprop.dsl.report.Figure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Cost per try of each isolation strategy, measured in one run (-Pbench): the same scenario
 * (a 10-row dataset, one action, one noRows check) as rolled-back and as committing scenario.
 * Prints medians and writes target/pgprop/bench/isolation.csv and its figure spec. Asserts no timing.
 */
class IsolationBenchmark {
    private static final Dataset DATA;

    static {
        Dataset d = Dataset.empty();
        for (int i = 1; i <= 5; i++) {
            d = d.plus("widget", Row.of("id", i, "label", "w" + i)).plus("part", Row.of("id", i, "widget_id", i, "weight", i));
        }
        DATA = d;
    }

    private record Result(String strategy, String scenario, int tries, double medianMs, double p90Ms, double triesPerSecond) {}

    private static Result measure(Isolation iso, boolean commits, int warmup, int tries) throws Exception {
        return measure(iso, commits, warmup, tries, "");
    }

    /**
     * {@code template}: "warm" waits (untimed) before each try until the pool has its clones
     * ready; "warm, pool quiet" also waits until no clone is being made or dropped in the
     * background, so the try has the machine to itself; "cold" runs with a pool of size 0, so every try clones on its own path;
     * "back to back" runs tries without pause (the pool refills as it can).
     */
    private static Result measure(Isolation iso, boolean commits, int warmup, int tries, String template) throws Exception {
        if (template.equals("cold")) {
            System.setProperty("pgprop.templatePool.size", "0");
        }
        try (TryHarness h = new TryHarness("Bench" + iso, iso, new EngineConfig(iso, "30s", "10s", false))) {
            double[] ms = new double[tries];
            for (int i = -warmup; i < tries; i++) {
                if (template.equals("warm") && i > -warmup) {
                    h.cls.templatePool().awaitReady(2, 60_000);
                } else if (template.equals("warm, pool quiet") && i > -warmup) {
                    h.cls.templatePool().awaitQuiet(2, 60_000);
                }
                long t0 = System.nanoTime();
                h.tryOnce(db -> {
                    Scenario s = db.given(DATA);
                    s = commits ? s.whenCommitted(tx -> tx.execute("update part set weight = weight + 1 where id = 1"))
                            : s.whenRolledBack(tx -> tx.execute("update part set weight = weight + 1 where id = 1"));
                    s.then(Invariants.noRows("select * from part where weight > 100"));
                });
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double median = Stats.percentile(ms, 50);
            String name = iso.name().toLowerCase(Locale.ROOT) + (template.isEmpty() ? "" : " (" + template + ")");
            if (!template.isEmpty()) {
                long[] takes = h.cls.templatePool().takes();
                name += " warm/cold takes " + takes[0] + "/" + takes[1];
            }
            return new Result(name, commits ? "committing" : "rolled back", tries, median,
                    Stats.percentile(ms, 90), 1000.0 / Arrays.stream(ms).average().orElseThrow());
        }
    }

    @Test
    void costPerTryOfEachStrategy() throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(measure(Isolation.AUTO, false, 200, 2000));
        results.add(measure(Isolation.AUTO, true, 200, 2000));
        results.add(measure(Isolation.ROLLBACK, false, 200, 2000));
        results.add(measure(Isolation.DELETE, false, 200, 2000));
        results.add(measure(Isolation.DELETE, true, 200, 2000));
        results.add(measure(Isolation.TEMPLATE, false, 10, 100, "warm"));
        results.add(measure(Isolation.TEMPLATE, true, 10, 100, "warm"));
        results.add(measure(Isolation.TEMPLATE, true, 10, 100, "warm, pool quiet"));
        results.add(measure(Isolation.TEMPLATE, false, 10, 100, "warm, pool quiet"));
        results.add(measure(Isolation.TEMPLATE, true, 10, 100, "back to back"));
        try {
            results.add(measure(Isolation.TEMPLATE, true, 10, 100, "cold"));
        } finally {
            System.clearProperty("pgprop.templatePool.size");
        }
        StringBuilder csv = new StringBuilder("strategy,scenario,tries,median_ms,p90_ms,tries_per_second\n");
        System.out.println("\nisolation  scenario      tries   median ms   p90 ms   tries/s");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-10s %-12s %6d %10.3f %8.3f %9.0f%n", r.strategy(), r.scenario(), r.tries(), r.medianMs(),
                    r.p90Ms(), r.triesPerSecond());
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%.0f%n", r.strategy(), r.scenario(), r.tries(), r.medianMs(),
                    r.p90Ms(), r.triesPerSecond()));
        }
        Figure.of("isolation", "isolation-cost", "Cost of a try").withBench()
                .withNote("The same scenario (a 10-row dataset, one update, one noRows check) under each strategy; template tries "
                        + "are fewer (100), as each clones a database.")
                .withParameters("tries")
                .withChart(Figure.Chart.bar("median", "strategy", "median_ms").withSeries("scenario").withLogY()
                        .withTitle("Median time per try of each isolation strategy").withAxisTitles("isolation strategy", "median ms per try"))
                .write(csv.toString());
    }
}

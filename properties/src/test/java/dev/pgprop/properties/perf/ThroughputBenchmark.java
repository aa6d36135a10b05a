package dev.pgprop.properties.perf;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The full bulk and concurrency run (-Pbench): 1k, 10k, 100k rows ({@code pgprop.bench.bulkSizes}); 1–8 sessions. Prints and writes the CSVs under
 * target/pgprop/bench/ (the report marks them "bench"; later default runs keep them).
 */
class ThroughputBenchmark {
    @Test
    void bulkAndConcurrency() throws Exception {
        try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "ThroughputBenchmark")) {
            List<Measurements.BulkFigure> bulk = new ArrayList<>();
            String sizes = dev.pgprop.dsl.internal.Settings.fromEnvironment().get("bench.bulkSizes", "1000,10000,100000");
            for (int n : java.util.Arrays.stream(sizes.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray()) {
                bulk.addAll(Measurements.bulk(db, n, 3));
            }
            Measurements.writeBulkCsv(bulk, true);
            System.out.println("\npath                 rows    rows/s");
            bulk.forEach(f -> System.out.printf(Locale.ROOT, "%-18s %7d %9.0f%n", f.path(), f.rows(), f.rowsPerSecond()));
            List<Measurements.ConcurrencyFigure> curve = new ArrayList<>();
            for (int sessions : new int[] {1, 2, 4, 8}) {
                curve.add(Measurements.allocateThroughput(db, sessions, 2000 / sessions));
            }
            Measurements.writeConcurrencyCsv(curve, true);
            System.out.println("\nsessions  allocate/s  oversold  drift");
            curve.forEach(f -> System.out.printf(Locale.ROOT, "%8d %10.0f %9d %6d%n", f.sessions(), f.allocationsPerSecond(),
                    f.oversold(), f.drift()));
        }
    }
}

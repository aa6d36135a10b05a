package dev.pgprop.properties.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short run of the bulk and concurrency measurements, so that every main job's report has
 * their figures (bulk.csv, concurrency.csv). It asserts what must hold under load (every path
 * loads every row; allocate never oversells and allocated never drifts), never a timing.
 */
class ThroughputFiguresTest {

    @Test
    void bulkPathsAndAllocateThroughputAtSmallScale() throws Exception {
        try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "ThroughputFigures")) {
            List<Measurements.BulkFigure> bulk = new ArrayList<>();
            for (int n : new int[] {300, 1_000, 3_000}) {   // three points per curve
                bulk.addAll(Measurements.bulk(db, n, 1));
            }
            Measurements.writeBulkCsv(bulk, false);
            assertThat(bulk).extracting(Measurements.BulkFigure::path)
                    .contains("copy binary", "copy text", "batch", "row by row");
            assertThat(bulk).allSatisfy(f -> assertThat(f.rowsPerSecond()).isPositive());

            List<Measurements.ConcurrencyFigure> curve = new ArrayList<>();
            for (int sessions : new int[] {1, 2, 4, 8}) {
                Measurements.ConcurrencyFigure f = Measurements.allocateThroughput(db, sessions, 40);
                assertThat(f.oversold()).as("oversold rows with %d sessions", sessions).isZero();
                assertThat(f.drift()).as("allocated drift with %d sessions", sessions).isZero();
                assertThat(f.calls()).isEqualTo(sessions * 40L);
                curve.add(f);
            }
            Measurements.writeConcurrencyCsv(curve, false);
            assertThat(Files.readAllLines(Measurements.reportDir().resolve("concurrency.csv"))).hasSize(5);
        }
    }
}

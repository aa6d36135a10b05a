package dev.pgprop.properties.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * The short run of the vector figures, part of the default suite so the report always has its
 * curves: scaling at n = 500, 1,000 and 2,000 (dimension 128: three points per curve), the
 * recall-against-ef_search curve at each, filtered search at 2,000 rows for three selectivities with
 * and without iterative scans, the oracle's speed and halfvec's largest error.
 * The full run is {@code VectorScalingBenchmark} (-Pbench). The figures are not asserted, only
 * that they were measured and are sane (recall a proportion, no filter violation).
 */
@PgProperties
class VectorFiguresTest {
    static final int[] SHORT_SIZES = {500, 1_000, 2_000};

    @Example
    void shortRun(Db db) {
        Map<String, Path>[] written = new Map[1];
        db.scenario().whenRolledBack(tx -> {
            VectorFigures f = new VectorFigures(tx.connection(), "short", 50);
            for (int n : SHORT_SIZES) {
                f.scaling(n, 128, true);
            }
            f.filtered(2_000, VectorData.DIM);
            f.halfvec(200, VectorData.DIM);
            written[0] = f.write();
        }).run();
        assertThat(written[0].keySet()).containsExactlyInAnyOrder("vector-scaling.csv", "vector-recall-ef.csv",
                "vector-filtered.csv", "vector-oracle.csv", "vector-halfvec.csv");
        written[0].values().forEach(p -> assertThat(p).exists());
        written[0].values().forEach(p -> assertThat(p.resolveSibling(p.getFileName().toString().replace(".csv", ".figure.json"))).exists());
        try {
            List<String> filtered = Files.readAllLines(written[0].get("vector-filtered.csv"));
            assertThat(filtered).hasSize(1 + 3 * 3);
            // the last column but one: violations of the filter, always 0
            filtered.subList(1, filtered.size()).forEach(l -> assertThat(l.split(",")[12]).isEqualTo("0"));
            // the scan without the index is exact: the oracle agrees with it on every query
            List<String> scaling = Files.readAllLines(written[0].get("vector-scaling.csv"));
            assertThat(scaling).hasSize(1 + SHORT_SIZES.length);
            scaling.subList(1, scaling.size()).forEach(l -> assertThat(Double.parseDouble(l.split(",")[12])).isEqualTo(1.0));
            List<String> curve = Files.readAllLines(written[0].get("vector-recall-ef.csv"));
            assertThat(curve).hasSize(1 + SHORT_SIZES.length * VectorFigures.EF_SEARCH.length);
            curve.subList(1, curve.size()).forEach(l -> assertThat(Double.parseDouble(l.split(",")[4])).isBetween(0.0, 1.0));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

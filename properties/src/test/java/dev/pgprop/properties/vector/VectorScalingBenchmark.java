package dev.pgprop.properties.vector;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.Settings;
import java.util.Arrays;
import net.jqwik.api.Example;

/**
 * The full run of the vector figures (-Pbench only): scaling at n = 1k, 10k and 100k for
 * dimensions 128 and 1536 ({@code pgprop.bench.maxN1536} caps the 1536 sizes), the
 * recall-against-ef_search curve at each size, HNSW's m and ef_construction against build time,
 * index size, recall and latency at 100k x 128 ({@code pgprop.bench.hnswParamsN}, 0 to skip), filtered search at 10k and 100k rows of the reference table, the oracle's
 * speed ({@code pgprop.bench.oracleN} x 1536, 100,000 by default), halfvec's largest error. Writes target/pgprop/bench/vector-*.csv and their figure specs
 * (the report marks them "bench", and later default runs keep them); asserts nothing.
 *
 * <pre>
 * mvn -o -pl properties -am -Pbench test -Dtest=VectorScalingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@PgProperties
class VectorScalingBenchmark {
    @Example
    void fullRun(Db db) {
        Settings s = Settings.fromEnvironment();
        int[] sizes = Arrays.stream(s.get("bench.vectorSizes", "1000,10000,100000").split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        int[] dims = Arrays.stream(s.get("bench.vectorDims", "128,1536").split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        int maxN1536 = Integer.parseInt(s.get("bench.maxN1536", "100000"));
        VectorFigures[] f = new VectorFigures[1];
        db.scenario().whenRolledBack(tx -> f[0] = new VectorFigures(tx.connection(), "bench", 100)).run();
        for (int dim : dims) {
            for (int n : sizes) {
                if (dim >= 1536 && n > maxN1536) {
                    System.out.println("[vector figures] skipped n=" + n + " at dim " + dim + " (pgprop.bench.maxN1536=" + maxN1536 + ")");
                    continue;
                }
                db.scenario().whenRolledBack(tx -> {
                    VectorFigures run = new VectorFigures(tx.connection(), "bench", 100);
                    run.scaling(n, dim, true);
                    f[0].absorb(run);
                }).run();
            }
        }
        for (int n : sizes) {
            if (n >= 10_000) {
                db.scenario().whenRolledBack(tx -> {
                    VectorFigures run = new VectorFigures(tx.connection(), "bench", 100);
                    run.filtered(n, VectorData.DIM);
                    f[0].absorb(run);
                }).run();
            }
        }
        int paramsN = Integer.parseInt(s.get("bench.hnswParamsN", "100000"));
        if (paramsN > 0) {
            db.scenario().whenRolledBack(tx -> {
                VectorFigures run = new VectorFigures(tx.connection(), "bench", 100);
                run.hnswParameters(paramsN, 128, new int[][] {{8, 64}, {16, 64}, {32, 64}, {16, 32}, {16, 128}, {16, 256}},
                        new int[] {40, 100});
                f[0].absorb(run);
            }).run();
        }
        f[0].oracleOnly(Integer.parseInt(s.get("bench.oracleN", "100000")), 1536, 20);
        db.scenario().whenRolledBack(tx -> {
            VectorFigures run = new VectorFigures(tx.connection(), "bench", 100);
            run.halfvec(2_000, VectorData.DIM);
            f[0].absorb(run);
        }).run();
        f[0].write();
    }
}

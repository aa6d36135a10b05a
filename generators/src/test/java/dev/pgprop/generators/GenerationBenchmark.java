package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

/**
 * Generation speed: 10,000-row datasets and 10,000 vectors of dimension 1536. Runs only with
 * {@code -Pbench}; prints its figures and asserts sizes, never times.
 */
class GenerationBenchmark {
    private static final int WARMUP = 3;
    private static final int RUNS = 10;

    private static <T> void measure(String what, Arbitrary<T> arbitrary, Consumer<T> check) {
        RandomGenerator<T> generator = arbitrary.generator(1000, false);   // no edge cases: every draw is a fresh random one
        Random random = new Random(8001);
        for (int i = 0; i < WARMUP; i++) {
            check.accept(generator.next(random).value());
        }
        long[] ms = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            T value = generator.next(random).value();
            ms[i] = (System.nanoTime() - start) / 1_000_000;
            check.accept(value);
        }
        Arrays.sort(ms);
        System.out.printf("BENCH %-58s min %5d ms  median %5d ms  max %5d ms  (%d runs after %d warm-up)%n", what, ms[0],
                ms[RUNS / 2], ms[RUNS - 1], RUNS, WARMUP);
    }

    @Example
    void datasetsOf10000Rows() {
        // 100 items x 33 allocations x 2 payments: 100 + 3,300 + 6,600 rows
        DatasetSpec spec = DatasetSpec.defaults().withInventory(100, 100).withAllocationsPerItem(33, 33)
                .withPaymentsPerAllocation(2, 2);
        measure("dataset of 10,000 rows (draw + Dataset)", ReferenceArbitraries.datasets(spec),
                d -> assertThat(d.rowCount()).isEqualTo(10_000));
        measure("dataset of 10,000 rows (draw + Dataset + toSql)", ReferenceArbitraries.datasets(spec).map(Dataset::toSql),
                sql -> assertThat(sql.lines().count()).isEqualTo(10_000));
        DatasetSpec contended = DatasetSpec.contended().withInventory(3, 3).withAllocationsPerItem(1111, 1111)
                .withPaymentsPerAllocation(2, 2);
        measure("contended dataset of 10,002 rows (3 SKUs)", ReferenceArbitraries.datasets(contended),
                d -> assertThat(d.rowCount()).isEqualTo(10_002));
    }

    @Example
    void tenThousandVectorsOfDimension1536() {
        VectorSpec spec = VectorSpec.of(1536).withCount(10_000, 10_000);
        Consumer<List<float[]>> tenThousand = set -> {
            assertThat(set).hasSize(10_000);
            assertThat(set.get(9_999)).hasSize(1536);
        };
        measure("10,000 vectors, dim 1536, uniform, raw", VectorArbitraries.vectorSets(spec), tenThousand);
        measure("10,000 vectors, dim 1536, gaussian, normalised",
                VectorArbitraries.vectorSets(spec.withDistribution(VectorDistribution.gaussian()).withNormalized(true)), tenThousand);
        measure("10,000 vectors, dim 1536, clustered(16, 0.1), normalised, dups",
                VectorArbitraries.vectorSets(spec.withDistribution(VectorDistribution.clustered(16, 0.1)).withNormalized(true)
                        .withDuplicates(0.05).withNearDuplicates(0.05).withEdgeCases(0.01)), tenThousand);
        measure("10,000 vector rows, dim 1536, as a Dataset",
                ReferenceArbitraries.vectorDatasets(spec), d -> assertThat(d.rowCount()).isEqualTo(10_000));
    }
}

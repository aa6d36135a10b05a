package dev.pgprop.properties.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.Violation;
import dev.pgprop.generators.model.VectorWorkload;
import dev.pgprop.properties.vector.VectorSearchPropertiesAccess;
import org.junit.jupiter.api.Test;

/**
 * Proof that the vector properties catch bugs in vector_search: each mutant makes a property
 * fail, the failure shrinks, and the shrunk case is the smallest that can show the bug.
 */
class VectorMutantsTest {
    static final MigrationSet EF_SEARCH_1 = MetaHarness.reference().plusLocations("classpath:mutants/vector_search_ef_search_1");
    static final MigrationSet L2_ORDER = MetaHarness.reference().plusLocations("classpath:mutants/vector_search_l2_order");
    static final MigrationSet IGNORES_FILTER = MetaHarness.reference().plusLocations("classpath:mutants/vector_search_ignores_filter");

    private static Violation firstViolation(MetaHarness.Run run) {
        assertThat(run.failure()).get().isInstanceOf(InvariantViolationException.class);
        return ((InvariantViolationException) run.failure().get()).violations().get(0);
    }

    @Test
    void orderingByL2OnUnnormalisedDataIsCaughtAndShrunkToTwoRowsAndOneQuery() {
        MetaHarness.Run run = MetaHarness.run(VectorSearchPropertiesAccess.TYPE,
                "withIndexScansOffVectorSearchReturnsTheExactTopKInOrder", L2_ORDER);
        assertThat(run.failed()).isTrue();
        assertThat(firstViolation(run).invariant()).isEqualTo("vector_search is the exact top-k (index scans off)");
        // Minimal: two data rows, one query, k = 1. With one row every order is the same; with
        // two rows of different lengths the L2-nearest and the cosine-nearest can differ, and
        // k = 1 already shows it (the wrong row comes first).
        VectorWorkload w = (VectorWorkload) run.shrunkSample().get(0);
        assertThat(w.data()).hasSize(2);
        assertThat(w.queries()).hasSize(1);
        assertThat(run.shrunkSample().get(1)).isEqualTo(1);
        assertThat(firstViolation(run).message()).contains("top-1 differs from the exact answer");

        MetaHarness.Run replay = MetaHarness.replay(run);
        assertThat(replay.failed()).isTrue();
        assertThat(replay.tries()).isEqualTo(1);
    }

    @Test
    void ignoringTheFilterIsCaughtAndShrunkToOneRowOutsideTheFilter() {
        MetaHarness.Run run = MetaHarness.run(VectorSearchPropertiesAccess.TYPE,
                "filteredResultsNeverViolateTheFilterAndAreTheExactFilteredTopK", IGNORES_FILTER);
        assertThat(run.failed()).isTrue();
        assertThat(firstViolation(run).invariant()).isEqualTo("vector_search never violates its filter");
        // Minimal: one row (group g0), one query, k = 1, filter group g1. No row, no violation;
        // the one row is outside the filter, and the mutant returns it anyway.
        VectorWorkload w = (VectorWorkload) run.shrunkSample().get(0);
        assertThat(w.data()).hasSize(1);
        assertThat(w.queries()).hasSize(1);
        assertThat(run.shrunkSample().subList(1, 3)).containsExactly(1, 1);
        assertThat(firstViolation(run).rows()).singleElement()
                .satisfies(r -> assertThat(r.get("id")).isEqualTo("vec-000001"));

        MetaHarness.Run replay = MetaHarness.replay(run);
        assertThat(replay.failed()).isTrue();
        assertThat(replay.tries()).isEqualTo(1);
    }

    @Test
    void efSearchOneIsCaughtByTheRecallBoundAndShrunk() {
        MetaHarness.Run run = MetaHarness.run(VectorSearchPropertiesAccess.TYPE, "hnswRecallAtTenStaysAboveTheThreshold",
                EF_SEARCH_1);
        assertThat(run.failed()).isTrue();
        Violation v = firstViolation(run);
        assertThat(v.invariant()).isEqualTo("recall@10 >= 0.95");
        assertThat(v.message()).contains("interval [").contains("ef_search=40").contains("rows searched, 50 queries");
        // Shrunk in n (rows) and the seed. With ef_search = 1 the search keeps one candidate,
        // and iterative scans (relaxed_order, the session default) then continue from it; on a
        // small graph that still reaches the true neighbours, so the smallest failing n is where
        // the walk starts to miss often enough for the bound: measured between about 250 and
        // 2,000 rows, and once as low as 11. Where exactly depends on the HNSW levels, which the
        // server draws at random, so the bound is a range: with n <= k = 10 every row is in the
        // top 10 and the iterative scan returns them all, so no smaller table can fail; the
        // property draws at most 5,000.
        int n = (Integer) run.shrunkSample().get(0);
        assertThat(n).isBetween(11, 5000);
        assertThat((Long) run.shrunkSample().get(1)).isBetween(-10L, 10L);
        System.out.println("ef_search=1 mutant shrunk to n=" + n + ": " + v.message());
    }

    @Test
    void efSearchOneAsASetClauseIsAlsoCaughtByThePlanCheckWithTheSmallestSample() {
        MetaHarness.Run run = MetaHarness.run(VectorSearchPropertiesAccess.TYPE, "vectorSearchIsInlinedSoItsPlanUsesTheIndex",
                EF_SEARCH_1);
        assertThat(run.failed()).isTrue();
        assertThat(firstViolation(run).invariant()).isEqualTo("vector_search uses vectors_embedding_hnsw");
        assertThat(firstViolation(run).message()).contains("Function Scan on vector_search");
        // Minimal: k = 1, group 0 (no rows at all). Any function with a SET clause is not inlined,
        // whatever the data, so the plan of the smallest call already shows a Function Scan.
        assertThat(run.shrunkSample().subList(0, 2)).containsExactly(1, 0);
    }

    @Test
    void theReferenceSchemaPassesTheSameProperties() {
        for (String p : new String[] {"withIndexScansOffVectorSearchReturnsTheExactTopKInOrder",
                "filteredResultsNeverViolateTheFilterAndAreTheExactFilteredTopK", "hnswRecallAtTenStaysAboveTheThreshold",
                "vectorSearchIsInlinedSoItsPlanUsesTheIndex"}) {
            MetaHarness.Run run = MetaHarness.run(VectorSearchPropertiesAccess.TYPE, p, MetaHarness.reference());
            assertThat(run.failed()).as(p).isFalse();
        }
    }
}

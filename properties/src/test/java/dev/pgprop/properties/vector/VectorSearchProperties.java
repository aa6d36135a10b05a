package dev.pgprop.properties.vector;

import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.vector.VectorInvariants.recallAtLeast;
import static dev.pgprop.properties.vector.VectorData.DIM;
import static dev.pgprop.properties.vector.VectorData.ROWS;
import static dev.pgprop.properties.vector.VectorData.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.vector.Distance;
import dev.pgprop.dsl.vector.ExactSearch;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.vector.VectorRecall;
import dev.pgprop.generators.VectorArbitraries;
import dev.pgprop.generators.QueryPlacement;
import dev.pgprop.generators.VectorSpec;
import dev.pgprop.generators.model.VectorWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * vector_search on the reference schema against the exact answer: exact order with index scans
 * off, the filter never violated, recall@10 of the HNSW index by a confidence bound, unfiltered
 * and filtered (a group filter that matches 5 % of the rows).
 *
 * <p>Iterative index scans: {@code hnsw.iterative_scan = relaxed_order} is a session default of
 * every session of this class ({@code @PgProperties(session = ...)}), as an application sets it
 * in its connection settings. A {@code SET} clause on vector_search would switch it on for every
 * caller, but it stops the planner from inlining the function, and then the caller's plan is a
 * Function Scan. relaxed_order finds more of a filtered top-k than strict_order (BENCHMARKS.md);
 * the rows it returns slightly out of order are sorted again by vector_search itself (V8), so
 * its contract, nearest first, holds.
 */
@PgProperties(session = "hnsw.iterative_scan=relaxed_order")
class VectorSearchProperties {
    /** Tolerance for near-ties: pgvector sums in float32 in another order than the oracle. */
    static final double EPSILON = 1e-5;
    static final int RECALL_QUERIES = 50;

    @Provide
    Arbitrary<VectorWorkload> small() {
        // raw, unnormalised vectors (so L2 order differs from cosine order), with exact and near duplicates
        VectorSpec spec = VectorSpec.of(DIM).withCount(1, 40).withDuplicates(0.1).withNearDuplicates(0.1);
        return VectorArbitraries.vectorWorkloads(spec, 1, 3, QueryPlacement.ANYWHERE);
    }

    private static List<String> search(Db db, String sql, float[] q, int k) {
        return db.handle().createQuery(sql).bind("query", q).bind("k", k).mapTo(String.class).list();
    }

    @Property(tries = 60)
    void withIndexScansOffVectorSearchReturnsTheExactTopKInOrder(@ForAll("small") VectorWorkload w,
            @ForAll @IntRange(min = 1, max = 12) int k, Db db) {
        db.given(VectorData.dataset(w.data())).then(invariant("vector_search is the exact top-k (index scans off)", ctx -> {
            ctx.handle().execute("set local enable_indexscan = off");
            ExactSearch oracle = ExactSearch.load(ctx.handle(), ROWS, Distance.COSINE);
            for (float[] q : w.queries()) {
                List<String> got = search(db, SEARCH, q, k);
                oracle.mismatch(q, k, got, EPSILON)
                        .ifPresent(m -> ctx.fail("top-" + k + " differs from the exact answer: " + m, List.of(Row.of("ids", got))));
            }
        }));
    }

    @Property(tries = 60)
    void filteredResultsNeverViolateTheFilterAndAreTheExactFilteredTopK(@ForAll("small") VectorWorkload w,
            @ForAll @IntRange(min = 1, max = 12) int k, @ForAll @IntRange(min = 1, max = VectorData.GROUPS - 1) int group, Db db) {
        String filter = VectorData.filter(group);
        String sql = "select id from vector_search(:query, :k, cast(:filter as jsonb))";
        db.given(VectorData.dataset(w.data())).then(invariant("vector_search never violates its filter", ctx -> {
            for (boolean indexScans : new boolean[] {true, false}) {
                ctx.handle().execute("set local enable_indexscan = " + indexScans);
                for (float[] q : w.queries()) {
                    List<Row> rows = ctx.rows("select id, metadata::text as metadata, metadata @> cast(? as jsonb) as matches"
                            + " from vector_search(?, ?, cast(? as jsonb))", filter, q, k, filter);
                    List<Row> bad = rows.stream().filter(r -> !Boolean.TRUE.equals(r.get("matches"))).toList();
                    if (!bad.isEmpty()) {
                        ctx.fail(bad.size() + " row(s) do not match the filter " + filter + " (index scans " + indexScans + ")", bad);
                    }
                }
            }
        }), invariant("with index scans off, the filtered result is the exact filtered top-k", ctx -> {
            ctx.handle().execute("set local enable_indexscan = off");
            ExactSearch oracle = ExactSearch.load(ctx.handle(), ROWS + " where metadata @> '" + filter + "'", Distance.COSINE);
            for (float[] q : w.queries()) {
                List<String> got = ctx.handle().createQuery(sql).bind("query", q).bind("k", k).bind("filter", filter)
                        .mapTo(String.class).list();
                oracle.mismatch(q, k, got, EPSILON).ifPresent(m -> ctx.fail("filtered top-" + k + " for " + filter
                        + " differs from the exact answer: " + m, List.of(Row.of("ids", got))));
            }
        }));
    }

    /**
     * n vectors of the decaying gaussian (component i has deviation (1 + i)^-0.5, as
     * VectorDistribution.decayingGaussian(0.5)), drawn from seed; queries from the same distribution.
     */
    static List<float[]> decaying(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) (Math.pow(1 + j, -0.5) * r.nextGaussian());
            }
            out.add(v);
        }
        return out;
    }

    static VectorRecall unfiltered(List<float[]> queries) {
        return VectorRecall.of(ROWS, Distance.COSINE).withSearch(SEARCH).withQueries(queries)
                .withParameters("hnsw m=16 ef_construction=64 (pgvector defaults), hnsw.ef_search=40, iterative_scan=relaxed_order,"
                        + " decaying gaussian(0.5), dim " + DIM);
    }

    /**
     * recall@10 >= 0.95 by the lower end of the 95 % Clopper-Pearson interval over 50 queries
     * (500 judged rows), at 10 to 5,000 rows of dimension 32. Margin: at these sizes the index
     * found 99.6 % to 100 % in the runs made, and the lower bound stays above 0.95 down to a
     * measured recall of about 0.975. HNSW draws its levels from the server's random generator,
     * which no seed of ours controls, so the pass count of a 20-run loop is reported.
     */
    @Property(tries = 4, generation = GenerationMode.RANDOMIZED)
    void hnswRecallAtTenStaysAboveTheThreshold(@ForAll @IntRange(min = 10, max = 5000) int n, @ForAll long seed, Db db) {
        List<float[]> data = decaying(n, seed);
        List<float[]> queries = decaying(RECALL_QUERIES, ~seed);
        Dataset d = VectorData.dataset(data);
        db.given(d).then(indexScansOnly(), recallAtLeast(unfiltered(queries)));
    }

    /**
     * The same for a group filter that matches 5 % of the rows: with iterative scans on (the
     * session default) the index search keeps going until it has k matching rows.
     */
    @Property(tries = 3, generation = GenerationMode.RANDOMIZED)
    void filteredHnswRecallAtTenStaysAboveTheThreshold(@ForAll @IntRange(min = 400, max = 3000) int n, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = VectorData.GROUPS - 1) int group, Db db) {
        List<float[]> data = decaying(n, seed);
        List<float[]> queries = decaying(RECALL_QUERIES, ~seed);
        String filter = VectorData.filter(group);
        Invariant recall = recallAtLeast(VectorRecall.of(ROWS + " where metadata @> '" + filter + "'", Distance.COSINE)
                .withSearch("select id from vector_search(:query, :k, '" + filter + "')").withQueries(queries)
                .withParameters("hnsw defaults, ef_search=40, iterative_scan=relaxed_order, filter " + filter + " (5 %)"));
        db.given(VectorData.dataset(data)).then(indexScansOnly(), recall);
    }

    /**
     * A small table in a try has no statistics, and the planner may then scan it sequentially,
     * which makes every search exact: recall is judged with sequential scans off.
     */
    static Invariant indexScansOnly() {
        return invariant("sequential scans off", ctx -> ctx.handle().execute("set local enable_seqscan = off"));
    }

    @Property(tries = 5)
    void vectorSearchIsInlinedSoItsPlanUsesTheIndex(@ForAll @IntRange(min = 1, max = 50) int k,
            @ForAll @IntRange(min = 0, max = VectorData.GROUPS - 1) int group, Db db) {
        db.scenario().then(usesTheIndex("select id from vector_search(array_fill(1, array[" + DIM + "])::vector, " + k + ")"),
                usesTheIndex("select id from vector_search(array_fill(1, array[" + DIM + "])::vector, " + k + ", '"
                        + VectorData.filter(group) + "')"));
    }

    /**
     * Makes the planner take the index (a small table in a try has no statistics, and a
     * sequential scan would make every search exact) and checks that EXPLAIN shows it for the
     * search: vector_search is inlined, so its ORDER BY reaches the index.
     */
    static Invariant usesTheIndex(String explainedSql) {
        return invariant("vector_search uses vectors_embedding_hnsw", ctx -> {
            ctx.handle().execute("set local enable_seqscan = off");
            String plan = String.join("\n", ctx.handle().createQuery("explain " + explainedSql).mapTo(String.class).list());
            if (!plan.contains("vectors_embedding_hnsw")) {
                ctx.fail("the plan does not use the HNSW index:\n" + plan, List.of());
            }
        });
    }

    static void assertDimension(Db db) {
        assertThat(db.rows("select atttypmod from pg_attribute where attrelid = 'vectors'::regclass and attname = 'embedding'")
                .get(0).get("atttypmod")).isEqualTo(DIM);
    }
}

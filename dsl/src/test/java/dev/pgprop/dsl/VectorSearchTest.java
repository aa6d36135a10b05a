package dev.pgprop.dsl;

import dev.pgprop.dsl.vector.Distance;
import dev.pgprop.dsl.vector.ExactSearch;
import dev.pgprop.dsl.vector.Neighbour;
import dev.pgprop.dsl.vector.VectorRecall;

import static dev.pgprop.dsl.vector.VectorInvariants.recallAtLeast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgprop.dsl.internal.engine.EngineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact oracle against pgvector's own exact scan, the recall invariant on a search that is
 * right and on one that is wrong, and session defaults reaching pgvector's settings.
 */
class VectorSearchTest {
    static final MigrationSet VECTORS = MigrationSet.of("classpath:pgprop-test/vectors");
    private static TryHarness h;

    @BeforeAll
    static void start() {
        h = new TryHarness("VectorSearchTest", VECTORS, Isolation.AUTO,
                new EngineConfig(Isolation.AUTO, "30s", "10s", false, Map.of("hnsw.iterative_scan", "strict_order")));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static Dataset items(Map<String, float[]> rows) {
        Dataset d = Dataset.empty();
        for (Map.Entry<String, float[]> e : rows.entrySet()) {
            d = d.plus("item", Row.of("id", e.getKey(), "v", e.getValue(), "tag", e.getKey().hashCode() % 2 == 0 ? "a" : "b"));
        }
        return d;
    }

    private static Map<String, float[]> random(int n, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            // a few repeated vectors make exact ties
            float[] v = i % 7 == 3 ? m.get("r" + (i - 1)).clone()
                    : new float[] {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            m.put("r" + i, v);
        }
        return m;
    }

    @Test
    void topKOrdersByDistanceThenIdAndPutsZeroVectorsLastUnderCosine() {
        Map<String, float[]> rows = new LinkedHashMap<>();
        rows.put("z", new float[] {0, 0, 0});
        rows.put("b", new float[] {2, 0, 0});
        rows.put("a", new float[] {1, 0, 0});
        rows.put("c", new float[] {0, 1, 0});
        ExactSearch cos = ExactSearch.of(Distance.COSINE, rows);
        List<Neighbour> top = cos.topK(new float[] {1, 0, 0}, 4);
        assertThat(top).extracting(Neighbour::id).containsExactly("a", "b", "c", "z");
        assertThat(top.get(3).distance()).isNaN();
        assertThat(ExactSearch.of(Distance.L2, rows).topK(new float[] {1, 0, 0}, 2)).extracting(Neighbour::id)
                .containsExactly("a", "b");   // b and z tie at 1: by id
        assertThat(ExactSearch.of(Distance.INNER_PRODUCT, rows).topK(new float[] {1, 0, 0}, 1)).singleElement()
                .isEqualTo(new Neighbour("b", -2.0));
        assertThat(cos.mismatch(new float[] {1, 0, 0}, 2, List.of("b", "a"), 1e-5)).isEmpty();   // a tie: any order
        assertThat(cos.mismatch(new float[] {1, 0, 0}, 2, List.of("a", "c"), 1e-5)).get().asString().contains("beyond the k-th");
        assertThat(cos.mismatch(new float[] {1, 0, 0}, 2, List.of("a"), 1e-5)).get().asString().contains("returned 1 rows");
        assertThat(cos.mismatch(new float[] {1, 0, 0}, 4, List.of("a", "c", "b", "z"), 1e-5)).get().asString()
                .contains("comes after a farther row");
        assertThat(cos.mismatch(new float[] {1, 0, 0}, 2, List.of("a", "x"), 1e-5)).get().asString().contains("not among");
        assertThatThrownBy(() -> cos.topK(new float[] {1, 0}, 1)).hasMessageContaining("dimension 2");
    }

    @Test
    void theOracleAgreesWithPgvectorsExactScanForEveryDistance() throws Exception {
        Map<String, float[]> rows = random(300, 7);
        h.tryOnce(db -> {
            db.given(items(rows)).whenHandle(hd -> { }).then(Invariants.invariant("exact", ctx -> {
                ctx.handle().execute("set local enable_indexscan = off");
                for (Distance d : Distance.values()) {
                    ExactSearch oracle = ExactSearch.load(ctx.handle(), "select id, v from item", d);
                    assertThat(oracle.size()).isEqualTo(300);
                    Random r = new Random(d.ordinal());
                    for (int i = 0; i < 20; i++) {
                        float[] q = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
                        List<String> ids = ctx.handle().createQuery("select id from item order by v " + d.operator() + " :q limit 10")
                                .bind("q", q).mapTo(String.class).list();
                        assertThat(oracle.mismatch(q, 10, ids, ExactSearch.DEFAULT_EPSILON)).as(d + " query " + i).isEmpty();
                    }
                }
            }));
        });
    }

    @Test
    void recallAtLeastHoldsForAnExactSearchAndFailsWithItsFiguresForAWrongOne() throws Exception {
        Map<String, float[]> rows = random(200, 11);
        List<float[]> queries = new ArrayList<>(random(20, 12).values());
        VectorRecall exact = VectorRecall.of("select id, v from item", Distance.COSINE)
                .withSearch("select id from item order by v <=> :query limit :k")
                .withQueries(queries)
                .withParameters("hnsw m=16 ef_search=40");
        h.tryOnce(db -> {
            db.given(items(rows)).whenHandle(hd -> { }).then(recallAtLeast(exact));
            VectorRecall.Measurement m = exact.measure(db.handle());
            assertThat(m.trials()).isEqualTo(200);
            assertThat(m.interval().lower()).isGreaterThan(0.95);
        });
        VectorRecall wrong = exact.withSearch("select id from item order by id limit :k + 0 * (:query <=> :query)");
        InvariantViolationException[] caught = new InvariantViolationException[1];
        h.tryOnce(db -> caught[0] = catchThrowableOfType(InvariantViolationException.class,
                () -> db.given(items(rows)).whenHandle(hd -> { }).then(recallAtLeast(wrong))));
        assertThat(caught[0]).isNotNull();
        Violation v = caught[0].violations().get(0);
        assertThat(v.invariant()).isEqualTo("recall@10 >= 0.95");
        assertThat(v.message()).contains("recall@10 is 0.").contains("95% interval [").contains("hnsw m=16 ef_search=40")
                .contains("200 rows searched, 20 queries");
        assertThat(v.rows()).isNotEmpty();
        // a filtered oracle: rows of tag 'a' only, and a search that ignores the filter misses
        VectorRecall filtered = exact.withSearch("select id from item order by v <=> :query limit :k")
                .withThreshold(0.9);
        VectorRecall.Measurement[] fm = new VectorRecall.Measurement[1];
        h.tryOnce(db -> {
            db.given(items(rows)).whenHandle(hd -> { }).then();
            fm[0] = VectorRecall.of("select id, v from item where tag = 'a'", Distance.COSINE)
                    .withSearch("select id from item order by v <=> :query limit :k").withQueries(queries).measure(db.handle());
        });
        assertThat(fm[0].recall()).isLessThan(0.9);
        assertThat(filtered.threshold()).isEqualTo(0.9);
    }

    @Test
    void aBatchOfQueriesGetsTheSameAnswersAsOneQueryAtATime() {
        Map<String, float[]> rows = random(500, 21);
        List<float[]> queries = new ArrayList<>(random(37, 22).values());
        for (Distance d : Distance.values()) {
            ExactSearch oracle = ExactSearch.of(d, rows);
            List<List<Neighbour>> batch = oracle.topK(queries, 7);
            assertThat(batch).hasSize(37);
            for (int i = 0; i < queries.size(); i++) {
                List<Neighbour> one = oracle.topK(queries.get(i), 7);
                assertThat(batch.get(i)).as(d + " query " + i).isEqualTo(one).hasSize(7);
                // and it is the top 7 of a full sort by (distance, id)
                float[] q = queries.get(i);
                List<Neighbour> all = new ArrayList<>();
                rows.forEach((id, v) -> all.add(new Neighbour(id, oracle.distanceOf(id, q).orElseThrow())));
                all.sort(java.util.Comparator.comparingDouble(Neighbour::distance).thenComparing(Neighbour::id));
                assertThat(one).isEqualTo(all.subList(0, 7));
            }
        }
    }

    @Test
    void aSmallSampleCannotPassOnLuck() throws Exception {
        Map<String, float[]> rows = random(3, 5);
        VectorRecall exact = VectorRecall.of("select id, v from item", Distance.COSINE)
                .withSearch("select id from item order by v <=> :query limit :k")
                .withQueries(List.of(new float[] {1, 0, 0}));
        h.tryOnce(db -> assertThatThrownBy(() -> db.given(items(rows)).whenHandle(hd -> { }).then(recallAtLeast(exact)))
                .isInstanceOf(InvariantViolationException.class).hasMessageContaining("recall@10 is 1.0000 (3 of 3"));
    }

    @Test
    void specsValidateTheirArguments() {
        VectorRecall r = VectorRecall.of("select id, v from item", Distance.L2);
        assertThatThrownBy(() -> r.withK(0)).hasMessageContaining("k = 0");
        assertThatThrownBy(() -> r.withThreshold(1.5)).hasMessageContaining("outside (0, 1]");
        assertThatThrownBy(() -> r.withConfidence(1)).hasMessageContaining("confidence 1.0");
        assertThatThrownBy(() -> r.withSearch("select id from item")).hasMessageContaining(":query");
        assertThatThrownBy(() -> r.withEpsilon(-1)).hasMessageContaining("epsilon");
        assertThat(r.withK(5)).isNotSameAs(r);
        assertThat(r.withK(5).k()).isEqualTo(5);
        assertThat(r.k()).isEqualTo(10);
        assertThatThrownBy(() -> new EngineConfig(Isolation.AUTO, "30s", "10s", false, Map.of("hnsw.iterative_scan", "a b")))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void sessionDefaultsReachPgvectorSettingsAndSurviveTheSessionReset() throws Exception {
        for (int i = 0; i < 2; i++) {
            h.tryOnce(db -> {
                db.given(items(random(3, 1))).whenHandle(hd -> { }).then();
                assertThat(db.handle().createQuery("show hnsw.iterative_scan").mapTo(String.class).one()).isEqualTo("strict_order");
                String other = db.jdbi().withHandle(x -> {
                    x.execute("select '[1,2,3]'::vector");
                    return x.createQuery("show hnsw.iterative_scan").mapTo(String.class).one();
                });
                assertThat(other).isEqualTo("strict_order");
            });
        }
    }
}

package dev.pgprop.migrations;

import static dev.pgprop.migrations.Jdbc.column;
import static dev.pgprop.migrations.Jdbc.execute;
import static dev.pgprop.migrations.Jdbc.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pgvector.PGvector;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * vector_search() against a Java oracle on 200 random vectors of dimension 8 (fixed seed).
 *
 * <p>Exactness is checked with index scans disabled ({@code SET LOCAL enable_indexscan = off}),
 * which makes the planner run the inlined query as a sequential scan and sort: the exact answer,
 * whatever the HNSW graph looks like (its levels are random and not under the seed's control).
 * That the same query does reach the HNSW index is checked separately with EXPLAIN. pgvector
 * computes distances in float32, so ranks within {@value #EPS} of each other count as ties.
 */
class VectorSearchTest {
    private static final int DIM = 8;
    private static final int ROWS = 200;
    private static final double EPS = 1e-6;
    private static final String[] CATEGORIES = {"a", "b", "c"};

    private static final Map<String, float[]> EMBEDDINGS = new LinkedHashMap<>();
    private static final Map<String, String> CATEGORY = new LinkedHashMap<>();

    private static TestDatabase db;
    private static Connection c;

    @BeforeAll
    static void loadVectors() throws SQLException {
        db = PgProp.server()
                .createDatabase(
                        MigrationSet.of(Migrations.LOCATION).withPlaceholders(Migrations.placeholders(DIM)),
                        "VectorSearchTest");
        c = db.openConnection();
        Random random = new Random(42);
        try (PreparedStatement insert =
                c.prepareStatement("insert into vectors (id, embedding, metadata) values (?, ?, ?::jsonb)")) {
            for (int i = 0; i < ROWS; i++) {
                String id = String.format("v%03d", i);
                float[] embedding = randomVector(random);
                String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
                EMBEDDINGS.put(id, embedding);
                CATEGORY.put(id, category);
                insert.setString(1, id);
                insert.setObject(2, new PGvector(embedding));
                insert.setString(3, "{\"category\": \"" + category + "\", \"n\": " + i + "}");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        execute(c, "analyze vectors");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    void returnsTheExactTopKWithSimilarityOneMinusCosineDistance() throws SQLException {
        Random random = new Random(7);
        for (int query = 0; query < 5; query++) {
            float[] q = randomVector(random);
            for (int k : new int[] {1, 10, 25}) {
                assertTopK(q, k, null, id -> true);
            }
        }
    }

    @Test
    void honoursTheMetadataFilter() throws SQLException {
        Random random = new Random(8);
        for (int query = 0; query < 5; query++) {
            float[] q = randomVector(random);
            assertTopK(q, 10, "{\"category\": \"a\"}", id -> CATEGORY.get(id).equals("a"));
        }
        float[] q = randomVector(random);
        // fewer matches than top_k: all of them; no match: nothing
        assertTopK(q, 10, "{\"n\": 5}", id -> id.equals("v005"));
        assertThat(search(q, 10, "{\"category\": \"z\"}")).isEmpty();
        // an empty filter (the default) matches every row
        assertThat(search(q, ROWS + 50, "{}")).hasSize(ROWS);
    }

    @Test
    void planUsesTheHnswIndexThroughTheInlinedFunction() throws SQLException {
        String q = new PGvector(randomVector(new Random(9))).toString();
        for (String call : List.of(
                "vector_search('" + q + "'::vector, 5)",
                "vector_search('" + q + "'::vector, 5, '{\"category\": \"a\"}')")) {
            String plan = inTransaction(List.of("set local enable_seqscan = off"), () -> String.join("\n",
                    column(c, "explain select * from " + call).stream().map(String::valueOf).toList()));
            assertThat(plan)
                    .as(call)
                    .contains("Index Scan using vectors_embedding_hnsw")
                    .contains("Order By: (embedding <=> ")
                    .doesNotContain("Function Scan"); // a function that is not inlined is a Function Scan
        }
    }

    /**
     * vector_search(q, k, filter) equals the oracle: the k nearest rows among those accepted, up to
     * ties within EPS, in order of distance, with similarity = 1 - cosine distance.
     */
    private static void assertTopK(float[] q, int k, @Nullable String filter, Predicate<String> accepted)
            throws SQLException {
        Map<String, Double> distance = new LinkedHashMap<>();
        EMBEDDINGS.forEach((id, e) -> {
            if (accepted.test(id)) {
                distance.put(id, cosineDistance(q, e));
            }
        });
        List<String> oracle = new ArrayList<>(distance.keySet());
        oracle.sort(Comparator.comparingDouble(distance::get));
        int expectedSize = Math.min(k, oracle.size());
        String label = "k=" + k + " filter=" + filter + " q=" + new PGvector(q);

        List<Hit> hits = search(q, k, filter);
        assertThat(hits).as(label).hasSize(expectedSize);
        assertThat(hits).as(label).extracting(Hit::id).doesNotHaveDuplicates().allMatch(distance::containsKey);

        double kth = distance.get(oracle.get(expectedSize - 1));
        List<String> returned = hits.stream().map(Hit::id).toList();
        for (String id : oracle) {
            double d = distance.get(id);
            if (d < kth - EPS) {
                assertThat(returned).as(label + ": clearly within the top k").contains(id);
            }
        }
        double previous = Double.NEGATIVE_INFINITY;
        for (Hit hit : hits) {
            double d = distance.get(hit.id());
            assertThat(d).as(label + ": " + hit.id() + " not beyond the k-th distance").isLessThanOrEqualTo(kth + EPS);
            assertThat(d).as(label + ": " + hit.id() + " in distance order").isGreaterThanOrEqualTo(previous - EPS);
            assertThat(hit.similarity()).as(label + ": similarity of " + hit.id()).isCloseTo(1 - d, within(EPS));
            assertThat(hit.metadata()).contains("\"category\": \"" + CATEGORY.get(hit.id()) + "\"");
            previous = d;
        }
    }

    /** vector_search with index scans off: an exact scan of the table. */
    private static List<Hit> search(float[] q, int k, @Nullable String filter) throws SQLException {
        String sql = filter == null
                ? "select id, similarity, metadata::text from vector_search(?, ?)"
                : "select id, similarity, metadata::text from vector_search(?, ?, ?::jsonb)";
        Object[] params = filter == null ? new Object[] {new PGvector(q), k} : new Object[] {new PGvector(q), k, filter};
        return inTransaction(List.of("set local enable_indexscan = off"), () -> rows(c, sql, params).stream()
                .map(r -> new Hit((String) r.get(0), (Double) r.get(1), (String) r.get(2)))
                .toList());
    }

    private static <T> T inTransaction(List<String> settings, SqlSupplier<T> body) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (String setting : settings) {
                execute(c, setting);
            }
            return body.get();
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    private interface SqlSupplier<T> {
        T get() throws SQLException;
    }

    private record Hit(String id, double similarity, String metadata) {}

    private static float[] randomVector(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return 1 - dot / Math.sqrt(normA * normB);
    }
}

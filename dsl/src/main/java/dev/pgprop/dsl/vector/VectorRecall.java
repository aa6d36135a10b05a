package dev.pgprop.dsl.vector;

import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.perf.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;

/**
 * How to judge an approximate nearest-neighbour search against the exact answer: which rows the
 * exact answer comes from, the search to judge, the queries, k, the recall threshold and the
 * confidence. Immutable: every {@code withX} returns a new spec and checks its argument.
 * Nothing in it names a schema: the rows and the search are SQL of your own.
 *
 * <p>recall@k is the share of the exact top-k rows (over all queries) that the search returns;
 * a returned row whose distance is within epsilon of the k-th exact distance counts as a hit
 * (near-ties). The search passes when the lower end of the Clopper-Pearson interval (95 % by
 * default, from commons-math3) is at least the threshold, so a lucky small sample cannot pass:
 * with perfect recall, 0.95 needs at least 72 judged rows (for example 8 queries at k = 10).
 * Each of the k slots of a query counts as one trial; slots of one query are not independent,
 * so use many queries rather than a large k.
 *
 * <pre>{@code
 * VectorRecall recall = VectorRecall.of("select id, embedding from docs", Distance.COSINE)
 *         .withSearch("select id from docs order by embedding <=> :query limit :k")
 *         .withQueries(queries)
 *         .withK(10)
 *         .withThreshold(0.95)
 *         .withParameters("hnsw m=16 ef_construction=64 ef_search=40");
 * db.given(data).whenHandle(h -> { }).then(VectorInvariants.recallAtLeast(recall));
 * VectorRecall.Measurement m = recall.measure(db.handle());   // the figures alone
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class VectorRecall {
    private final String rowsSql;
    private final Distance distance;
    private final String searchSql;
    private final List<float[]> queries;
    private final int k;
    private final double threshold;
    private final double confidence;
    private final double epsilon;
    private final String parameters;

    private VectorRecall(String rowsSql, Distance distance, String searchSql, List<float[]> queries, int k,
            double threshold, double confidence, double epsilon, String parameters) {
        this.rowsSql = rowsSql;
        this.distance = distance;
        this.searchSql = searchSql;
        this.queries = queries;
        this.k = k;
        this.threshold = threshold;
        this.confidence = confidence;
        this.epsilon = epsilon;
        this.parameters = parameters;
    }

    /**
     * Judges searches over the rows of {@code rowsSql} (first column the id, second the vector:
     * filter them here exactly as the search filters), by this distance. No search and no
     * queries yet; k = 10, threshold 0.95, confidence 0.95, epsilon {@link ExactSearch#DEFAULT_EPSILON}.
     */
    public static VectorRecall of(String rowsSql, Distance distance) {
        requireText(rowsSql, "rows SQL");
        return new VectorRecall(rowsSql, Objects.requireNonNull(distance, "distance"), "", List.of(), 10, 0.95, 0.95,
                ExactSearch.DEFAULT_EPSILON, "");
    }

    private static void requireText(String s, String what) {
        if (Objects.requireNonNull(s, what).isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /**
     * The search to judge: SQL whose first column is the id, with the named parameters {@code
     * :query} (the query vector) and {@code :k}, for example {@code select id from
     * vector_search(:query, :k)}.
     */
    public VectorRecall withSearch(String searchSql) {
        requireText(searchSql, "search SQL");
        if (!searchSql.contains(":query")) {
            throw new IllegalArgumentException("the search SQL has no :query parameter: " + searchSql
                    + "; write it like select id from docs order by embedding <=> :query limit :k");
        }
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon, parameters);
    }

    /** The query vectors (copied). */
    public VectorRecall withQueries(List<float[]> queries) {
        List<float[]> copy = new ArrayList<>();
        for (float[] q : Objects.requireNonNull(queries, "queries")) {
            copy.add(Objects.requireNonNull(q, "query").clone());
        }
        return new VectorRecall(rowsSql, distance, searchSql, List.copyOf(copy), k, threshold, confidence, epsilon, parameters);
    }

    /** How many nearest rows each query asks for (1 to 10,000; default 10). */
    public VectorRecall withK(int k) {
        if (k < 1 || k > 10_000) {
            throw new IllegalArgumentException("k = " + k + " is outside 1..10000");
        }
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon, parameters);
    }

    /** The recall the lower confidence bound must reach (above 0, at most 1; default 0.95). */
    public VectorRecall withThreshold(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("recall threshold " + threshold + " is outside (0, 1]; give one such as 0.95");
        }
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon, parameters);
    }

    /** The confidence of the two-sided interval whose lower end is judged (0.5 to 0.9999; default 0.95). */
    public VectorRecall withConfidence(double confidence) {
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence " + confidence + " is outside [0.5, 1); give one such as 0.95");
        }
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon, parameters);
    }

    /** The tolerance for near-ties, relative to max(1, |distance|) (0 to 0.1; default 1e-5). */
    public VectorRecall withEpsilon(double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 0.1)) {
            throw new IllegalArgumentException("epsilon " + epsilon + " is outside [0, 0.1]");
        }
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon, parameters);
    }

    /** A description of the index parameters, named in reports ({@code "hnsw m=16 ef_search=40"}). */
    public VectorRecall withParameters(String description) {
        return new VectorRecall(rowsSql, distance, searchSql, queries, k, threshold, confidence, epsilon,
                Objects.requireNonNull(description, "description"));
    }

    public int k() {
        return k;
    }

    public double threshold() {
        return threshold;
    }

    public double confidence() {
        return confidence;
    }

    public String parameters() {
        return parameters;
    }

    public List<float[]> queries() {
        return queries;
    }

    /** Runs the search for every query on this handle and compares with the exact answer. */
    public Measurement measure(Handle handle) {
        if (searchSql.isEmpty()) {
            throw new IllegalStateException("no search to judge: call withSearch(\"select id from ... :query ... :k\")");
        }
        if (queries.isEmpty()) {
            throw new IllegalStateException("no queries: call withQueries(...) with at least one query vector");
        }
        ExactSearch oracle = ExactSearch.load(handle, rowsSql, distance);
        List<List<Neighbour>> exact = oracle.topK(queries, k);
        long hits = 0;
        long trials = 0;
        List<Row> misses = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            List<String> got = handle.createQuery(searchSql).bind("query", queries.get(i)).bind("k", k)
                    .map((rs, ctx) -> rs.getString(1)).list();
            int h = oracle.hits(queries.get(i), exact.get(i), got, epsilon);
            hits += h;
            trials += exact.get(i).size();
            if (h < exact.get(i).size() && misses.size() < Invariants.ROWS_KEPT) {
                misses.add(Row.of("query", i, "hits", h, "expected", exact.get(i).stream().map(Neighbour::id).toList(),
                        "returned", got));
            }
        }
        Stats.Interval interval = trials == 0 ? new Stats.Interval(0, 1, confidence) : Stats.clopperPearson(hits, trials, confidence);
        return new Measurement(hits, trials, interval, oracle.size(), queries.size(), k, misses);
    }

    /**
     * What one measurement found: hits out of judged rows, the interval, the rows searched, and
     * the first queries that missed.
     */
    public record Measurement(long hits, long trials, Stats.Interval interval, int rows, int queries, int k, List<Row> misses) {
        public Measurement {
            misses = List.copyOf(misses);
        }

        /** The point estimate (1 when there was nothing to find). */
        public double recall() {
            return trials == 0 ? 1 : (double) hits / trials;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "recall@%d %.4f (%d of %d), interval %s, %d rows, %d queries", k, recall(),
                    hits, trials, interval, rows, queries);
        }
    }

    Invariant invariant() {
        VectorRecall spec = this;
        return Invariants.invariant(String.format(Locale.ROOT, "recall@%d >= %s", k, threshold), ctx -> {
            Measurement m = spec.measure(ctx.handle());
            if (m.trials() == 0) {
                return;
            }
            if (m.interval().lower() < threshold) {
                ctx.fail(String.format(Locale.ROOT, "recall@%d is %.4f (%d of %d exact rows found), %.0f%% interval [%.4f, %.4f]:"
                        + " its lower bound is below %s; parameters: %s; %d rows searched, %d queries; search: %s",
                        k, m.recall(), m.hits(), m.trials(), confidence * 100, m.interval().lower(), m.interval().upper(),
                        threshold, parameters.isEmpty() ? "(none given)" : parameters, m.rows(), m.queries(), searchSql.strip()),
                        m.misses());
            }
        });
    }

    @Override
    public String toString() {
        return "VectorRecall[" + distance + " over " + rowsSql + ", search " + searchSql + ", " + queries.size()
                + " queries, k " + k + ", threshold " + threshold + " at " + confidence + (parameters.isEmpty() ? "" : ", " + parameters) + "]";
    }
}

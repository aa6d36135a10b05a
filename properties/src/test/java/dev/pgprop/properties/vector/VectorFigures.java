package dev.pgprop.properties.vector;

import com.pgvector.PGvector;
import dev.pgprop.dsl.vector.Distance;
import dev.pgprop.dsl.vector.ExactSearch;
import dev.pgprop.dsl.vector.Neighbour;
import dev.pgprop.dsl.perf.Stats;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.report.Figure;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The measurements behind the vector CSVs (target/pgprop/report/vector-*.csv): scaling (binary
 * COPY against batched INSERT, index build, search latency with and without the index, recall),
 * the recall-against-ef_search curve, filtered search with and without iterative scans, the
 * oracle's speed and halfvec's largest error. The data is the decaying gaussian
 * ((1 + i)^-0.5 per component), queries from the same distribution. Everything runs on one
 * connection inside a transaction the caller rolls back.
 */
final class VectorFigures {
    static final String DISTRIBUTION = "decaying gaussian(0.5)";
    static final int K = 10;
    static final int[] EF_SEARCH = {1, 2, 5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 200, 400};

    private final Connection c;
    private final String run;
    private final int queries;
    private final Map<String, List<String>> csv = new LinkedHashMap<>();

    VectorFigures(Connection c, String run, int queries) {
        this.c = c;
        this.run = run;
        this.queries = queries;
    }

    static List<float[]> vectors(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] sd = new double[dim];
        for (int j = 0; j < dim; j++) {
            sd[j] = Math.pow(1 + j, -0.5);
        }
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) (sd[j] * r.nextGaussian());
            }
            out.add(v);
        }
        return out;
    }

    private void row(String file, String header, Object... values) {
        List<String> lines = csv.computeIfAbsent(file, f -> new ArrayList<>(List.of(header)));
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v));
        }
        lines.add(sb.toString());
        System.out.println("[vector figures] " + file + ": " + header + " = " + sb);
    }

    /** Takes over the rows measured by another instance (on another connection). */
    void absorb(VectorFigures other) {
        other.csv.forEach((file, lines) -> {
            List<String> mine = csv.computeIfAbsent(file, f -> new ArrayList<>(List.of(lines.get(0))));
            mine.addAll(lines.subList(1, lines.size()));
        });
    }

    private static final String SECTION = "vector";
    private static final String SECTION_TITLE = "Vector search: recall and latency";
    /** The recall threshold of the vector properties: recall@10 >= 0.95 by the lower 95 % bound. */
    static final double RECALL_THRESHOLD = 0.95;

    /** What the report draws from each CSV; a parameter (run, distribution, ...) goes in the caption. */
    static Figure figure(String file) {
        String name = file.substring(0, file.length() - 4);
        Figure f = Figure.of(name, SECTION, SECTION_TITLE);
        return switch (file) {
            case "vector-recall-ef.csv" -> f.withParameters("run", "distribution")
                    .withNote("HNSW (m 16, ef_construction 64, cosine) at each ef_search; the band is the 95 % Clopper-Pearson interval.")
                    .withChart(Figure.Chart.line("recall", "ef_search", "recall_at_10").withTitle("recall@10 against ef_search")
                            .withSeries("dim", "n").withBand("lower_95", "upper_95").withLogX()
                            .withAxisTitles("ef_search (candidates kept per query)", "recall@10 (share of the true top 10)")
                            .withReference(RECALL_THRESHOLD, "threshold 0.95 (lower bound)"))
                    .withChart(Figure.Chart.line("latency", "ef_search", "p50_ms").withTitle("p50 latency against ef_search")
                            .withSeries("dim", "n").withLogX().withAxisTitles("ef_search (candidates kept per query)", "p50 latency (ms)"));
            case "vector-filtered.csv" -> f.withParameters("run", "dim", "filter", "distribution")
                    .withNote("vector_search with a jsonb filter; iterative scans let HNSW look further when the filter drops candidates.")
                    .withChart(Figure.Chart.line("recall", "selectivity", "recall_at_10").withTitle("Filtered recall@10 against selectivity")
                            .withSeries("n", "iterative_scan").withBand("lower_95", "upper_95").withLogX()
                            .withAxisTitles("filter selectivity (share of rows matching)", "recall@10 (share of the true top 10)")
                            .withReference(RECALL_THRESHOLD, "threshold 0.95"))
                    .withChart(Figure.Chart.line("rows", "selectivity", "rows_returned_per_query").withTitle("Rows returned per query (k = 10)")
                            .withSeries("n", "iterative_scan").withLogX()
                            .withAxisTitles("filter selectivity (share of rows matching)", "rows returned per query")
                            .withReference(K, "k = 10"));
            case "vector-scaling.csv" -> f.withParameters("run", "distribution")
                    .withNote("Index: HNSW with ef_search 40; exact: a sequential scan of the same query.")
                    .withChart(Figure.Chart.line("latency", "n", "index_p50_ms", "index_p95_ms", "exact_p50_ms", "exact_p95_ms")
                            .withTitle("Search latency against n: index and exact scan").withSeries("dim").withLogX().withLogY()
                            .withAxisTitles("n (rows in the table)", "latency (ms)"))
                    .withChart(Figure.Chart.line("build", "n", "hnsw_build_s").withTitle("HNSW build time against n").withSeries("dim")
                            .withLogX().withLogY().withAxisTitles("n (rows in the table)", "build time (s)"))
                    .withChart(Figure.Chart.line("load", "n", "copy_binary_rows_per_s", "batch_insert_rows_per_s")
                            .withTitle("Loading vectors: binary COPY and batched INSERT").withSeries("dim").withLogX()
                            .withAxisTitles("n (rows loaded)", "rows per second"));
            default -> f.withParameters("run");   // the oracle's speed, halfvec's error: a table
        };
    }

    /** Writes (replaces) the CSVs of this run and their figure specs: under outputDir/report, or outputDir/bench for the bench run. */
    Map<String, Path> write() {
        Path outputDir = Path.of(Settings.fromEnvironment().get("outputDir", "target/pgprop"));
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : csv.entrySet()) {
            Figure f = figure(e.getKey());
            out.put(e.getKey(), (run.equals("bench") ? f.withBench() : f).write(outputDir, String.join("\n", e.getValue())));
        }
        return out;
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Binary COPY (BulkLoad) of (id int, embedding vector) rows, or of (id text, embedding, metadata jsonb) when ids are given. */
    long copyBinary(String table, List<float[]> vectors, List<String> textIds, List<String> metadata) {
        boolean text = !textIds.isEmpty();
        List<dev.pgprop.dsl.Row> rows = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            rows.add(text ? dev.pgprop.dsl.Row.of("id", textIds.get(i), "embedding", vectors.get(i), "metadata", metadata.get(i))
                    : dev.pgprop.dsl.Row.of("id", i + 1, "embedding", vectors.get(i)));
        }
        return dev.pgprop.dsl.perf.BulkLoad.load(c, table, rows, dev.pgprop.dsl.perf.BulkLoad.Path.COPY_BINARY);
    }

    private long batchInsert(String table, List<float[]> vectors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (id, embedding) values (?, ?)")) {
            for (int i = 0; i < vectors.size(); i++) {
                ps.setInt(1, i + 1);
                ps.setObject(2, new PGvector(vectors.get(i)));
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        return vectors.size();
    }

    private List<String> search(String sql, float[] q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, new PGvector(q));
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private record Searched(double[] millis, long hits, long trials, long returned) {
        Stats.Interval interval() {
            return trials == 0 ? new Stats.Interval(0, 1, 0.95) : Stats.clopperPearson(hits, trials, 0.95);
        }

        double recall() {
            return trials == 0 ? 1 : (double) hits / trials;
        }
    }

    private Searched searchAll(String sql, List<float[]> qs, ExactSearch oracle, List<List<Neighbour>> exact) throws SQLException {
        double[] ms = new double[qs.size()];
        long hits = 0;
        long trials = 0;
        long returned = 0;
        search(sql, qs.get(0));   // warm-up
        for (int i = 0; i < qs.size(); i++) {
            long t0 = System.nanoTime();
            List<String> got = search(sql, qs.get(i));
            ms[i] = (System.nanoTime() - t0) / 1e6;
            hits += oracle.hits(qs.get(i), exact.get(i), got, ExactSearch.DEFAULT_EPSILON);
            trials += exact.get(i).size();
            returned += got.size();
        }
        return new Searched(ms, hits, trials, returned);
    }

    /** Scaling at n x dim on a table of its own, and the recall-against-ef_search curve. */
    void scaling(int n, int dim, boolean batchToo) throws SQLException, IOException {
        exec("set local statement_timeout = 0");
        String t = "scale_" + dim + "_" + n;
        exec("create table " + t + " (id integer primary key, embedding vector(" + dim + ") not null)");
        List<float[]> data = vectors(n, dim, 42L * n + dim);
        List<float[]> qs = vectors(queries, dim, 7L * n + dim);

        long t0 = System.nanoTime();
        copyBinary(t, data, List.of(), List.of());
        double copyS = (System.nanoTime() - t0) / 1e9;
        double batchRate = Double.NaN;
        if (batchToo) {
            exec("create table " + t + "_b (id integer primary key, embedding vector(" + dim + ") not null)");
            t0 = System.nanoTime();
            batchInsert(t + "_b", data);
            batchRate = n / ((System.nanoTime() - t0) / 1e9);
            exec("drop table " + t + "_b");
        }
        t0 = System.nanoTime();
        exec("create index on " + t + " using hnsw (embedding vector_cosine_ops)");
        double buildS = (System.nanoTime() - t0) / 1e9;
        exec("analyze " + t);

        t0 = System.nanoTime();
        ExactSearch oracle = ExactSearch.of(Distance.COSINE, asMap(data));
        List<List<Neighbour>> exact = oracle.topK(qs, K);
        double oracleMs = (System.nanoTime() - t0) / 1e6 / qs.size();
        t0 = System.nanoTime();
        int single = Math.min(qs.size(), 10);
        for (int i = 0; i < single; i++) {
            oracle.topK(qs.get(i), K);
        }
        double oracleSingleMs = (System.nanoTime() - t0) / 1e6 / single;
        row("vector-oracle.csv", "run,dim,n,queries,ms_per_query_all_cores,ms_per_query_one_core,cores",
                run, dim, n, qs.size(), oracleMs, oracleSingleMs, Runtime.getRuntime().availableProcessors());

        String sql = "select id from " + t + " order by embedding <=> ? limit " + K;
        exec("set local hnsw.iterative_scan = off");
        exec("set local hnsw.ef_search = 40");
        exec("set local enable_seqscan = off");   // the planner prefers a sequential scan on small tables
        Searched idx = searchAll(sql, qs, oracle, exact);
        exec("set local enable_seqscan = on");
        exec("set local enable_indexscan = off");
        List<float[]> fewer = qs.subList(0, Math.min(qs.size(), n >= 100_000 ? 20 : qs.size()));
        // another statement text: the driver caches server-side plans per text, and a cached
        // plan would keep the index whatever enable_indexscan says now
        Searched seq = searchAll(sql + " /* exact */", fewer, oracle, exact.subList(0, fewer.size()));
        exec("set local enable_indexscan = on");
        exec("set local enable_seqscan = off");
        row("vector-scaling.csv", "run,dim,n,copy_binary_rows_per_s,batch_insert_rows_per_s,hnsw_build_s,index_p50_ms,index_p95_ms,"
                + "exact_p50_ms,exact_p95_ms,recall_at_10,recall_lower_95,exact_scan_recall,distribution",
                run, dim, n, n / copyS, batchRate, buildS, Stats.percentile(idx.millis, 50), Stats.percentile(idx.millis, 95),
                Stats.percentile(seq.millis, 50), Stats.percentile(seq.millis, 95), idx.recall(), idx.interval().lower(),
                seq.recall(), DISTRIBUTION);
        for (int ef : EF_SEARCH) {
            exec("set local hnsw.ef_search = " + ef);
            Searched s = searchAll(sql, qs, oracle, exact);
            row("vector-recall-ef.csv", "run,dim,n,ef_search,recall_at_10,lower_95,upper_95,p50_ms,rows_returned_per_query,distribution",
                    run, dim, n, ef, s.recall(), s.interval().lower(), s.interval().upper(), Stats.percentile(s.millis, 50),
                    (double) s.returned / qs.size(), DISTRIBUTION);
        }
        exec("reset hnsw.ef_search");
        exec("reset enable_seqscan");
        exec("drop table " + t);
    }

    /**
     * How HNSW's build parameters move build time, index size, recall and latency: one table of
     * n x dim, and for each (m, ef_construction) pair an index built, searched at each of
     * {@code efSearch} and dropped. Iterative scans off, as in the recall curve.
     */
    void hnswParameters(int n, int dim, int[][] mEfConstruction, int[] efSearch) throws SQLException {
        exec("set local statement_timeout = 0");
        String t = "params_" + dim + "_" + n;
        exec("create table " + t + " (id integer primary key, embedding vector(" + dim + ") not null)");
        List<float[]> data = vectors(n, dim, 42L * n + dim);
        List<float[]> qs = vectors(queries, dim, 7L * n + dim);
        copyBinary(t, data, List.of(), List.of());
        exec("analyze " + t);
        ExactSearch oracle = ExactSearch.of(Distance.COSINE, asMap(data));
        List<List<Neighbour>> exact = oracle.topK(qs, K);
        String sql = "select id from " + t + " order by embedding <=> ? limit " + K;
        exec("set local hnsw.iterative_scan = off");
        exec("set local enable_seqscan = off");
        for (int[] p : mEfConstruction) {
            long t0 = System.nanoTime();
            exec("create index " + t + "_hnsw on " + t + " using hnsw (embedding vector_cosine_ops) with (m = " + p[0]
                    + ", ef_construction = " + p[1] + ")");
            double buildS = (System.nanoTime() - t0) / 1e9;
            long bytes;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_relation_size('" + t + "_hnsw')")) {
                rs.next();
                bytes = rs.getLong(1);
            }
            for (int ef : efSearch) {
                exec("set local hnsw.ef_search = " + ef);
                // a statement text per index: the driver caches server-side plans per text
                Searched s = searchAll(sql + " /* m " + p[0] + " efc " + p[1] + " */", qs, oracle, exact);
                row("vector-hnsw-params.csv", "run,dim,n,m,ef_construction,build_s,index_mb,ef_search,recall_at_10,lower_95,"
                        + "upper_95,p50_ms,p95_ms,distribution",
                        run, dim, n, p[0], p[1], buildS, bytes / 1048576.0, ef, s.recall(), s.interval().lower(),
                        s.interval().upper(), Stats.percentile(s.millis, 50), Stats.percentile(s.millis, 95), DISTRIBUTION);
            }
            exec("drop index " + t + "_hnsw");
        }
        exec("reset hnsw.ef_search");
        exec("reset hnsw.iterative_scan");
        exec("reset enable_seqscan");
        exec("drop table " + t);
    }

    /** Filtered vector_search on the reference table: filters of 10 %, 5 % (a group) and 1 %, iterative scans off and on. */
    void filtered(int n, int dim) throws SQLException, IOException {
        exec("set local statement_timeout = 0");
        List<float[]> data = vectors(n, dim, 99L * n);
        List<float[]> qs = vectors(queries, dim, 77L * n);
        List<String> ids = new ArrayList<>();
        List<String> meta = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(VectorData.id(i));
            meta.add("{\"group\": \"g" + VectorData.group(i) + "\", \"pct\": " + (i % 100) + ", \"decile\": " + (i % 10) + "}");
        }
        exec("drop index vectors_embedding_hnsw");
        copyBinary("vectors", data, ids, meta);
        exec("create index vectors_embedding_hnsw on vectors using hnsw (embedding vector_cosine_ops)");
        exec("analyze vectors");
        exec("set local enable_seqscan = off");
        for (String[] f : new String[][] {{"{\"decile\": 3}", "0.10"}, {"{\"group\": \"g3\"}", "0.05"}, {"{\"pct\": 7}", "0.01"}}) {
            Map<String, float[]> matching = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                boolean m = f[1].equals("0.10") ? i % 10 == 3 : f[1].equals("0.05") ? VectorData.group(i) == 3 : i % 100 == 7;
                if (m) {
                    matching.put(ids.get(i), data.get(i));
                }
            }
            ExactSearch oracle = ExactSearch.of(Distance.COSINE, matching);
            List<List<Neighbour>> exact = oracle.topK(qs, K);
            for (String mode : new String[] {"off", "strict_order", "relaxed_order"}) {
                exec("set local hnsw.iterative_scan = " + mode);
                String sql = "select id from vector_search(?, " + K + ", '" + f[0] + "')";
                Searched s = searchAll(sql, qs, oracle, exact);
                long violations = 0;
                for (float[] q : qs.subList(0, Math.min(10, qs.size()))) {
                    try (PreparedStatement ps = c.prepareStatement("select count(*) from vector_search(?, " + K + ", '" + f[0]
                            + "') where not metadata @> '" + f[0] + "'")) {
                        ps.setObject(1, new PGvector(q));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            violations += rs.getLong(1);
                        }
                    }
                }
                row("vector-filtered.csv", "run,dim,n,filter,selectivity,iterative_scan,recall_at_10,lower_95,upper_95,p50_ms,p95_ms,"
                        + "rows_returned_per_query,filter_violations,distribution",
                        run, dim, n, f[0].replace(",", ";").replace("\"", ""), f[1], mode, s.recall(), s.interval().lower(),
                        s.interval().upper(), Stats.percentile(s.millis, 50), Stats.percentile(s.millis, 95),
                        (double) s.returned / qs.size(), violations, DISTRIBUTION);
            }
        }
        exec("reset hnsw.iterative_scan");
        exec("reset enable_seqscan");
    }

    /** The oracle alone (no database): n x dim vectors, top-10 of each query, all cores and one. */
    void oracleOnly(int n, int dim, int queryCount) {
        List<float[]> data = vectors(n, dim, 3);
        List<float[]> qs = vectors(queryCount, dim, 4);
        long t0 = System.nanoTime();
        ExactSearch oracle = ExactSearch.of(Distance.COSINE, asMap(data));
        double loadS = (System.nanoTime() - t0) / 1e9;
        oracle.topK(qs.subList(0, 2), K);   // warm-up
        t0 = System.nanoTime();
        oracle.topK(qs, K);
        double all = (System.nanoTime() - t0) / 1e6 / qs.size();
        t0 = System.nanoTime();
        for (float[] q : qs.subList(0, Math.min(5, qs.size()))) {
            oracle.topK(q, K);
        }
        double one = (System.nanoTime() - t0) / 1e6 / Math.min(5, qs.size());
        System.out.println("[vector figures] oracle index of " + n + " x " + dim + " built in " + loadS + " s");
        row("vector-oracle.csv", "run,dim,n,queries,ms_per_query_all_cores,ms_per_query_one_core,cores",
                run, dim, n, qs.size(), all, one, Runtime.getRuntime().availableProcessors());
    }

    /** The largest absolute error of vector -> halfvec -> vector over unit-range components. */
    void halfvec(int count, int dim) throws SQLException {
        SplittableRandom r = new SplittableRandom(5);
        double max = 0;
        for (int i = 0; i < count; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) (r.nextDouble() * 2 - 1);
            }
            try (PreparedStatement ps = c.prepareStatement("select cast(cast(cast(? as vector) as halfvec) as vector)::text")) {
                ps.setObject(1, new PGvector(v));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    float[] back = new PGvector(rs.getString(1)).toArray();
                    for (int j = 0; j < dim; j++) {
                        max = Math.max(max, Math.abs((double) back[j] - v[j]));
                    }
                }
            }
        }
        row("vector-halfvec.csv", "run,dim,vectors,components,max_abs_error,bound_for_unit_range",
                run, dim, count, "uniform [-1;1)", max, Math.scalb(1.0, -12));
    }

    private static Map<String, float[]> asMap(List<float[]> data) {
        Map<String, float[]> m = new HashMap<>(data.size() * 2);
        for (int i = 0; i < data.size(); i++) {
            m.put(Integer.toString(i + 1), data.get(i));
        }
        return m;
    }
}

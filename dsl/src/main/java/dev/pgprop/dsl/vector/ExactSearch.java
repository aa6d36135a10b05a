package dev.pgprop.dsl.vector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;

/**
 * The exact answer to a nearest-neighbour query, by brute force in Java: the oracle that index
 * searches are judged against. Top-k is ordered by distance, ties by id (string order); NaN
 * distances (a zero vector under {@link Distance#COSINE}) come last, as PostgreSQL sorts them.
 *
 * <p>The vectors sit in one flat float array, scanned with four independent float32
 * accumulators; a batch of queries shares each pass over the array, in blocks of 8 on all cores.
 * BENCHMARKS.md has the measured speed (100,000 vectors of dimension 1536 included).
 *
 * <pre>{@code
 * ExactSearch oracle = ExactSearch.load(db.handle(), "select id, embedding from docs", Distance.COSINE);
 * List<Neighbour> top = oracle.topK(query, 10);
 * Optional<String> wrong = oracle.mismatch(query, 10, idsFromSql, ExactSearch.DEFAULT_EPSILON);
 * }</pre>
 *
 * <p>pgvector sums in float32 and in its own order, so its distances differ from these in the
 * last bits: {@link #mismatch} compares within an epsilon, so rows whose distances are within
 * epsilon of each other (near-ties) may come in any order.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ExactSearch {
    /** Default tolerance on distances, relative to max(1, |distance|). */
    public static final double DEFAULT_EPSILON = 1e-5;

    private static final Comparator<Neighbour> ORDER =
            Comparator.comparingDouble(Neighbour::distance).thenComparing(Neighbour::id);

    private final Distance distance;
    private final int dimension;
    private final String[] ids;
    private final float[] data;
    private final float[] normsSquared;
    private final Map<String, Integer> index = new HashMap<>();

    private ExactSearch(Distance distance, List<String> ids, List<float[]> vectors) {
        this.distance = Objects.requireNonNull(distance, "distance");
        if (ids.size() != vectors.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + vectors.size() + " vectors; give one id per vector");
        }
        this.dimension = vectors.isEmpty() ? 0 : vectors.get(0).length;
        this.ids = ids.toArray(new String[0]);
        this.data = new float[ids.size() * dimension];
        this.normsSquared = new float[ids.size()];
        for (int i = 0; i < this.ids.length; i++) {
            float[] v = vectors.get(i);
            if (v.length != dimension) {
                throw new IllegalArgumentException("vector " + this.ids[i] + " has dimension " + v.length + ", the first has "
                        + dimension + "; an exact search needs one dimension");
            }
            System.arraycopy(v, 0, data, i * dimension, dimension);
            normsSquared[i] = dot(v, 0, v);
            if (index.put(this.ids[i], i) != null) {
                throw new IllegalArgumentException("id " + this.ids[i] + " occurs twice; ids must be unique");
            }
        }
    }

    /** An oracle over these vectors, by id (insertion order does not matter). */
    public static ExactSearch of(Distance distance, Map<String, float[]> vectors) {
        return new ExactSearch(distance, new ArrayList<>(vectors.keySet()), new ArrayList<>(vectors.values()));
    }

    /**
     * An oracle over the rows of a query whose first column is the id (any type, as text) and
     * second the vector ({@code vector}, or anything that casts to it, such as {@code halfvec}).
     */
    public static ExactSearch load(Handle handle, String sql, Distance distance) {
        Map<String, float[]> rows = new LinkedHashMap<>();
        handle.createQuery(sql).map((rs, ctx) -> {
            Object v = rs.getObject(2);
            if (v == null) {
                return null;
            }
            rows.put(rs.getString(1), new com.pgvector.PGvector(v.toString()).toArray());
            return null;
        }).forEach(x -> { });
        return of(distance, rows);
    }

    public Distance distance() {
        return distance;
    }

    /** How many vectors the oracle searches. */
    public int size() {
        return ids.length;
    }

    /** Whether a row of this id is among the searched vectors. */
    public boolean contains(String id) {
        return index.containsKey(id);
    }

    /** The exact distance of row {@code id} to the query; empty when there is no such row. */
    public Optional<Double> distanceOf(String id, float[] query) {
        Integer i = index.get(id);
        return i == null ? Optional.empty() : Optional.of(distanceAt(i, checked(query), dot(query, 0, query)));
    }

    /** The {@code k} nearest rows, nearest first, ties by id. */
    public List<Neighbour> topK(float[] query, int k) {
        return topK(List.of(query), k).get(0);
    }

    /**
     * {@link #topK(float[], int)} for each query, results in query order. Queries go in blocks
     * that share one pass over the vectors (a row is read from memory once per block, not once
     * per query), and blocks run on all cores.
     */
    public List<List<Neighbour>> topK(List<float[]> queries, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        queries.forEach(this::checked);
        int cores = Runtime.getRuntime().availableProcessors();
        int block = Math.max(1, Math.min(BLOCK, (queries.size() + cores - 1) / cores));
        int blocks = (queries.size() + block - 1) / block;
        @SuppressWarnings("unchecked")
        List<Neighbour>[] out = new List[queries.size()];
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * block;
            int to = Math.min(queries.size(), from + block);
            searchBlock(queries.subList(from, to), k, out, from);
        });
        return Arrays.asList(out);
    }

    private static final int BLOCK = 8;

    private void searchBlock(List<float[]> block, int k, List<Neighbour>[] out, int offset) {
        int m = block.size();
        float[][] qs = block.toArray(new float[0][]);
        float[] qq = new float[m];
        @SuppressWarnings("unchecked")
        PriorityQueue<Neighbour>[] heaps = new PriorityQueue[m];
        for (int j = 0; j < m; j++) {
            qq[j] = dot(qs[j], 0, qs[j]);
            heaps[j] = new PriorityQueue<>(k + 1, ORDER.reversed());
        }
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < m; j++) {
                double d = distanceAt(i, qs[j], qq[j]);
                PriorityQueue<Neighbour> heap = heaps[j];
                if (heap.size() == k) {
                    Neighbour worst = heap.peek();
                    int c = Double.compare(d, worst.distance());
                    if (c > 0 || (c == 0 && ids[i].compareTo(worst.id()) > 0)) {
                        continue;
                    }
                }
                heap.add(new Neighbour(ids[i], d));
                if (heap.size() > k) {
                    heap.poll();
                }
            }
        }
        for (int j = 0; j < m; j++) {
            List<Neighbour> sorted = new ArrayList<>(heaps[j]);
            sorted.sort(ORDER);
            out[offset + j] = sorted;
        }
    }

    /**
     * Why {@code actualIds} (a search's answer, in its order) is not an exact top-k for the query,
     * or empty when it is: it must have as many rows as the exact top-k, no unknown or repeated
     * ids, every row no farther than the k-th exact distance, and distances that never decrease;
     * each comparison allows {@code epsilon} relative to max(1, |distance|).
     */
    public Optional<String> mismatch(float[] query, int k, List<String> actualIds, double epsilon) {
        List<Neighbour> exact = topK(query, k);
        if (actualIds.size() != exact.size()) {
            return Optional.of("returned " + actualIds.size() + " rows, the exact top-" + k + " has " + exact.size()
                    + ": expected " + exact + ", got " + actualIds);
        }
        if (exact.isEmpty()) {
            return Optional.empty();
        }
        double kth = exact.get(exact.size() - 1).distance();
        float qq = dot(query, 0, query);
        double previous = Double.NEGATIVE_INFINITY;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int pos = 0; pos < actualIds.size(); pos++) {
            String id = actualIds.get(pos);
            Integer i = index.get(id);
            if (i == null) {
                return Optional.of("row " + id + " at position " + pos + " is not among the searched rows; got " + actualIds);
            }
            if (!seen.add(id)) {
                return Optional.of("row " + id + " is returned twice: " + actualIds);
            }
            double d = distanceAt(i, query, qq);
            if (!Double.isNaN(kth) && (Double.isNaN(d) || d > kth + tolerance(kth, epsilon))) {
                return Optional.of("row " + id + " at position " + pos + " has distance " + d + ", beyond the k-th exact distance "
                        + kth + ": expected " + exact + ", got " + actualIds);
            }
            if (!Double.isNaN(d) && (Double.isNaN(previous) || d + tolerance(d, epsilon) < previous)) {
                return Optional.of("row " + id + " at position " + pos + " (distance " + d + ") comes after a farther row (distance "
                        + previous + "): expected " + exact + ", got " + actualIds);
            }
            previous = d;
        }
        return Optional.empty();
    }

    /** How many of {@code actualIds} are exact top-k rows for the query (up to near-ties at the k-th distance). */
    public int hits(float[] query, List<Neighbour> exact, List<String> actualIds, double epsilon) {
        if (exact.isEmpty()) {
            return 0;
        }
        double kth = exact.get(exact.size() - 1).distance();
        float qq = dot(query, 0, query);
        java.util.Set<String> counted = new java.util.HashSet<>();
        for (String id : actualIds) {
            Integer i = index.get(id);
            if (i == null || counted.contains(id)) {
                continue;
            }
            double d = distanceAt(i, query, qq);
            if (Double.isNaN(kth) || (!Double.isNaN(d) && d <= kth + tolerance(kth, epsilon))) {
                counted.add(id);
            }
        }
        return Math.min(counted.size(), exact.size());
    }

    static double tolerance(double d, double epsilon) {
        return epsilon * Math.max(1, Math.abs(d));
    }

    private float[] checked(float[] query) {
        if (ids.length > 0 && query.length != dimension) {
            throw new IllegalArgumentException("query of dimension " + query.length + " against vectors of dimension " + dimension);
        }
        return query;
    }

    private double distanceAt(int i, float[] q, float qq) {
        int off = i * dimension;
        switch (distance) {
            case L2: {
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int j = 0;
                for (; j + 3 < dimension; j += 4) {
                    float d0 = data[off + j] - q[j];
                    float d1 = data[off + j + 1] - q[j + 1];
                    float d2 = data[off + j + 2] - q[j + 2];
                    float d3 = data[off + j + 3] - q[j + 3];
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                for (; j < dimension; j++) {
                    float d = data[off + j] - q[j];
                    s0 += d * d;
                }
                return Math.sqrt((s0 + s1) + (s2 + s3));
            }
            case INNER_PRODUCT:
                return -(double) dotAt(off, q);
            default:
                return Distance.cosine(dotAt(off, q), normsSquared[i], qq);
        }
    }

    private float dotAt(int off, float[] q) {
        return dot(data, off, q);
    }

    private static float dot(float[] a, int off, float[] q) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = q.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[off + j] * q[j];
            s1 += a[off + j + 1] * q[j + 1];
            s2 += a[off + j + 2] * q[j + 2];
            s3 += a[off + j + 3] * q[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[off + j] * q[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public String toString() {
        return "ExactSearch[" + distance + ", " + ids.length + " vectors of dimension " + dimension + "]";
    }
}

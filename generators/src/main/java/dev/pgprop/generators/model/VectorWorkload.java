package dev.pgprop.generators.model;

import dev.pgprop.dsl.SqlPrintable;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.apiguardian.api.API;

/**
 * Data vectors and the query vectors to search them with, drawn together so the queries can be
 * placed near the data or far from it. A failure report prints it as SQL: two temporary tables,
 * {@code workload_data} and {@code workload_queries}, with the vectors numbered from 1.
 *
 * <pre>{@code
 * @Property
 * void recall(@ForAll("workloads") VectorWorkload w) {
 *     load(w.data());
 *     for (float[] q : w.queries()) { ... }
 * }
 * }</pre>
 *
 * @param data the vectors to store; arrays are shared, do not modify them
 * @param queries the vectors to search with; arrays are shared, do not modify them
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record VectorWorkload(List<float[]> data, List<float[]> queries) implements SqlPrintable {
    public VectorWorkload {
        data = List.copyOf(Objects.requireNonNull(data, "data"));
        queries = List.copyOf(Objects.requireNonNull(queries, "queries"));
    }

    /** The vectors as runnable SQL: {@code workload_data(id, embedding)} and {@code workload_queries(id, embedding)}. */
    @Override
    public String toSql() {
        return table("workload_data", data) + table("workload_queries", queries);
    }

    private static String table(String name, List<float[]> vectors) {
        int dim = vectors.isEmpty() ? -1 : vectors.get(0).length;
        boolean same = vectors.stream().allMatch(v -> v.length == dim);
        StringBuilder b = new StringBuilder("CREATE TEMP TABLE ").append(name).append(" (id integer PRIMARY KEY, embedding vector")
                .append(same && dim > 0 ? "(" + dim + ")" : "").append(");\n");
        if (vectors.isEmpty()) {
            return b.toString();
        }
        StringJoiner rows = new StringJoiner(",\n  ", "INSERT INTO " + name + " (id, embedding) VALUES\n  ", ";\n");
        for (int i = 0; i < vectors.size(); i++) {
            StringJoiner v = new StringJoiner(",", "[", "]");
            for (float x : vectors.get(i)) {
                v.add(Float.isNaN(x) ? "NaN" : Float.isInfinite(x) ? (x > 0 ? "Infinity" : "-Infinity") : Float.toString(x));
            }
            rows.add("(" + (i + 1) + ", '" + v + "')");
        }
        return b.append(rows).toString();
    }

    @Override
    public String toString() {
        return "VectorWorkload[" + data.size() + " data vectors, " + queries.size() + " queries]";
    }
}

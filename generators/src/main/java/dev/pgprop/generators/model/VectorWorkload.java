package dev.pgprop.generators.model;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Data vectors and the query vectors to search them with, drawn together so the queries can be
 * placed near the data or far from it.
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
public record VectorWorkload(List<float[]> data, List<float[]> queries) {
    public VectorWorkload {
        data = List.copyOf(Objects.requireNonNull(data, "data"));
        queries = List.copyOf(Objects.requireNonNull(queries, "queries"));
    }

    @Override
    public String toString() {
        return "VectorWorkload[" + data.size() + " data vectors, " + queries.size() + " queries]";
    }
}

package dev.pgprop.properties.vector;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vector suite's view of the reference schema: the dimension it runs at, rows of {@code
 * vectors} with a {@code group} in their metadata (20 groups, so a group filter matches about 5 %
 * of the rows), and the SQL the properties judge.
 */
final class VectorData {
    /** The schema's embedding_dim as this run configures it (32 by default; see junit-platform.properties). */
    static final int DIM = Integer.parseInt(Settings.fromEnvironment().get("placeholders.embedding_dim", "32"));
    static final int GROUPS = 20;
    static final String ROWS = "select id, embedding from vectors";
    static final String SEARCH = "select id from vector_search(:query, :k)";

    private VectorData() {}

    static String id(int i) {
        return String.format("vec-%06d", i + 1);
    }

    /** The group of the i-th row: rows spread round-robin over the groups, so any prefix has every group. */
    static int group(int i) {
        return i % GROUPS;
    }

    static Map<String, Object> metadata(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", "g" + group(i));
        m.put("rank", i);
        return m;
    }

    /** The vectors as rows of {@code vectors}, ids vec-000001... by position, metadata by {@link #metadata}. */
    static Dataset dataset(List<float[]> vectors) {
        List<Row> rows = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            rows.add(Row.of("id", id(i), "embedding", vectors.get(i), "metadata", metadata(i)));
        }
        return Dataset.of("vectors", rows);
    }

    static String filter(int group) {
        return "{\"group\": \"g" + group + "\"}";
    }
}

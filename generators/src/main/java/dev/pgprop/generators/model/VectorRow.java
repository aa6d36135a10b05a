package dev.pgprop.generators.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A row of {@code vectors}: an id, an embedding and a JSON object of metadata. The embedding is
 * copied in and out, so a row cannot be changed after it is made; equality compares the values.
 *
 * <pre>{@code
 * VectorRow row = new VectorRow("doc-1", new float[] {0.6f, 0.8f}, Map.of("category", "a"));
 * }</pre>
 *
 * @param id the primary key
 * @param embedding finite values (pgvector rejects NaN and infinity); the column's dimension is the
 *     schema's {@code embedding_dim}
 * @param metadata the keys and values of a JSON object ({@code vectors_metadata_object}), in order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record VectorRow(String id, float[] embedding, Map<String, Object> metadata) {
    public VectorRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(metadata, "metadata");
        if (embedding.length == 0) {
            throw new IllegalArgumentException("embedding of vector " + id + " is empty; pgvector needs at least 1 dimension");
        }
        for (int i = 0; i < embedding.length; i++) {
            if (!Float.isFinite(embedding[i])) {
                throw new IllegalArgumentException("embedding of vector " + id + " has " + embedding[i] + " at index " + i
                        + "; pgvector accepts finite values only (see VectorArbitraries.invalidVectors for rejection tests)");
            }
        }
        embedding = embedding.clone();
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A copy of the embedding. */
    @Override
    public float[] embedding() {
        return embedding.clone();
    }

    /** The dimension of the embedding. */
    public int dimension() {
        return embedding.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorRow r && r.id.equals(id) && Arrays.equals(r.embedding, embedding)
                && r.metadata.equals(metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(embedding), metadata);
    }

    @Override
    public String toString() {
        return "VectorRow[id=" + id + ", embedding=" + Arrays.toString(embedding) + ", metadata=" + metadata + "]";
    }
}

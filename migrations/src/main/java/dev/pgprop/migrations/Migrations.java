package dev.pgprop.migrations;

import java.util.Map;

/**
 * Where the reference schema's Flyway migrations live and which placeholders they take.
 *
 * <p>The migrations create the {@code vector} extension, the roles {@code anon}, {@code
 * authenticated} and {@code service_role}, {@code auth.uid()}, and the tables {@code inventory},
 * {@code allocations} (with the {@code allocate} function), {@code payments} (row level security)
 * and {@code vectors} (HNSW index, {@code vector_search} function). The single placeholder, {@value
 * #EMBEDDING_DIM_PLACEHOLDER}, sets the dimension of {@code vectors.embedding}; its default, {@value
 * #DEFAULT_EMBEDDING_DIM}, is in {@code placeholders.properties} beside the migrations.
 *
 * <pre>{@code
 * // the reference schema with small vectors, for fast vector tests
 * MigrationSet set = MigrationSet.of(Migrations.LOCATION)
 *         .withPlaceholders(Migrations.placeholders(8));
 * }</pre>
 */
public final class Migrations {
    /** The Flyway location of the migrations. */
    public static final String LOCATION = "classpath:pgprop/reference";

    /** The Flyway placeholder that sets the dimension of {@code vectors.embedding}. */
    public static final String EMBEDDING_DIM_PLACEHOLDER = "embedding_dim";

    /** The embedding dimension used when no placeholder value is configured. */
    public static final int DEFAULT_EMBEDDING_DIM = 1536;

    /**
     * The largest embedding dimension the migrations accept: pgvector's HNSW index, which the
     * migrations create on {@code vectors.embedding}, indexes at most 2000 dimensions of type {@code
     * vector}.
     */
    public static final int MAX_EMBEDDING_DIM = 2000;

    private Migrations() {}

    /**
     * The Flyway placeholders for vectors of {@code embeddingDim} dimensions.
     *
     * @param embeddingDim the dimension of {@code vectors.embedding}, 1 to {@value #MAX_EMBEDDING_DIM}
     * @return an immutable map from {@value #EMBEDDING_DIM_PLACEHOLDER} to the dimension
     * @throws IllegalArgumentException when the dimension is outside 1 to {@value
     *     #MAX_EMBEDDING_DIM}
     */
    public static Map<String, String> placeholders(int embeddingDim) {
        if (embeddingDim < 1 || embeddingDim > MAX_EMBEDDING_DIM) {
            throw new IllegalArgumentException("embedding dimension " + embeddingDim
                    + " is out of range: the migrations build an HNSW index on vectors.embedding, which"
                    + " pgvector allows for 1 to " + MAX_EMBEDDING_DIM + " dimensions; pass a dimension in"
                    + " that range (the default is " + DEFAULT_EMBEDDING_DIM + ")");
        }
        return Map.of(EMBEDDING_DIM_PLACEHOLDER, Integer.toString(embeddingDim));
    }
}

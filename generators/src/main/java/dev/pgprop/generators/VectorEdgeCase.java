package dev.pgprop.generators;

import org.apiguardian.api.API;

/**
 * Vectors that probe a system's numeric edges. pgvector stores all of them; what a distance means
 * for them is the property's question.
 *
 * <pre>{@code
 * VectorSpec spec = VectorSpec.of(8).withEdgeCases(0.05, VectorEdgeCase.ZERO, VectorEdgeCase.HUGE);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum VectorEdgeCase {
    /** All components 0: cosine distance is undefined (pgvector returns NaN). */
    ZERO,
    /** A random direction with length {@value VectorSpec#HUGE_NORM}. */
    HUGE,
    /** A random direction with length {@value VectorSpec#TINY_NORM}. */
    TINY
}

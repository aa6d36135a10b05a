package dev.pgprop.generators;

import org.apiguardian.api.API;

/**
 * Where query vectors are drawn relative to the data.
 *
 * <pre>{@code
 * Arbitrary<VectorWorkload> w = VectorArbitraries.vectorWorkloads(spec, 1, 10, QueryPlacement.NEAR);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum QueryPlacement {
    /**
     * A data vector plus noise of length {@code nearDistance} times the vector's length (see {@link
     * VectorSpec#withNearDistance(double)}); normalised when the spec is.
     */
    NEAR,
    /**
     * Away from all data: of 16 candidate directions (the first opposite the data's mean), the one
     * whose smallest cosine distance to the data is largest, with ten times the largest data
     * length (unit length when the spec normalises).
     */
    FAR,
    /** Drawn like a data vector, independent of the data. */
    ANYWHERE
}

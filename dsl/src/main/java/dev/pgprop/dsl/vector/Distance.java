package dev.pgprop.dsl.vector;

import org.apiguardian.api.API;

/**
 * A pgvector distance: its SQL operator and the same distance computed in Java, the way pgvector
 * computes it (sums in float32, the final step in double).
 *
 * <pre>{@code
 * double d = Distance.COSINE.between(new float[] {1, 0}, new float[] {0, 1});   // 1.0
 * String sql = "order by embedding " + Distance.COSINE.operator() + " :query";  // <=>
 * }</pre>
 *
 * <p>Under {@link #COSINE} a zero vector has no direction: pgvector returns NaN as its distance
 * to anything, PostgreSQL sorts NaN after every number, and HNSW and IVFFlat indexes with
 * {@code vector_cosine_ops} leave zero vectors out. {@link #between} returns NaN as well, and
 * {@link ExactSearch} sorts it last.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum Distance {
    /** {@code <=>}: 1 - cos(a, b), in [0, 2]; NaN when either vector is zero. */
    COSINE("<=>", "vector_cosine_ops"),
    /** {@code <->}: Euclidean distance. */
    L2("<->", "vector_l2_ops"),
    /** {@code <#>}: the negative inner product (smaller is nearer). */
    INNER_PRODUCT("<#>", "vector_ip_ops");

    private final String operator;
    private final String opclass;

    Distance(String operator, String opclass) {
        this.operator = operator;
        this.opclass = opclass;
    }

    /** The SQL operator, such as {@code <=>}. */
    public String operator() {
        return operator;
    }

    /** The index operator class for {@code vector} columns, such as {@code vector_cosine_ops}. */
    public String operatorClass() {
        return opclass;
    }

    /** The distance between two vectors of the same dimension. */
    public double between(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different dimensions: " + a.length + " and " + b.length);
        }
        switch (this) {
            case L2: {
                float s = 0;
                for (int i = 0; i < a.length; i++) {
                    float d = a[i] - b[i];
                    s += d * d;
                }
                return Math.sqrt(s);
            }
            case INNER_PRODUCT: {
                float s = 0;
                for (int i = 0; i < a.length; i++) {
                    s += a[i] * b[i];
                }
                return -(double) s;
            }
            default: {
                float dot = 0;
                float na = 0;
                float nb = 0;
                for (int i = 0; i < a.length; i++) {
                    dot += a[i] * b[i];
                    na += a[i] * a[i];
                    nb += b[i] * b[i];
                }
                return cosine(dot, na, nb);
            }
        }
    }

    static double cosine(float dot, float normASquared, float normBSquared) {
        double sim = (double) dot / Math.sqrt((double) normASquared * (double) normBSquared);
        if (Double.isNaN(sim)) {
            return Double.NaN;
        }
        return 1 - Math.max(-1, Math.min(1, sim));
    }
}

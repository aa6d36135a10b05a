package dev.pgprop.generators.model;

import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A vector that pgvector must reject, and why. Every kind is rejected with SQLSTATE {@value
 * #SQLSTATE} (data_exception) when it is written to a {@code vector(n)} column.
 *
 * <pre>{@code
 * @Property
 * void rejected(@ForAll("invalid") InvalidVector v) {
 *     assertThatThrownBy(() -> insert(v.values())).hasMessageContaining(v.kind().message());
 * }
 * }</pre>
 *
 * @param kind what is wrong with it
 * @param values the components (a copy is kept and returned)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record InvalidVector(Kind kind, float[] values) {
    /** The SQLSTATE pgvector raises for every kind. */
    public static final String SQLSTATE = "22000";

    /** What is wrong with an invalid vector: {@code if (v.kind() == InvalidVector.Kind.NAN) ...}. */
    public enum Kind {
        /** One component or more is NaN. */
        NAN("NaN not allowed in vector"),
        /** One component or more is positive or negative infinity. */
        INFINITY("infinite value not allowed in vector"),
        /** The length differs from the column's dimension. */
        WRONG_DIMENSION("dimensions");

        private final String message;

        Kind(String message) {
            this.message = message;
        }

        /** A part of pgvector's error message for this kind. */
        public String message() {
            return message;
        }
    }

    public InvalidVector {
        Objects.requireNonNull(kind, "kind");
        values = values.clone();
    }

    /** A copy of the components. */
    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InvalidVector v && v.kind == kind && Arrays.equals(v.values, values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "InvalidVector[" + kind + ", " + Arrays.toString(values) + "]";
    }
}

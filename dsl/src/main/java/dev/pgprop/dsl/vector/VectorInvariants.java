package dev.pgprop.dsl.vector;

import dev.pgprop.dsl.Invariant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Invariants of vector search. The general ones ({@code noRows}, {@code constraintsHold}, ...)
 * are in {@link dev.pgprop.dsl.Invariants}.
 *
 * <pre>{@code
 * import static dev.pgprop.dsl.vector.VectorInvariants.recallAtLeast;
 *
 * db.given(data).scenario()
 *   .then(recallAtLeast(VectorRecall.of("select id, embedding from docs", Distance.COSINE)
 *       .withSearch("select id from docs order by embedding <=> :query limit :k")
 *       .withQueries(queries).withThreshold(0.95)));
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class VectorInvariants {
    private VectorInvariants() {
    }

    /**
     * recall@k of a search against the exact answer, judged by the lower end of its confidence
     * interval (see {@link VectorRecall}). The violation names the measured recall, its interval,
     * the parameters and the number of rows, with the queries that missed as rows.
     *
     * <pre>{@code
     * .then(recallAtLeast(VectorRecall.of("select id, embedding from docs", Distance.COSINE)
     *         .withSearch("select id from docs order by embedding <=> :query limit :k")
     *         .withQueries(queries).withThreshold(0.95)))
     * }</pre>
     */
    public static Invariant recallAtLeast(VectorRecall spec) {
        return Objects.requireNonNull(spec, "spec").invariant();
    }
}

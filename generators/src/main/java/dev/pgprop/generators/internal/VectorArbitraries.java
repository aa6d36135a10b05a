package dev.pgprop.generators.internal;

import dev.pgprop.generators.QueryPlacement;
import dev.pgprop.generators.VectorDistribution;
import dev.pgprop.generators.VectorSpec;
import dev.pgprop.generators.model.InvalidVector;
import dev.pgprop.generators.model.VectorRow;
import dev.pgprop.generators.model.VectorWorkload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

/**
 * Vectors as small draws (a kind, a seed, indexes) that are expanded into components when the
 * value is made. A set shrinks by dropping vectors, by turning duplicates, near-duplicates and
 * edge cases into plain vectors, and by moving seeds and indexes towards 0.
 */
public final class VectorArbitraries {
    /** What one vector of a set is. ORIGINAL first: kinds shrink towards it. */
    enum Kind { ORIGINAL, DUPLICATE, NEAR_DUPLICATE, EDGE_CASE }

    record ElementDraw(Kind kind, long seed, int centre, int ref, int edge, int category, int rank) {}

    record QueryDraw(int target, long seed) {}

    /** Metadata categories of generated vector rows. */
    public static final List<String> CATEGORIES = List.of("a", "b", "c", "d");

    private VectorArbitraries() {}

    private static Arbitrary<Kind> kinds(VectorSpec spec, boolean inSet) {
        int scale = 1_000_000;
        int dup = inSet ? (int) Math.round(spec.duplicates() * scale) : 0;
        int near = inSet ? (int) Math.round(spec.nearDuplicates() * scale) : 0;
        int edge = (int) Math.round(spec.edgeCaseShare() * scale);
        int original = scale - dup - near - edge;
        List<Tuple.Tuple2<Integer, Kind>> f = new ArrayList<>();
        if (original > 0) {
            f.add(Tuple.of(original, Kind.ORIGINAL));
        }
        if (dup > 0) {
            f.add(Tuple.of(dup, Kind.DUPLICATE));
        }
        if (near > 0) {
            f.add(Tuple.of(near, Kind.NEAR_DUPLICATE));
        }
        if (edge > 0) {
            f.add(Tuple.of(edge, Kind.EDGE_CASE));
        }
        return f.size() == 1 ? Arbitraries.just(f.get(0).get2()) : Arbitraries.frequency(f);
    }

    private static Arbitrary<Integer> indexBelow(int n) {
        return n <= 1 ? Arbitraries.just(0) : Arbitraries.integers().between(0, n - 1);
    }

    private static int centreCount(VectorSpec spec) {
        return spec.distribution() instanceof VectorDistribution.Clustered c ? c.centres() : 1;
    }

    /** Seeds have no edge cases: seed 0 or -1 is no more special than any other vector. */
    private static Arbitrary<Long> seeds() {
        return Arbitraries.longs().withoutEdgeCases();
    }

    private static Arbitrary<Long> centreSeeds(VectorSpec spec) {
        return spec.distribution() instanceof VectorDistribution.Clustered ? seeds() : Arbitraries.just(0L);
    }

    private static Arbitrary<ElementDraw> elements(VectorSpec spec, boolean inSet, boolean metadata) {
        return Combinators.combine(
                        kinds(spec, inSet),
                        seeds(),
                        indexBelow(centreCount(spec)),
                        indexBelow(inSet ? spec.maxCount() : 1),
                        indexBelow(spec.edgeCases().size()),
                        metadata ? indexBelow(CATEGORIES.size()) : Arbitraries.just(0),
                        metadata ? Arbitraries.integers().between(0, 999) : Arbitraries.just(0))
                .as(ElementDraw::new);
    }

    private static float[] materialize(VectorSpec spec, float @Nullable [][] centres, List<float[]> earlier, ElementDraw e) {
        int i = earlier.size();
        long seed = VectorMath.seed(e.seed(), i);
        return switch (e.kind()) {
            case DUPLICATE -> i > 0 ? earlier.get(e.ref() % i).clone() : VectorMath.draw(spec, centres, seed, e.centre());
            case NEAR_DUPLICATE -> i > 0
                    ? VectorMath.near(spec, earlier.get(e.ref() % i), seed, spec.nearDistance())
                    : VectorMath.draw(spec, centres, seed, e.centre());
            case EDGE_CASE -> VectorMath.edge(spec.edgeCases().get(e.edge()), spec.dimension(), seed);
            case ORIGINAL -> VectorMath.draw(spec, centres, seed, e.centre());
        };
    }

    private static List<float[]> materialize(VectorSpec spec, long centreSeed, List<ElementDraw> draws) {
        float[][] centres = VectorMath.centres(spec, centreSeed);
        List<float[]> out = new ArrayList<>(draws.size());
        for (ElementDraw e : draws) {
            out.add(materialize(spec, centres, out, e));
        }
        return out;
    }

    public static Arbitrary<float[]> vectors(VectorSpec spec) {
        return Combinators.combine(centreSeeds(spec), elements(spec, false, false))
                .as((seed, e) -> materialize(spec, VectorMath.centres(spec, seed), List.of(), e));
    }

    public static Arbitrary<List<float[]>> sets(VectorSpec spec) {
        return Combinators.combine(centreSeeds(spec),
                        elements(spec, true, false).list().ofMinSize(spec.minCount()).ofMaxSize(spec.maxCount()))
                .as((seed, draws) -> materialize(spec, seed, draws));
    }

    public static Arbitrary<List<VectorRow>> rows(VectorSpec spec) {
        return Combinators.combine(centreSeeds(spec),
                        elements(spec, true, true).list().ofMinSize(spec.minCount()).ofMaxSize(spec.maxCount()))
                .as((seed, draws) -> {
                    List<float[]> vectors = materialize(spec, seed, draws);
                    List<VectorRow> rows = new ArrayList<>(vectors.size());
                    for (int i = 0; i < vectors.size(); i++) {
                        ElementDraw e = draws.get(i);
                        Map<String, Object> metadata = new LinkedHashMap<>();
                        metadata.put("category", CATEGORIES.get(e.category()));
                        metadata.put("rank", e.rank());
                        rows.add(new VectorRow(Ids.vector(i), vectors.get(i), metadata));
                    }
                    return rows;
                });
    }

    private static Arbitrary<QueryDraw> queryDraws() {
        return Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE), seeds()).as(QueryDraw::new);
    }

    /** Query seeds are mixed with positions past any data position, so queries differ from data and each other. */
    private static float[] query(VectorSpec spec, float @Nullable [][] centres, List<float[]> data, QueryPlacement placement,
            QueryDraw q, int position) {
        long seed = VectorMath.seed(q.seed(), -1L - position);
        if (data.isEmpty() || placement == QueryPlacement.ANYWHERE) {
            return VectorMath.draw(spec, centres, seed, q.target());
        }
        if (placement == QueryPlacement.NEAR) {
            return VectorMath.near(spec, data.get(q.target() % data.size()), seed, spec.nearDistance());
        }
        return VectorMath.far(spec, data, seed);
    }

    public static Arbitrary<VectorWorkload> workloads(VectorSpec spec, int minQueries, int maxQueries,
            QueryPlacement placement) {
        return Combinators.combine(centreSeeds(spec),
                        elements(spec, true, false).list().ofMinSize(spec.minCount()).ofMaxSize(spec.maxCount()),
                        queryDraws().list().ofMinSize(minQueries).ofMaxSize(maxQueries))
                .as((seed, draws, queryDraws) -> {
                    float[][] centres = VectorMath.centres(spec, seed);
                    List<float[]> data = materialize(spec, seed, draws);
                    List<float[]> queries = new ArrayList<>(queryDraws.size());
                    for (int i = 0; i < queryDraws.size(); i++) {
                        queries.add(query(spec, centres, data, placement, queryDraws.get(i), i));
                    }
                    return new VectorWorkload(data, queries);
                });
    }

    public static Arbitrary<float[]> queries(List<float[]> data, VectorSpec spec, QueryPlacement placement) {
        List<float[]> fixed = new ArrayList<>(data.size());
        for (float[] v : data) {
            if (v.length != spec.dimension()) {
                throw new IllegalArgumentException("a data vector has " + v.length + " dimensions, the spec "
                        + spec.dimension() + "; give vectors of the spec's dimension");
            }
            fixed.add(v.clone());
        }
        float[][] centres = VectorMath.centres(spec, 0L);
        return queryDraws().map(q -> query(spec, centres, fixed, placement, q, 0));
    }

    public static Arbitrary<InvalidVector> invalid(int dimension) {
        Arbitrary<Integer> wrongDimension = Arbitraries.integers().between(1, dimension + 16).filter(d -> d != dimension);
        return Combinators.combine(
                        Arbitraries.of(InvalidVector.Kind.class),
                        seeds(),
                        Arbitraries.integers().between(0, dimension - 1),
                        Arbitraries.of(true, false),
                        wrongDimension)
                .as((kind, seed, position, positive, wrong) -> {
                    int length = kind == InvalidVector.Kind.WRONG_DIMENSION ? wrong : dimension;
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] v = new float[length];
                    for (int i = 0; i < length; i++) {
                        v[i] = (float) (r.nextDouble() * 2 - 1);
                    }
                    if (kind == InvalidVector.Kind.NAN) {
                        v[position] = Float.NaN;
                    } else if (kind == InvalidVector.Kind.INFINITY) {
                        v[position] = positive ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    }
                    return new InvalidVector(kind, v);
                });
    }
}

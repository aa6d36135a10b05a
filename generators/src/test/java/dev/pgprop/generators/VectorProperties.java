package dev.pgprop.generators;

import static dev.pgprop.generators.internal.VectorMath.cosineDistance;
import static dev.pgprop.generators.internal.VectorMath.l2Distance;
import static dev.pgprop.generators.internal.VectorMath.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.model.InvalidVector;
import dev.pgprop.generators.model.VectorRow;
import dev.pgprop.generators.model.VectorWorkload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/** Vector generators: dimensions, distributions, normalisation, duplicates, edge cases, queries, rejection. */
class VectorProperties {
    private static final int DIM = ReferenceDb.DIM;
    private static ReferenceDb db;

    @BeforeContainer
    static void database() {
        db = new ReferenceDb("VectorProperties");
    }

    @AfterContainer
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    private static final VectorSpec EVERYTHING = VectorSpec.of(DIM).withCount(0, 40).withDuplicates(0.1)
            .withNearDuplicates(0.1).withEdgeCases(0.1);

    static String edgeCase(float[] v) {
        double n = norm(v);
        if (n == 0) {
            return "ZERO";
        }
        if (Math.abs(n / VectorSpec.HUGE_NORM - 1) < 1e-3) {
            return "HUGE";
        }
        if (Math.abs(n / VectorSpec.TINY_NORM - 1) < 1e-3) {
            return "TINY";
        }
        return "none";
    }

    @Property(tries = 150, seed = "7001")
    void vectorRowsOfEveryKindAreAcceptedAndSearchable(@ForAll("rows") List<VectorRow> rows) {
        for (VectorRow r : rows) {
            Statistics.label("edge case").collect(edgeCase(r.embedding()));
        }
        db.inRollback(c -> {
            ReferenceDb.load(c, ReferenceSchema.vectorDataset(rows));
            assertThat(ReferenceDb.count(c, "select count(*) from vectors")).isEqualTo(rows.size());
            if (!rows.isEmpty()) {
                float[] q = rows.get(0).embedding();
                String literal = "'" + Arrays.toString(q).replace(" ", "") + "'::vector";
                assertThat(ReferenceDb.count(c, "select count(*) from vector_search(" + literal + ", 5)"))
                        .isBetween(0L, 5L);
                assertThat(ReferenceDb.count(c, "select count(*) from vectors where id = '" + rows.get(0).id()
                        + "' and embedding = " + literal)).isOne();
            }
        });
        Statistics.label("edge case").coverage(c -> {
            for (VectorEdgeCase e : VectorEdgeCase.values()) {
                c.check(e.name()).count(n -> n > 0);
            }
        });
    }

    @Property(tries = 200, seed = "7002")
    void everyVectorHasTheDimensionAndFiniteComponents(@ForAll("everything") List<float[]> set) {
        assertThat(set).hasSizeBetween(0, 40);
        for (float[] v : set) {
            assertThat(v).hasSize(DIM);
            for (float x : v) {
                assertThat(Float.isFinite(x)).isTrue();
            }
        }
    }

    @Property(tries = 200, seed = "7003")
    void normalizedVectorsHaveUnitLengthExceptEdgeCases(@ForAll("normalized") List<float[]> set) {
        for (float[] v : set) {
            if (edgeCase(v).equals("none")) {
                assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Property(tries = 50, seed = "7004")
    void uniformComponentsFillMinusOneToOne(@ForAll("uniform") List<float[]> set) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (float[] v : set) {
            for (float x : v) {
                assertThat(x).isBetween(-1f, 1f);
                sum += x;
                squares += x * x;
                n++;
            }
        }
        assertThat(sum / n).isCloseTo(0, within(0.1));
        assertThat(squares / n).isCloseTo(1.0 / 3, within(0.06));
    }

    @Property(tries = 50, seed = "7005")
    void gaussianComponentsAreStandardNormal(@ForAll("gaussian") List<float[]> set) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        int beyondOne = 0;
        for (float[] v : set) {
            for (float x : v) {
                sum += x;
                squares += x * x;
                beyondOne += Math.abs(x) > 1 ? 1 : 0;
                n++;
            }
        }
        assertThat(sum / n).isCloseTo(0, within(0.1));
        assertThat(squares / n).isCloseTo(1.0, within(0.15));
        assertThat((double) beyondOne / n).isCloseTo(0.317, within(0.05));
    }

    @Property(tries = 20, seed = "7006")
    void decayingGaussianComponentsHaveTheDecayingDeviation(@ForAll("decaying") List<float[]> set) {
        int dim = set.get(0).length;
        double[] squares = new double[dim];
        for (float[] v : set) {
            for (int i = 0; i < dim; i++) {
                squares[i] += v[i] * v[i];
            }
        }
        // variance (1 + i)^-1 for decay 0.5: the first component about 1, the fourth about 1/4;
        // with 400 samples the standard error of a variance estimate is 7 % of it: allow 4.5 of them
        assertThat(squares[0] / set.size()).isCloseTo(1.0, within(0.32));
        assertThat(squares[3] / set.size()).isCloseTo(0.25, within(0.08));
        assertThat(squares[dim - 1] / set.size()).isCloseTo(1.0 / dim, within(0.32 / dim));
        // and the decay shows: the first component varies more than the last
        assertThat(squares[0]).isGreaterThan(squares[dim - 1] * 3);
    }

    @Provide
    Arbitrary<List<float[]>> decaying() {
        return VectorArbitraries.vectorSets(VectorSpec.of(DIM).withCount(400, 400)
                .withDistribution(VectorDistribution.decayingGaussian(0.5)));
    }

    @Example
    void decayingGaussianChecksItsDecay() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VectorDistribution.decayingGaussian(-1))
                .hasMessageContaining("decay -1.0");
    }

    /** Greedy grouping: a vector joins the first group whose first member is within {@code radius}. */
    static int groups(List<float[]> set, double radius) {
        List<float[]> leaders = new ArrayList<>();
        for (float[] v : set) {
            if (leaders.stream().noneMatch(l -> l2Distance(l, v) < radius)) {
                leaders.add(v);
            }
        }
        return leaders.size();
    }

    @Property(tries = 100, seed = "7006")
    void clusteredVectorsLieAroundAtMostKCentres(@ForAll("clustered") List<float[]> set) {
        // spread 0.05: members of a cluster are about 0.07 apart; random unit centres in 16 dimensions about 1.4
        int groups = groups(set, 0.5);
        assertThat(groups).isBetween(1, 3);
        Statistics.label("clusters").collect(groups);
        Statistics.label("clusters").coverage(c -> c.check(3).percentage(p -> p > 50));
    }

    @Property(tries = 200, seed = "7007")
    void setsContainDuplicatesAndNearDuplicates(@ForAll("tenOrMore") List<float[]> set) {
        boolean duplicate = false;
        boolean near = false;
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < i; j++) {
                double d = l2Distance(set.get(i), set.get(j));
                double n = Math.max(norm(set.get(j)), norm(set.get(i)));
                duplicate |= Arrays.equals(set.get(i), set.get(j)) && n > 0;
                near |= d > 0 && d <= EVERYTHING.nearDistance() * n * 1.01;
            }
        }
        Statistics.label("has a duplicate").collect(duplicate);
        Statistics.label("has a near-duplicate").collect(near);
        Statistics.label("has a duplicate").coverage(c -> c.check(true).percentage(p -> p > 60));
        Statistics.label("has a near-duplicate").coverage(c -> c.check(true).percentage(p -> p > 60));
    }

    @Property(tries = 100, seed = "7008")
    void nearQueriesAreNearADataVectorAndFarQueriesFarFromAll(@ForAll("near") VectorWorkload near,
            @ForAll("far") VectorWorkload far) {
        for (float[] q : near.queries()) {
            // relative to the data vector's length; absolute for the zero vector
            double closest = near.data().stream().mapToDouble(v -> l2Distance(q, v) / (norm(v) > 0 ? norm(v) : 1)).min().orElseThrow();
            assertThat(closest).isLessThanOrEqualTo(EVERYTHING.nearDistance() * 1.01);
        }
        for (float[] q : far.queries()) {
            double closest = far.data().stream().mapToDouble(v -> cosineDistance(q, v)).min().orElseThrow();
            Statistics.label("far query: nearest cosine distance above 0.5").collect(closest > 0.5);
            assertThat(closest).isGreaterThan(0.2);
            assertThat(norm(q)).isCloseTo(10 * far.data().stream().mapToDouble(v -> norm(v)).max().orElseThrow(), within(1e-3 * norm(q)));
        }
        Statistics.label("far query: nearest cosine distance above 0.5").coverage(c -> c.check(true).percentage(p -> p > 80));
    }

    @Property(tries = 100, seed = "7009")
    void queriesForFixedDataAreNearIt(@ForAll("fixedDataQueries") float[] q) {
        double closest = FIXED.stream().mapToDouble(v -> l2Distance(q, v)).min().orElseThrow();
        assertThat(closest).isLessThanOrEqualTo(0.05 * 1.01);
        assertThat(norm(q)).isCloseTo(1.0, within(1e-5));
    }

    @Property(tries = 150, seed = "7010")
    void invalidVectorsAreRejectedByPgvector(@ForAll("invalid") InvalidVector v) {
        Statistics.label("kind").collect(v.kind());
        Statistics.label("kind").coverage(c -> {
            for (InvalidVector.Kind k : InvalidVector.Kind.values()) {
                c.check(k).percentage(p -> p > 20);
            }
        });
        if (v.kind() == InvalidVector.Kind.WRONG_DIMENSION) {
            assertThat(v.values().length).isNotEqualTo(DIM);
        }
        db.inRollback(c -> {
            String sql = Dataset.of("vectors", List.of(Row.of("id", "bad", "embedding", v.values()))).toSql();
            ReferenceDb.Failure f = ReferenceDb.failure(c, sql);
            assertThat(f).as("insert of %s", v).isNotNull();
            assertThat(f.sqlState()).isEqualTo(InvalidVector.SQLSTATE);
            assertThat(f.message()).contains(v.kind().message());
        });
    }

    @Property(tries = 300, seed = "7011")
    void singleVectorsCoverTheEdgeCases(@ForAll("singles") float[] v) {
        assertThat(v).hasSize(DIM);
        Statistics.label("edge case").collect(edgeCase(v));
        Statistics.label("edge case").coverage(c -> {
            for (VectorEdgeCase e : VectorEdgeCase.values()) {
                c.check(e.name()).percentage(p -> p > 3);
            }
            c.check("none").percentage(p -> p > 50);
        });
    }

    @Example
    void theSameDrawGivesEqualRowsAndRowsCopyTheirEmbedding() {
        float[] e = {1, 2, 3};
        VectorRow r = new VectorRow("a", e, java.util.Map.of("k", 1));
        e[0] = 9;
        assertThat(r.embedding()[0]).isEqualTo(1f);
        r.embedding()[1] = 9;
        assertThat(r.embedding()[1]).isEqualTo(2f);
        assertThat(r).isEqualTo(new VectorRow("a", new float[] {1, 2, 3}, java.util.Map.of("k", 1)));
    }

    private static final List<float[]> FIXED = List.of(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, new float[] {0, 0, 0, 1, 0, 0, 0, 0});

    @Provide
    Arbitrary<float[]> fixedDataQueries() {
        return VectorArbitraries.queries(FIXED, VectorSpec.of(DIM).withNormalized(true).withNearDistance(0.05), QueryPlacement.NEAR);
    }

    @Provide
    Arbitrary<List<VectorRow>> rows() {
        return ReferenceArbitraries.vectorRows(EVERYTHING);
    }

    @Provide
    Arbitrary<List<float[]>> everything() {
        return VectorArbitraries.vectorSets(EVERYTHING);
    }

    @Provide
    Arbitrary<List<float[]>> tenOrMore() {
        return VectorArbitraries.vectorSets(EVERYTHING.withCount(10, 40));
    }

    @Provide
    Arbitrary<List<float[]>> normalized() {
        return VectorArbitraries.vectorSets(EVERYTHING.withNormalized(true).withDistribution(VectorDistribution.gaussian()));
    }

    @Provide
    Arbitrary<List<float[]>> uniform() {
        return VectorArbitraries.vectorSets(VectorSpec.of(DIM).withCount(200, 200));
    }

    @Provide
    Arbitrary<List<float[]>> gaussian() {
        return VectorArbitraries.vectorSets(VectorSpec.of(DIM).withCount(200, 200).withDistribution(VectorDistribution.gaussian()));
    }

    @Provide
    Arbitrary<List<float[]>> clustered() {
        return VectorArbitraries.vectorSets(VectorSpec.of(16).withCount(30, 60)
                .withDistribution(VectorDistribution.clustered(3, 0.05)));
    }

    @Provide
    Arbitrary<VectorWorkload> near() {
        return VectorArbitraries.vectorWorkloads(EVERYTHING.withCount(1, 40), 1, 5, QueryPlacement.NEAR);
    }

    @Provide
    Arbitrary<VectorWorkload> far() {
        return VectorArbitraries.vectorWorkloads(VectorSpec.of(16).withCount(1, 40), 1, 5, QueryPlacement.FAR);
    }

    @Provide
    Arbitrary<InvalidVector> invalid() {
        return VectorArbitraries.invalidVectors(DIM);
    }

    @Provide
    Arbitrary<float[]> singles() {
        return VectorArbitraries.vectors(VectorSpec.of(DIM).withEdgeCases(0.3).withNormalized(true));
    }
}

package dev.pgprop.properties.vector;

import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static dev.pgprop.properties.vector.VectorData.DIM;
import static org.assertj.core.api.Assertions.assertThat;

import com.pgvector.PGvector;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.Json;
import dev.pgprop.generators.VectorArbitraries;
import dev.pgprop.generators.model.InvalidVector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Storage of the reference schema's vectors table: any finite float32 vector round-trips bit for
 * bit; halfvec's rounding error stays within its bound; NaN, infinity and a wrong dimension are
 * refused and nothing is stored; zero vectors under cosine behave as pgvector defines; jsonb
 * containment filters agree with filtering in memory and non-object metadata is refused.
 */
@PgProperties
class VectorStorageProperties {
    /** halfvec has an 11-bit significand: round to nearest is off by at most 2^-11 relative, 2^-25 absolute when subnormal. */
    static final double HALFVEC_RELATIVE = Math.scalb(1.0, -11);
    static final double HALFVEC_SUBNORMAL = Math.scalb(1.0, -25);
    static final float HALFVEC_MAX = 65504f;

    @Provide
    Arbitrary<float[]> anyFiniteFloats() {
        Arbitrary<Float> anyBits = Arbitraries.integers().map(Float::intBitsToFloat).filter(Float::isFinite);
        Arbitrary<Float> special = Arbitraries.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.1f, Math.nextDown(1f));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, anyBits), net.jqwik.api.Tuple.of(1, special))
                .array(float[].class).ofSize(DIM);
    }

    @Property(tries = 200)
    void anyFiniteFloat32VectorRoundTripsBitForBit(@ForAll("anyFiniteFloats") float[] v, Db db) {
        // on the try's own session: the try's transaction is rolled back when the try ends
        db.handle().execute("insert into vectors (id, embedding) values ('v', ?)", v);
        String text = (String) db.rows("select embedding::text as t from vectors where id = 'v'").get(0).get("t");
        float[] back = db.handle().createQuery("select embedding from vectors where id = 'v'").mapTo(PGvector.class).one().toArray();
        for (int i = 0; i < DIM; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).as("component %d: stored %s, read %s (%s)", i, v[i], back[i], text)
                    .isEqualTo(Float.floatToRawIntBits(v[i]));
        }
        assertThat(db.rows("select 1 from vectors where embedding = ?", v)).hasSize(1);
    }

    @Provide
    Arbitrary<float[]> halfvecRange() {
        Arbitrary<Float> unit = Arbitraries.floats().between(-1f, 1f).ofScale(7);
        Arbitrary<Float> wide = Arbitraries.integers().map(Float::intBitsToFloat)
                .filter(x -> Float.isFinite(x) && Math.abs(x) <= HALFVEC_MAX);
        return Arbitraries.oneOf(unit, wide).array(float[].class).ofSize(DIM);
    }

    /** The largest absolute error of the halfvec casts seen in this run (unit-range components only). */
    static volatile double maxUnitError;

    @Property(tries = 200)
    void halfvecRoundsWithinItsBound(@ForAll("halfvecRange") float[] v, Db db) {
        float[] back = db.handle().createQuery("select cast(cast(cast(:v as vector) as halfvec) as vector)").bind("v", v)
                .mapTo(PGvector.class).one().toArray();
        for (int i = 0; i < DIM; i++) {
            double error = Math.abs((double) back[i] - v[i]);
            double bound = Math.max(Math.abs(v[i]) * HALFVEC_RELATIVE, HALFVEC_SUBNORMAL);
            assertThat(error).as("component %d: %s became %s", i, v[i], back[i]).isLessThanOrEqualTo(bound);
            if (Math.abs(v[i]) <= 1) {
                maxUnitError = Math.max(maxUnitError, error);
            }
        }
    }

    @Example
    void halfvecRefusesValuesBeyondItsRange(Db db) {
        float[] v = new float[DIM];
        v[0] = 65520f;   // rounds to infinity in half precision
        db.scenario().whenRolledBack(tx -> tx.scalar("select cast(cast(? as vector) as halfvec)", v))
                .then(rejectedWith("22003"));
    }

    @Property(tries = 60)
    void nanInfinityAndWrongDimensionsAreRefusedAndNothingIsStored(@ForAll("invalid") InvalidVector v, Db db) {
        Outcome o = db.scenario()
                .whenCommitted(tx -> tx.execute("insert into vectors (id, embedding) values ('bad', ?)", v.values()))
                .then(rejectedWith(InvalidVector.SQLSTATE), noRows("select * from vectors"));
        assertThat(o.results().get(0).error()).get().satisfies(e -> assertThat(e.message()).contains(v.kind().message()));
    }

    @Provide
    Arbitrary<InvalidVector> invalid() {
        return VectorArbitraries.invalidVectors(DIM);
    }

    /**
     * pgvector's definition for a zero vector under cosine: the distance is NaN (no direction),
     * PostgreSQL sorts NaN after every number, so an exact search returns the zero row last with
     * similarity NaN; the HNSW index (vector_cosine_ops) does not index zero vectors, so an index
     * search never returns it.
     */
    @Example
    void aZeroVectorUnderCosineHasNaNDistanceComesLastExactlyAndIsNotIndexed(Db db) {
        float[] zero = new float[DIM];
        float[] one = new float[DIM];
        one[0] = 1;
        float[] other = new float[DIM];
        other[1] = 1;
        db.handle().execute("insert into vectors (id, embedding) values ('zero', ?), ('one', ?), ('other', ?)", zero, one, other);
        assertThat((Double) db.rows("select ? <=> ? as d", zero, one).get(0).get("d")).isNaN();
        db.handle().execute("set local enable_indexscan = off");
        List<Row> exact = db.rows("select id, similarity from vector_search(?, 10)", one);
        assertThat(exact).extracting(r -> r.get("id")).containsExactly("one", "other", "zero");
        assertThat((Double) exact.get(2).get("similarity")).isNaN();
        // the class's properties share its database, and the rows their earlier tries rolled back or
        // deleted stay in the HNSW graph until a vacuum: without iterative scans a search can spend its
        // ef_search candidates on them. An index rebuilt from this try's rows makes the statement below
        // one about pgvector alone.
        db.handle().execute("reindex index vectors_embedding_hnsw");
        db.handle().execute("set local enable_indexscan = on");
        db.handle().execute("set local enable_seqscan = off");
        assertThat(db.rows("select id from vector_search(?, 10)", one)).extracting(r -> r.get("id"))
                .containsExactly("one", "other");
    }

    @Provide
    Arbitrary<Map<String, Object>> metadataObjects() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.of("a", "b", "c").map(x -> (Object) x),
                Arbitraries.integers().between(0, 3).map(x -> (Object) x), Arbitraries.of(true, false).map(x -> (Object) x));
        Arbitrary<Object> nested = Arbitraries.maps(Arbitraries.of("x", "y"), scalar).ofMaxSize(2).map(m -> (Object) m);
        return Arbitraries.maps(Arbitraries.of("group", "kind", "lang", "tag"), Arbitraries.oneOf(scalar, scalar, nested))
                .ofMaxSize(4);
    }

    /** jsonb containment of objects in memory: every key of the filter present with a contained value. */
    static boolean contains(Object doc, Object filter) {
        if (doc instanceof Map<?, ?> d && filter instanceof Map<?, ?> f) {
            return f.entrySet().stream().allMatch(e -> d.containsKey(e.getKey()) && contains(d.get(e.getKey()), e.getValue()));
        }
        return doc.equals(filter);
    }

    @Property(tries = 60)
    void containmentFiltersAgreeWithFilteringInMemory(@ForAll("metadataLists") List<Map<String, Object>> metadata,
            @ForAll("metadataObjects") Map<String, Object> filter, Db db) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            rows.add(Row.of("id", VectorData.id(i), "embedding", new float[DIM], "metadata", metadata.get(i)));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            if (contains(metadata.get(i), filter)) {
                expected.add(VectorData.id(i));
            }
        }
        db.given(dev.pgprop.dsl.Dataset.of("vectors", rows)).then(invariant("jsonb @> agrees with containment in memory", ctx -> {
            List<String> got = ctx.handle().createQuery("select id from vectors where metadata @> cast(:f as jsonb) order by id")
                    .bind("f", Json.write(filter)).mapTo(String.class).list();
            if (!got.equals(expected)) {
                ctx.fail("filter " + Json.write(filter) + " selects " + got + " in SQL, " + expected + " in memory", List.of());
            }
        }));
    }

    @Provide
    Arbitrary<List<Map<String, Object>>> metadataLists() {
        return metadataObjects().list().ofMaxSize(12);
    }

    @Property(tries = 20)
    void nonObjectMetadataIsRefused(@ForAll("nonObjects") String json, Db db) {
        db.scenario()
                .whenCommitted(tx -> tx.execute("insert into vectors (id, embedding, metadata) values ('m', ?, cast(? as jsonb))",
                        new float[DIM], json))
                .then(rejectedWith("23514"), noRows("select * from vectors"));
    }

    @Provide
    Arbitrary<String> nonObjects() {
        return Arbitraries.of("[]", "[1, 2]", "\"text\"", "1", "2.5", "true", "null", "[{\"group\": \"g1\"}]");
    }

    static Map<String, Object> object(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

package dev.pgprop.properties.perf;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.perf.PerformanceInvariants.noSeqScanOn;
import static dev.pgprop.dsl.perf.PerformanceInvariants.noTempFiles;
import static dev.pgprop.dsl.perf.PerformanceInvariants.usesIndex;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import dev.pgprop.generators.VectorArbitraries;
import dev.pgprop.generators.ReferenceSchema;
import dev.pgprop.generators.VectorSpec;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Plan properties of the reference schema: once the vectors table is large enough for the index
 * to pay, vector_search uses vectors_embedding_hnsw (inlined, so the planner sees the ORDER BY);
 * lookups by primary key never scan; the reference queries need no temp files.
 */
@PgProperties(placeholders = "embedding_dim=8")
class PlanProperties {

    @Provide
    Arbitrary<float[]> queries() {
        return VectorArbitraries.vectors(VectorSpec.of(8));
    }

    @Provide
    Arbitrary<Dataset> data() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 4));
    }

    /**
     * 25 tries, not 100: each try fills a 2,000-row table through the HNSW index (about half a
     * second), and only the query vector varies, which moves the plan's cost very little.
     */
    @Property(tries = 25)
    void vectorSearchUsesTheHnswIndexOnALargeTable(@ForAll("queries") float[] query, Db db) {
        String q = SqlLiterals.literal(query);
        // inside the try's transaction: rolled back with it
        db.handle().execute("insert into vectors (id, embedding) select 'v' || g,"
                + " array[sin(g), cos(g), sin(2 * g), cos(3 * g), g % 7, g % 11, g % 13, 1]::real[]::vector"
                + " from generate_series(1, 2000) g; analyze vectors");
        db.scenario()
                .then(usesIndex("select * from vector_search(" + q + ", 10)", "vectors_embedding_hnsw"),
                        noSeqScanOn("select * from vector_search(" + q + ", 10)", ReferenceSchema.VECTORS));
    }

    @Property(tries = 100)
    void keyLookupsNeverScanAndReferenceQueriesNeedNoTempFiles(@ForAll("data") Dataset data, Db db) {
        String sku = (String) data.rows(ReferenceSchema.INVENTORY).get(0).get("sku");
        db.given(data)
                .then(invariant("index scans preferred", ctx -> ctx.handle().execute("set local enable_seqscan = off")),
                        noSeqScanOn("select * from inventory where sku = '" + sku + "'", ReferenceSchema.INVENTORY),
                        noTempFiles("select sku, sum(quantity) from allocations group by sku order by 2 desc"),
                        noTempFiles("select * from payments p join allocations a on a.id = p.allocation_id"),
                        constraintsHold());
    }
}

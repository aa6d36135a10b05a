package dev.pgprop.properties.vector;

import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.vector.VectorInvariants.recallAtLeast;
import static dev.pgprop.properties.vector.VectorData.DIM;
import static dev.pgprop.properties.vector.VectorData.ROWS;
import static dev.pgprop.properties.vector.VectorData.SEARCH;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.vector.Distance;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.vector.VectorRecall;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * recall@10 of vector_search for other index parameters than the reference schema's: HNSW
 * {@code m}, {@code ef_construction} and {@code hnsw.ef_search}, and an IVFFlat index with
 * {@code lists} and {@code ivfflat.probes}. Each try replaces vectors_embedding_hnsw inside its
 * own rolled-back transaction, after the rows are loaded (IVFFlat picks its lists from the data).
 */
@PgProperties(session = "hnsw.iterative_scan=relaxed_order")
class VectorIndexProperties {
    /** An index to judge, with the settings its searches run with. */
    record IndexConfig(String kind, String with, String setting, int value) {
        String describe() {
            return kind + " (" + with + "), " + setting + "=" + value;
        }
    }

    @Provide
    Arbitrary<IndexConfig> configs() {
        // the settings every config is expected to meet 0.95 with: IVFFlat probes a quarter of
        // its lists at least, HNSW searches at least 40 candidates
        return Arbitraries.of(
                new IndexConfig("hnsw", "m = 8, ef_construction = 32", "hnsw.ef_search", 40),
                new IndexConfig("hnsw", "m = 16, ef_construction = 64", "hnsw.ef_search", 100),
                new IndexConfig("hnsw", "m = 24, ef_construction = 100", "hnsw.ef_search", 64),
                new IndexConfig("ivfflat", "lists = 20", "ivfflat.probes", 8),
                new IndexConfig("ivfflat", "lists = 40", "ivfflat.probes", 12));
    }

    @Property(tries = 5, generation = GenerationMode.RANDOMIZED)
    void recallAtTenMeetsTheThresholdForTheseParameters(@ForAll("configs") IndexConfig cfg, @ForAll long seed, Db db) {
        int n = 2_000;
        List<float[]> data = VectorSearchProperties.decaying(n, seed);
        List<float[]> queries = VectorSearchProperties.decaying(VectorSearchProperties.RECALL_QUERIES, ~seed);
        db.given(VectorData.dataset(data)).then(invariant("index " + cfg.describe(), ctx -> {
            ctx.handle().execute("drop index vectors_embedding_hnsw");
            ctx.handle().execute("create index vectors_embedding_idx on vectors using " + cfg.kind()
                    + " (embedding vector_cosine_ops) with (" + cfg.with() + ")");
            ctx.handle().execute("set local " + cfg.setting() + " = " + cfg.value());
            ctx.handle().execute("set local enable_seqscan = off");
        }), recallAtLeast(VectorRecall.of(ROWS, Distance.COSINE).withSearch(SEARCH).withQueries(queries)
                .withParameters(cfg.describe() + ", decaying gaussian(0.5), dim " + DIM)));
    }
}

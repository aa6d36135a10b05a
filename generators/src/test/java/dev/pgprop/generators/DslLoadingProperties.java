package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract with the DSL: generated datasets load through {@code Db.given} (foreign-key order
 * from the catalog, multi-row inserts) and satisfy every constraint there.
 */
@PgProperties(migrations = "classpath:pgprop/reference", placeholders = "embedding_dim=8")
class DslLoadingProperties {
    @Property(tries = 100, seed = "9001")
    void generatedDatasetsLoadThroughTheDslAndHoldEveryConstraint(@ForAll("datasets") Dataset data, Db db) {
        db.given(data).then(Invariants.constraintsHold(),
                Invariants.noRows("select * from inventory where allocated > on_hand"));
        long allocations = db.rows("select count(*) as n from allocations").stream()
                .mapToLong(r -> ((Number) r.get("n")).longValue()).sum();
        assertThat(allocations).isEqualTo(data.rowCount("allocations"));
    }

    @Property(tries = 50, seed = "9002")
    void vectorRowsLoadThroughTheDsl(@ForAll("vectors") Dataset data, Db db) {
        db.given(data).then(Invariants.constraintsHold());
        for (Row r : db.rows("select count(*) as n from vectors")) {
            assertThat(((Number) r.get("n")).intValue()).isEqualTo(data.rowCount("vectors"));
        }
    }

    @Provide
    Arbitrary<Dataset> datasets() {
        return net.jqwik.api.Arbitraries.oneOf(ReferenceArbitraries.datasets(), ReferenceArbitraries.datasets(DatasetSpec.contended()));
    }

    @Provide
    Arbitrary<Dataset> vectors() {
        return ReferenceArbitraries.vectorDatasets(VectorSpec.of(ReferenceDb.DIM).withCount(0, 30).withDuplicates(0.1)
                .withNearDuplicates(0.1).withEdgeCases(0.1));
    }
}

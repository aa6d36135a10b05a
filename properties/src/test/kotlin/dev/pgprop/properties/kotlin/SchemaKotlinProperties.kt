package dev.pgprop.properties.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.PgProperties
import dev.pgprop.generators.schema.SchemaArbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import org.assertj.core.api.Assertions.assertThat

/** Datasets derived from the reference schema's catalog, spelled in Kotlin: no backticks, a trailing rule. */
@PgProperties
class SchemaKotlinProperties {

    @Provide
    fun stockAndVectors(): Arbitrary<Dataset> =
        SchemaArbitraries.fromConfig()
            .tables("inventory", "vectors")
            .withRows(0, 4)
            .withValue("vectors", "metadata", mapOf("source" to "kotlin"))
            .withRule("inventory", "allocated") { row -> (row.get("on_hand") as Int) / 2 }

    @Property(tries = 50)
    fun derivedDatasetsLoadAndHoldEveryConstraint(@ForAll("stockAndVectors") data: Dataset, db: Db) {
        db.given(data).then(constraintsHold())
        val loaded = db.rows("select count(*) as n from inventory").first().get("n") as Long
        assertThat(loaded).isEqualTo(data.rowCount("inventory").toLong())
        data.rows("inventory").forEach { assertThat(it.get("allocated") as Int).isLessThanOrEqualTo(it.get("on_hand") as Int) }
    }
}

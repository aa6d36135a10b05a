package dev.pgprop.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.MigrationSet
import dev.pgprop.dsl.PgProperties
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

/** Datasets drawn from the catalog, configured in a Kotlin block, load and follow every setting. */
@PgProperties(migrations = ["classpath:pgprop-kotlin-test"])
class SchemaDatasetsProperties {
    private val migrations = MigrationSet.of("classpath:pgprop-kotlin-test")

    @Provide
    fun transfers(): Arbitrary<Dataset> = schemaDatasets(migrations) {
        tables("transfer")
        rows(1..3)
        nullProbability(0.0)
        "account" {
            "owner" pin "ada"
            "balance" from Arbitraries.integers().between(10, 20)
        }
        "transfer" {
            rows(2..4)
            "amount" follows { row -> row.valueOf<Int>("id")!!.mod(5) + 1 }
        }
    }

    @Property(tries = 15)
    fun everySettingOfTheBlockHolds(@ForAll("transfers") data: Dataset, db: Db) {
        assertThat(data.rowCount("account")).isBetween(1, 3)
        assertThat(data.rowCount("transfer")).isBetween(2, 4)
        assertThat(data.rows("account")).allSatisfy { r ->
            assertThat(r.valueOf<String>("owner")).isEqualTo("ada")
            assertThat(r.valueOf<Int>("balance")).isBetween(10, 20)
        }
        assertThat(data.rows("transfer")).allSatisfy { r ->
            assertThat(r.valueOf<Int>("amount")).isEqualTo(r.valueOf<Int>("id")!!.mod(5) + 1)
        }
        db.given(data).then(constraintsHold())
        assertThat(db.scalarOf<Long>("select count(*) from transfer t join account a on a.id = t.source"))
            .isEqualTo(data.rowCount("transfer").toLong())
    }

    @Test
    fun aColumnTheTableLacksIsNamedWithTheColumnsItHas() {
        assertThatThrownBy { schemaDatasets(migrations) { "account" { "colour" pin "red" } } }
            .hasMessageContaining("colour")
            .hasMessageContaining("balance")
    }

    @Test
    fun configureAddsToAnArbitraryBuiltElsewhere() {
        val base = schemaDatasets(migrations) { rows(0..1) }
        assertThat(base.configure { "account" { rows(5..5) } }.toString()).contains("account=[5, 5]")
    }
}

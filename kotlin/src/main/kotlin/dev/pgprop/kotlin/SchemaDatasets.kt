// Datasets drawn from a database's catalog, configured in a Kotlin block.
package dev.pgprop.kotlin

import dev.pgprop.dsl.Db
import dev.pgprop.dsl.MigrationSet
import dev.pgprop.dsl.Row
import dev.pgprop.dsl.TestDatabase
import dev.pgprop.generators.schema.DatasetArbitrary
import dev.pgprop.generators.schema.SchemaArbitraries
import net.jqwik.api.Arbitrary

/**
 * Valid, foreign-key-consistent datasets for the tables of a database, drawn from its catalog
 * alone, with what the catalog cannot know said in a block:
 *
 * ```
 * @Provide
 * fun rentals(): Arbitrary<Dataset> = schemaDatasets(db) {
 *     tables("rental", "payment")          // and every table they reference
 *     rows(0..6)                           // every other table
 *     nullProbability(0.1)
 *     "rental" {
 *         rows(1..3)
 *         "staff_id" pin 1
 *         "rental_rate" from Arbitraries.bigDecimals().between(BigDecimal.ONE, BigDecimal.TEN)
 *         "return_date" follows { row -> row.valueOf<OffsetDateTime>("rental_date")?.plusDays(3) }
 *     }
 * }
 * ```
 *
 * The result is the generators' [DatasetArbitrary], so the Java methods still apply after it.
 */
fun schemaDatasets(db: Db, vararg schemas: String, configure: SchemaDatasetsBuilder.() -> Unit = {}): DatasetArbitrary =
    SchemaArbitraries.from(db, *schemas).configure(configure)

/** [schemaDatasets] for a database of your own, such as `PgProp.server().createDatabase(migrations)`. */
fun schemaDatasets(
    db: TestDatabase,
    vararg schemas: String,
    configure: SchemaDatasetsBuilder.() -> Unit = {},
): DatasetArbitrary = SchemaArbitraries.from(db, *schemas).configure(configure)

/** [schemaDatasets] for a migration set: its catalog is read from a database migrated once. */
fun schemaDatasets(
    migrations: MigrationSet,
    vararg schemas: String,
    configure: SchemaDatasetsBuilder.() -> Unit = {},
): DatasetArbitrary = SchemaArbitraries.from(migrations, *schemas).configure(configure)

/** The same datasets with the block's settings added: `arbitrary.configure { rows(1..2) }`. */
fun DatasetArbitrary.configure(configure: SchemaDatasetsBuilder.() -> Unit): DatasetArbitrary =
    SchemaDatasetsBuilder(this).apply(configure).result

/** The receiver of [schemaDatasets]: settings for every table, and `"table" { }` for one. */
@PgPropDsl
class SchemaDatasetsBuilder internal constructor(internal var result: DatasetArbitrary) {
    /** Only these tables and every table they reference (by default: every table of the schema). */
    fun tables(vararg names: String) {
        result = result.tables(*names)
    }

    /** Rows per table for every table not given its own count. */
    fun rows(range: IntRange) {
        result = result.withRows(range.first, range.last)
    }

    /** How often a nullable column or foreign key is NULL (0 never). */
    fun nullProbability(probability: Double) {
        result = result.withNullProbability(probability)
    }

    /** Settings for one table: `"rental" { rows(1..3); "staff_id" pin 1 }`. */
    operator fun String.invoke(configure: TableBuilder.() -> Unit) {
        result = TableBuilder(this, result).apply(configure).result
    }
}

/** The receiver of `"table" { }`: its row count and its columns' values. */
@PgPropDsl
class TableBuilder internal constructor(private val table: String, internal var result: DatasetArbitrary) {
    /** Rows drawn for this table. */
    fun rows(range: IntRange) {
        result = result.withRows(table, range.first, range.last)
    }

    /** This column always holds [value] (null allowed): `"status" pin "open"`. */
    infix fun String.pin(value: Any?) {
        result = result.withValue(table, this, value)
    }

    /** This column's values come from [values] (the catalog's CHECKs still filter the rows). */
    infix fun String.from(values: Arbitrary<*>) {
        result = result.withColumn(table, this, values)
    }

    /** This column is computed from the row's other values: `"total" follows { it.valueOf<Int>("n")!! * 2 }`. */
    infix fun String.follows(rule: (Row) -> Any?) {
        result = result.withRule(table, this) { row -> rule(row) }
    }
}

/** Keeps a table's block from reaching the settings of the block around it. */
@DslMarker
annotation class PgPropDsl

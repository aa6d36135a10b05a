// Kotlin conveniences for pgprop, kept to where the Java API reads awkwardly from Kotlin.
package dev.pgprop.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Row
import dev.pgprop.dsl.Tx

/** A row from `column to value` pairs: `row("sku" to "SKU-000001", "on_hand" to 5)`. */
fun row(vararg cells: Pair<String, Any?>): Row = Row.of(linkedMapOf(*cells))

/** A dataset built table by table: `dataset { "inventory"(row(...), row(...)) }`. */
fun dataset(build: DatasetBuilder.() -> Unit): Dataset = DatasetBuilder().apply(build).result

class DatasetBuilder internal constructor() {
    internal var result: Dataset = Dataset.empty()

    /** Adds rows to a table: `"inventory"(row(...))`. */
    operator fun String.invoke(vararg rows: Row) {
        rows.forEach { result = result.plus(this, it) }
    }
}

/** The single value of a query, typed: `tx.scalarOf<Long>("select count(*) from inventory")`. */
inline fun <reified T> Tx.scalarOf(sql: String, vararg args: Any?): T? = scalar(sql, *args) as T?

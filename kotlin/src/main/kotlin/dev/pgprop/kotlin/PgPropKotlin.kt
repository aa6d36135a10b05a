// Kotlin conveniences for pgprop, kept to where the Java API reads awkwardly from Kotlin.
package dev.pgprop.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.Row
import dev.pgprop.dsl.Tx

/** A row from `column to value` pairs: `row("sku" to "SKU-000001", "on_hand" to 5)`. */
fun row(vararg cells: Pair<String, Any?>): Row = Row.of(linkedMapOf(*cells))

/** A dataset built table by table: `dataset { "inventory"(row(...), row(...)) }`. */
fun dataset(build: DatasetBuilder.() -> Unit): Dataset = DatasetBuilder().apply(build).result

/** The receiver of [dataset]: each `"table"(rows)` adds rows to that table, in order. */
class DatasetBuilder internal constructor() {
    internal var result: Dataset = Dataset.empty()

    /** Adds rows to a table: `"inventory"(row(...))`. */
    operator fun String.invoke(vararg rows: Row) {
        rows.forEach { result = result.plus(this, it) }
    }

    /** Adds a list of rows to a table: `"inventory"(rows)`. */
    operator fun String.invoke(rows: List<Row>) {
        rows.forEach { result = result.plus(this, it) }
    }
}

/** The single value of a query, typed: `tx.scalarOf<Long>("select count(*) from inventory")`. */
inline fun <reified T> Tx.scalarOf(sql: String, vararg args: Any?): T? = scalar(sql, *args)?.let { castTo<T>(it, sql) }

/** The single value of a query outside a scenario, typed: `db.scalarOf<Long>("select count(*) from inventory")`. */
inline fun <reified T> Db.scalarOf(sql: String, vararg args: Any?): T? {
    val rows = rows(sql, *args)
    require(rows.size == 1 && rows[0].columns().size == 1) {
        "scalarOf expects one row of one column, but '$sql' returned ${rows.size} row(s)" +
            (if (rows.isEmpty()) "" else " of ${rows[0].columns().size} column(s)") + "; select exactly one value"
    }
    return rows[0].get(rows[0].columns().first())?.let { castTo<T>(it, sql) }
}

/** A column's value, typed: `row.valueOf<Int>("on_hand")`. */
inline fun <reified T> Row.valueOf(column: String): T? {
    require(has(column)) { "the row has no column '$column'; its columns are ${columns()}" }
    return get(column)?.let { castTo<T>(it, column) }
}

/** Casts a value read from the database, saying what it was when it is not a [T]. */
@PublishedApi
internal inline fun <reified T> castTo(value: Any, what: String): T =
    value as? T ?: throw ClassCastException(
        "'$what' is a ${value::class.java.name} ($value), not a ${T::class.java.name}; ask for that type or cast in SQL",
    )

// Dataset arbitraries built table by table, for any source of row arbitraries.
package dev.pgprop.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Row
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.Combinators

/**
 * An arbitrary of datasets, one arbitrary of rows per table, combined so that jqwik shrinks every
 * table on its own:
 *
 * ```
 * @Provide
 * fun shop(): Arbitrary<Dataset> = datasets {
 *     "customer"(Arbitraries.integers().between(1, 1000).map { row("id" to it) }, size = 1..5)
 *     "orders"(orderRows())                      // an Arbitrary<List<Row>> of your own
 * }
 * ```
 *
 * The tables load in the order given. This is where arbitraries of other origins plug in: any
 * `Arbitrary<Row>` or `Arbitrary<List<Row>>` (hand-written, or derived from a schema) is one table.
 */
fun datasets(build: DatasetArbitraryBuilder.() -> Unit): Arbitrary<Dataset> =
    DatasetArbitraryBuilder().apply(build).build()

/** The receiver of [datasets]: each `"table"(rows)` adds one table's arbitrary. */
class DatasetArbitraryBuilder internal constructor() {
    private val tables = mutableListOf<Pair<String, Arbitrary<List<Row>>>>()

    /** A table whose rows are drawn as a whole: `"orders"(orderLists)`. */
    operator fun String.invoke(rows: Arbitrary<List<Row>>) {
        require(tables.none { it.first == this }) { "table '$this' is given twice in datasets { }; give each table once" }
        tables += this to rows
    }

    /** A table of `size` rows, each drawn from `row`: `"customer"(customerRow, size = 1..5)`. */
    operator fun String.invoke(row: Arbitrary<Row>, size: IntRange) {
        require(!size.isEmpty() && size.first >= 0) { "size of table '$this' is $size; give a range such as 0..10" }
        this(row.list().ofMinSize(size.first).ofMaxSize(size.last))
    }

    internal fun build(): Arbitrary<Dataset> {
        if (tables.isEmpty()) {
            return Arbitraries.just(Dataset.empty())
        }
        val names = tables.map { it.first }
        return Combinators.combine(tables.map { it.second }).`as` { drawn ->
            names.indices.fold(Dataset.empty()) { d, i -> d.with(names[i], drawn[i]) }
        }
    }
}

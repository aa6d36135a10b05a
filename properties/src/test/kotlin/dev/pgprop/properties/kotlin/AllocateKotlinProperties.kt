package dev.pgprop.properties.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.ErrorClass
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.Invariants.invariant
import dev.pgprop.dsl.Invariants.noRows
import dev.pgprop.dsl.Invariants.noTrace
import dev.pgprop.dsl.PgProperties
import dev.pgprop.kotlin.dataset
import dev.pgprop.kotlin.row
import dev.pgprop.kotlin.scalarOf
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import net.jqwik.api.constraints.IntRange
import org.assertj.core.api.Assertions.assertThat
import org.jdbi.v3.core.transaction.TransactionIsolationLevel
import java.util.UUID

/** Properties of allocate() written in Kotlin with the DSL: trailing lambdas, no backticks. */
@PgProperties
class AllocateKotlinProperties {

    @Provide
    fun stock(): Arbitrary<Dataset> =
        Arbitraries.integers().between(0, 30).list().ofMinSize(1).ofMaxSize(3).map { onHand ->
            dataset {
                onHand.forEachIndexed { i, units ->
                    "inventory"(row("sku" to "SKU-%06d".format(i + 1), "on_hand" to units))
                }
            }
        }

    @Property(tries = 100)
    fun concurrentAllocateNeverOversells(
        @ForAll("stock") data: Dataset,
        @ForAll @IntRange(min = 1, max = 12) quantity: Int,
        @ForAll @IntRange(min = 2, max = 4) sessions: Int,
        db: Db,
    ) {
        val outcome = db.given(data)
            .whenConcurrently(sessions) { tx -> tx.call("allocate", "SKU-000001", quantity) }
            .allowing(ErrorClass.RAISED)
            .then(
                noRows("select * from inventory where allocated > on_hand"),
                constraintsHold(),
                invariant("allocated is the sum of live allocations") { ctx ->
                    val drift = ctx.rows(
                        "select i.sku from inventory i where i.allocated <> (select coalesce(sum(a.quantity), 0)" +
                            " from allocations a where a.sku = i.sku and a.status <> 'cancelled')",
                    )
                    assertThat(drift).isEmpty()
                },
            )
        val onHand = data.rows("inventory").first().get("on_hand") as Int
        // exactly as many sessions win as the stock allows, the rest are refused with 'out of stock'
        assertThat(outcome.committed()).isEqualTo(minOf(sessions, onHand / quantity).toLong())
    }

    @Property(tries = 100)
    fun aRolledBackAllocationLeavesNoTrace(
        @ForAll("stock") data: Dataset,
        @ForAll @IntRange(min = 1, max = 5) quantity: Int,
        db: Db,
    ) {
        db.given(data)
            .whenRolledBack { tx ->
                val free = tx.scalarOf<Int>("select on_hand - allocated from inventory where sku = 'SKU-000001'")
                if (free != null && free >= quantity) {
                    val id = tx.call("allocate", "SKU-000001", quantity) as UUID
                    tx.execute("update allocations set status = 'cancelled' where id = ?", id)
                }
            }
            .atLevel(TransactionIsolationLevel.REPEATABLE_READ)
            .then(noTrace(), constraintsHold())
    }
}

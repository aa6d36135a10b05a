package dev.pgprop.properties.roles

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.Invariants.noTrace
import dev.pgprop.dsl.Invariants.rejectedWith
import dev.pgprop.dsl.Invariants.roleSees
import dev.pgprop.dsl.PgProperties
import dev.pgprop.dsl.Role
import dev.pgprop.dsl.Row
import dev.pgprop.generators.DatasetSpec
import dev.pgprop.generators.ReferenceArbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.GenerationMode
import net.jqwik.api.Property
import net.jqwik.api.Provide
import org.assertj.core.api.Assertions.assertThat

/** Roles with request claims from Kotlin: trailing lambdas after the role, bulk writes, role invariants. */
@PgProperties
class RoleKotlinProperties {

    @Provide
    fun payments(): Arbitrary<Dataset> = ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 3))

    /** authenticated can insert no payment, not even its own (the only policy is for SELECT). */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    fun authenticatedCannotInsertEvenItsOwnPayment(@ForAll("payments") data: Dataset, db: Db) {
        val owner = RoleProperties.owner(0)
        val user = Role.named("authenticated").withClaim("sub", owner)
        val allocation = data.rows("allocations").firstOrNull()?.get("id") ?: return
        db.given(data)
            .whenCommittedAs(user) { tx ->
                tx.insertAll(
                    "payments",
                    listOf(
                        Row.of(
                            "id", java.util.UUID.randomUUID(), "allocation_id", allocation, "owner_id", owner,
                            "amount_cents", 100L, "currency", "EUR", "status", "pending", "idempotency_key", "kotlin-1",
                        ),
                    ),
                )
            }
            .then(
                rejectedWith("42501"),
                noTrace(),
                roleSees(user, "select id from payments", "select id from payments where owner_id = '$owner'"),
                constraintsHold(),
            )
        assertThat(user.claims()).containsEntry("sub", owner.toString())
    }
}

package dev.pgprop.kotlin

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.ErrorClass
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.Invariants.noTrace
import dev.pgprop.dsl.PgProperties
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import net.jqwik.api.constraints.IntRange
import org.assertj.core.api.Assertions.assertThat

/** The helpers against a real database, on a schema of this module's own. */
@PgProperties(migrations = ["classpath:pgprop-kotlin-test"])
class AccountProperties {
    @Provide
    fun accounts(): Arbitrary<Dataset> = datasets {
        "account"(
            Arbitraries.integers().between(0, 100).list().uniqueElements().ofMinSize(1).ofMaxSize(4).map { balances ->
                balances.mapIndexed { i, b -> row("id" to i + 1, "owner" to "owner-${i + 1}", "balance" to b) }
            },
        )
    }

    @Property(tries = 20)
    fun aWithdrawalBeyondTheBalanceIsRefusedAndLeavesNoTrace(
        @ForAll("accounts") data: Dataset,
        @ForAll @IntRange(min = 1, max = 200) amount: Int,
        db: Db,
    ) {
        val balance = data.rows("account").first().valueOf<Int>("balance")!!
        assertThat(db.scalarOf<Long>("select count(*) from account")).`as`("a clean state before the try").isEqualTo(0L)
        val outcome = db.given(data)
            .whenRolledBack { tx ->
                assertThat(tx.scalarOf<Long>("select count(*) from account")).isEqualTo(data.rowCount("account").toLong())
                tx.execute("update account set balance = balance - ? where id = 1", amount)
                assertThat(tx.scalarOf<Int>("select balance from account where id = 1")).isEqualTo(balance - amount)
            }
            .allowing(ErrorClass.CHECK_VIOLATION)
            .then(noTrace(), constraintsHold())
        assertThat(outcome.failed(ErrorClass.CHECK_VIOLATION)).isEqualTo(amount > balance)
    }
}

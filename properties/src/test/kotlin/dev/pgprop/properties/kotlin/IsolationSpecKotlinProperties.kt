package dev.pgprop.properties.kotlin

import dev.pgprop.dsl.Db
import dev.pgprop.dsl.PgProperties
import dev.pgprop.dsl.concurrency.IsolationOracle
import dev.pgprop.dsl.concurrency.IsolationSpec
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide
import org.assertj.core.api.Assertions.assertThat
import java.nio.file.Path
import java.util.Optional

/** The allocate() isolation spec from Kotlin: load, run, and a property with a custom oracle as a lambda. */
@PgProperties
class IsolationSpecKotlinProperties {
    private val spec = IsolationSpec.load(Path.of("src/test/resources/isolation/allocate.spec"))

    // a custom oracle: the second allocation of the last free units never succeeds while the first holds them
    private val property = spec.property(IsolationOracle.allOf(
        IsolationOracle.noDeadlockExcept(),
        IsolationOracle { outcome, _ ->
            val winners = outcome.steps().filter { (it.step() == "a1" || it.step() == "a2") && !it.failed() }
            if (winners.size == 2 && outcome.steps().none { it.step() == "r1" && !it.failed() }) {
                Optional.of("both allocations of 2 units from 3 succeeded: $winners")
            } else {
                Optional.empty()
            }
        }))

    @Property(tries = 1)
    fun theSpecRunsFromKotlin(db: Db) {
        val run = spec.run(db, listOf(spec.permutation("b1 b2 a1 a2 c1 c2 q2")))
        val p = run.permutations().single()
        assertThat(p.step(3).waited()).isTrue()
        assertThat(p.step(3).error().map { it.sqlState() }).hasValue("P0001")
    }

    @Provide
    fun permutations(): Arbitrary<IsolationSpec.Permutation> = property.permutations()

    @Property(tries = 8)
    fun neverTwoWinners(@ForAll("permutations") p: IsolationSpec.Permutation, db: Db) {
        property.check(db, p)
    }
}

package dev.pgprop.kotlin

import net.jqwik.api.Arbitraries
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test

class BuildersTest {
    @Test
    fun rowsAndDatasetsKeepTheOrderGiven() {
        val d = dataset {
            "account"(row("id" to 1, "owner" to "ann", "balance" to 5), row("id" to 2, "owner" to "bob", "balance" to 0))
            "transfer"(listOf(row("id" to 1, "source" to 1, "amount" to 3)))
        }
        assertThat(d.tables()).containsExactly("account", "transfer")
        assertThat(d.rowCount("account")).isEqualTo(2)
        assertThat(d.rows("account")[0].columns()).containsExactly("id", "owner", "balance")
        assertThat(d.rows("transfer")[0].valueOf<Int>("amount")).isEqualTo(3)
    }

    @Test
    fun aValueOfAnotherTypeOrAMissingColumnSaysWhat() {
        val r = row("id" to 1, "owner" to null)
        assertThat(r.valueOf<String>("owner")).isNull()
        assertThatThrownBy { r.valueOf<String>("id") }
            .isInstanceOf(ClassCastException::class.java)
            .hasMessageContaining("java.lang.Integer (1), not a java.lang.String")
        assertThatThrownBy { r.valueOf<Int>("balance") }
            .isInstanceOf(IllegalArgumentException::class.java)
            .hasMessageContaining("no column 'balance'")
    }

    @Test
    fun datasetArbitrariesDrawEveryTableWithinItsSize() {
        val arb = datasets {
            "account"(Arbitraries.integers().between(1, 9).map { row("id" to it) }, size = 1..3)
            "transfer"(Arbitraries.just(listOf(row("id" to 1))))
        }
        arb.sampleStream().limit(50).forEach { d ->
            assertThat(d.tables()).containsExactly("account", "transfer")
            assertThat(d.rowCount("account")).isBetween(1, 3)
            assertThat(d.rowCount("transfer")).isEqualTo(1)
        }
        assertThat(datasets { }.sample().isEmpty()).isTrue()
    }

    @Test
    fun aTableGivenTwiceOrAnEmptySizeIsRefused() {
        assertThatThrownBy { datasets { "a"(Arbitraries.just(listOf())); "a"(Arbitraries.just(listOf())) } }
            .hasMessageContaining("table 'a' is given twice")
        assertThatThrownBy { datasets { "a"(Arbitraries.just(row("id" to 1)), size = 3..1) } }
            .hasMessageContaining("size of table 'a' is 3..1")
    }
}

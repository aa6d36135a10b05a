package dev.pgprop.properties.kotlin

import dev.pgprop.dsl.Db
import dev.pgprop.dsl.vector.Distance
import dev.pgprop.dsl.vector.ExactSearch
import dev.pgprop.dsl.Invariants.invariant
import dev.pgprop.dsl.vector.VectorInvariants.recallAtLeast
import dev.pgprop.dsl.PgProperties
import dev.pgprop.dsl.vector.VectorRecall
import dev.pgprop.kotlin.dataset
import dev.pgprop.kotlin.row
import net.jqwik.api.Example
import org.assertj.core.api.Assertions.assertThat

/** The vector API from Kotlin: the oracle and the recall invariant with trailing lambdas and plain names. */
@PgProperties(session = ["hnsw.iterative_scan=relaxed_order"])
class VectorKotlinProperties {
    private val dim = 32

    private fun unit(i: Int) = FloatArray(dim).also { it[i % dim] = 1f; it[(i + 1) % dim] = 0.5f * (i / dim) }

    @Example
    fun exactAndIndexedSearchAgree(db: Db) {
        val data = dataset { "vectors"(*Array(40) { i -> row("id" to "k-%03d".format(i), "embedding" to unit(i)) }) }
        val queries = List(10) { unit(it * 3) }
        db.given(data).then(
            invariant("the oracle agrees with an exact scan") { ctx ->
                ctx.handle().execute("set local enable_indexscan = off")
                val oracle = ExactSearch.load(ctx.handle(), "select id, embedding from vectors", Distance.COSINE)
                for (q in queries) {
                    val ids = ctx.handle().createQuery("select id from vector_search(:q, 5)").bind("q", q)
                        .mapTo(String::class.java).list()
                    assertThat(oracle.mismatch(q, 5, ids, ExactSearch.DEFAULT_EPSILON)).isEmpty()
                }
                ctx.handle().execute("set local enable_indexscan = on")
            },
            recallAtLeast(
                VectorRecall.of("select id, embedding from vectors", Distance.COSINE)
                    .withSearch("select id from vector_search(:query, :k)")
                    .withQueries(queries)
                    .withThreshold(0.9)
                    .withParameters("hnsw defaults")
            )
        )
    }
}

package com.example.notes

import dev.pgprop.dsl.Dataset
import dev.pgprop.dsl.Db
import dev.pgprop.dsl.ErrorClass
import dev.pgprop.dsl.Invariants.constraintsHold
import dev.pgprop.dsl.Invariants.noRows
import dev.pgprop.dsl.Invariants.noTrace
import dev.pgprop.dsl.MigrationSet
import dev.pgprop.dsl.PgProperties
import dev.pgprop.kotlin.dataset
import dev.pgprop.kotlin.row
import dev.pgprop.kotlin.scalarOf
import dev.pgprop.kotlin.schemaDatasets
import net.jqwik.api.Arbitraries
import net.jqwik.api.Arbitrary
import net.jqwik.api.ForAll
import net.jqwik.api.Property
import net.jqwik.api.Provide

/** Properties of the notes schema in src/test/resources/db/migration (pgprop's default location). */
@PgProperties
class NoteProperties {

    /** One to five notes, each with up to three distinct lower-case tags. */
    @Provide
    fun notes(): Arbitrary<Dataset> {
        val tagNames = Arbitraries.of("work", "home", "idea", "todo", "later").set().ofMaxSize(3)
        return tagNames.list().ofMinSize(1).ofMaxSize(5).map { notes ->
            dataset {
                "note"(notes.indices.map { i -> row("id" to i + 1, "body" to "note ${i + 1}") })
                "tag"(notes.flatMapIndexed { i, names -> names.map { row("note_id" to i + 1, "name" to it) } })
            }
        }
    }

    /** Notes and tags drawn from the catalog alone: ids, bodies and tag names within their CHECKs. */
    @Provide
    fun drawnNotes(): Arbitrary<Dataset> = schemaDatasets(MigrationSet.fromConfig()) {
        rows(1..4)
        "tag" { rows(0..6) }
    }

    @Property(tries = 20)
    fun deletingEveryNoteLeavesNoTag(@ForAll("drawnNotes") data: Dataset, db: Db) {
        db.given(data)
            .whenCommitted { tx -> tx.execute("delete from note") }
            .then(noRows("select * from tag"), constraintsHold())
    }

    @Property(tries = 30)
    fun deletingANoteTakesItsTagsWithIt(@ForAll("notes") data: Dataset, db: Db) {
        db.given(data)
            .whenCommitted { tx ->
                check(tx.scalarOf<Long>("select count(*) from tag") == data.rowCount("tag").toLong()) { "the dataset's tags are loaded" }
                tx.execute("delete from note where id = 1")
            }
            .then(noRows("select * from tag where note_id not in (select id from note)"), constraintsHold())
    }

    @Property(tries = 30)
    fun aTagTwiceOnOneNoteIsRefusedAndLeavesNoTrace(@ForAll("notes") data: Dataset, db: Db) {
        db.given(data)
            .whenRolledBack { tx ->
                tx.execute("insert into tag (note_id, name) values (1, 'dup') on conflict do nothing")
                tx.execute("insert into tag (note_id, name) values (1, 'dup')")
            }
            .allowing(ErrorClass.UNIQUE_VIOLATION)
            .then(noTrace(), constraintsHold())
    }

    @Property(tries = 20)
    fun anUpperCaseTagIsRefused(@ForAll("notes") data: Dataset, db: Db) {
        val outcome = db.given(data)
            .whenCommitted { tx -> tx.execute("insert into tag (note_id, name) values (1, 'Work')") }
            .allowing(ErrorClass.CHECK_VIOLATION)
            .then(noRows("select * from tag where name <> lower(name)"))
        check(outcome.failed(ErrorClass.CHECK_VIOLATION)) { "the upper-case tag was refused by its CHECK" }
    }
}

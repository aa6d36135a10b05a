package com.example.library;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.scalar;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.schema.SchemaArbitraries;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the library schema in src/test/resources/db/migration (pgprop's default location). */
@PgProperties
class LibraryProperties {

    /** One to four books, each with 0 to 5 copies. */
    @Provide
    Arbitrary<Dataset> shelves() {
        return Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(4).map(copies -> {
            List<Row> books = new ArrayList<>();
            for (int i = 0; i < copies.size(); i++) {
                books.add(Row.of("id", i + 1, "title", "Book " + (i + 1), "copies", copies.get(i)));
            }
            return Dataset.of("book", books);
        });
    }

    /** One to four books drawn from the catalog alone: ids, titles and copies within their CHECKs. */
    @Provide
    Arbitrary<Dataset> drawnShelves() {
        return SchemaArbitraries.fromConfig().tables("book").withRows(1, 4);
    }

    @Property(tries = 30)
    void aBorrowTakesACopyWhenOneIsLeftAndIsRefusedOtherwise(@ForAll("drawnShelves") Dataset data, Db db) {
        Row first = data.rows("book").get(0);
        int copies = (Integer) first.get("copies");
        db.given(data)
                .whenCommitted(tx -> tx.call("borrow", first.get("id"), "reader"))
                .allowing(ErrorClass.RAISED)
                .then(scalar("select count(*) from loan").isEqualTo(copies > 0 ? 1 : 0),
                        noRows("select * from book where copies < 0"),
                        constraintsHold());
    }

    @Property(tries = 30)
    void concurrentBorrowersNeverTakeMoreCopiesThanTheShelfHolds(@ForAll("shelves") Dataset data,
            @ForAll @IntRange(min = 2, max = 4) int borrowers, Db db) {
        int onShelf = (Integer) data.rows("book").get(0).get("copies");
        db.given(data)
                .whenConcurrently(borrowers, tx -> tx.call("borrow", 1, "reader-" + tx.session()))
                .allowing(ErrorClass.RAISED)                     // 'no copy is left' is an expected outcome
                .then(noRows("select * from book where copies < 0"),
                        scalar("select count(*) from loan where book_id = 1").isEqualTo(Math.min(borrowers, onShelf)),
                        constraintsHold());
    }

    @Property(tries = 30)
    void aBorrowThatIsRolledBackLeavesNoTrace(@ForAll("shelves") Dataset data, Db db) {
        db.given(data)
                .whenRolledBack(tx -> tx.call("borrow", 1, "reader"))
                .allowing(ErrorClass.RAISED)
                .then(noTrace(), constraintsHold());
    }

    @Property(tries = 20)
    void aLoanOfABookThatDoesNotExistIsRefused(@ForAll("shelves") Dataset data, Db db) {
        db.given(data)
                .whenCommitted(tx -> tx.execute("insert into loan (book_id, borrower) values (999, 'x')"))
                .allowing(ErrorClass.FOREIGN_KEY_VIOLATION)
                .then(noRows("select * from loan"), constraintsHold());
    }
}

package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * The tries of one property: each starts in the mode the previous one ended in, and a DELETE try's
 * cleanup travels with the next try's load. Whatever a try needs beyond what was remembered, and
 * whatever it leaves behind (committed rows, a prepared transaction, session settings), the next
 * try starts clean.
 */
class DeferredCleanupTest {
    static final Dataset ONE = Dataset.empty().plus("widget", Row.of("id", 1, "label", "one"))
            .plus("part", Row.of("id", 10, "widget_id", 1, "weight", 5));
    static final Dataset TWO = Dataset.empty().plus("widget", Row.of("id", 2, "label", "two"));

    @Test
    void aTryAfterACommittingTryStartsInDeleteAndSeesOnlyItsOwnRows() throws Exception {
        try (TryHarness h = new TryHarness("DeferredFirst").remembering()) {
            h.tryOnce(db -> {
                db.handle();
                assertThat(db.isolationInUse()).as("the first try decides from what it does").isEqualTo("ROLLBACK");
                db.given(ONE).whenCommitted(tx -> tx.execute("insert into widget (id, label) values (3, 'c')")).run();
                assertThat(db.isolationInUse()).isEqualTo("DELETE");
            });
            h.tryOnce(db -> {
                db.given(TWO).whenCommitted(tx -> tx.execute("set application_name = 'next'")).run();
                assertThat(db.isolationInUse()).isEqualTo("DELETE");
                assertThat(db.rows("select id from widget order by id")).containsExactly(Row.of("id", 2));
                assertThat(db.rows("select count(*) as n from part")).containsExactly(Row.of("n", 0L));
            });
            h.tryOnce(db -> {
                db.handle();
                assertThat(db.isolationInUse()).as("remembered: the property's tries commit").isEqualTo("DELETE");
                assertThat(db.rows("select count(*) as n from widget")).containsExactly(Row.of("n", 0L));
                assertThat(db.rows("show application_name").get(0).get("application_name")).isEqualTo("pgprop");
            });
            h.tryOnce(db -> {
                db.handle();
                assertThat(db.isolationInUse()).as("the try before needed no commit, though it ran in DELETE").isEqualTo("ROLLBACK");
            });
            assertThat(h.count("widget") + h.count("part")).isZero();
        }
    }

    @Test
    void aTryThatNeedsMoreThanRememberedIsStillCleaned() throws Exception {
        try (TryHarness h = new TryHarness("DeferredMore").remembering()) {
            h.tryOnce(db -> db.given(ONE).whenRolledBack(tx -> tx.execute("delete from part")).run());
            h.tryOnce(db -> {
                db.given(ONE).run();
                assertThat(db.isolationInUse()).as("remembered from a rolled-back try").isEqualTo("ROLLBACK");
                // planted: a commit on a side session, and a committing scenario after the rolled-back start
                db.jdbi().useHandle(o -> o.execute("insert into widget (id, label) values (8, 'side')"));
                db.scenario().whenCommitted(tx -> tx.execute("insert into widget (id, label) values (9, 'late')")).run();
                assertThat(db.isolationInUse()).isEqualTo("DELETE");
            });
            h.tryOnce(db -> assertThat(db.rows("select id from widget")).isEmpty());
            h.tryOnce(db -> {
                db.given(TWO).run();
                assertThat(db.rows("select id from widget")).containsExactly(Row.of("id", 2));
            });
            assertThat(h.count("widget") + h.count("part")).isZero();
        }
    }

    @Test
    void aPendingCleanupRunsEvenWhenTheNextLoadFailsOrAPreparedTransactionIsOpen() throws Exception {
        try (TryHarness h = new TryHarness("DeferredFail").remembering()) {
            h.tryOnce(db -> db.given(ONE).whenCommitted(tx -> tx.execute("insert into widget (id, label) values (3, 'c')")).run());
            Dataset bad = TWO.plus("part", Row.of("id", 11, "widget_id", 2, "weight", -3));
            h.tryOnce(db -> {
                DatasetLoadException e = catchThrowableOfType(DatasetLoadException.class,
                        () -> db.given(bad).whenCommitted(tx -> { }).run());
                assertThat(e).isNotNull();
                assertThat(e.table()).isEqualTo("part");
                assertThat(e.error().constraint()).isEqualTo("part_weight_check");
                assertThat(db.rows("select id from widget")).as("the previous try's rows are gone all the same").isEmpty();
            });
            h.tryOnce(db -> {
                db.given(ONE).whenCommitted(tx -> { }).run();
                db.jdbi().useHandle(o -> o.execute("begin; insert into widget (id, label) values (5, 'p'); prepare transaction 'pgprop_planted'"));
            });
            h.tryOnce(db -> {
                db.given(TWO).whenCommitted(tx -> { }).run();
                assertThat(db.rows("select id from widget")).containsExactly(Row.of("id", 2));
                assertThat(db.rows("select count(*) as n from pg_prepared_xacts where database = current_database()"))
                        .containsExactly(Row.of("n", 0L));
            });
            assertThat(h.count("widget")).isZero();
        }
    }
}

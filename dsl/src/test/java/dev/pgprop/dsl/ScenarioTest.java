package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgprop.dsl.internal.engine.EngineConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenarios: the isolation rule, loading, steps, concurrency, timeouts. */
class ScenarioTest {
    private static TryHarness h;

    private static final Dataset DATA = Dataset.empty()
            // children first on purpose: loading follows the catalog's foreign keys, not this order
            .plus("part", Row.of("id", 10, "widget_id", 1, "weight", 5))
            .plus("widget", Row.of("id", 1, "label", "one"));

    @BeforeAll
    static void start() {
        h = new TryHarness("ScenarioTest");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void theRuleRollsBackWhatCanAndDeletesWhatCommits() throws Exception {
        h.tryOnce(db -> {
            db.given(DATA).whenRolledBack(tx -> tx.execute("delete from part")).then(scalar("select count(*) from part").isEqualTo(1));
            assertThat(db.isolationInUse()).isEqualTo("ROLLBACK");
        });
        assertThat(h.count("widget")).isZero();
        h.tryOnce(db -> {
            db.given(DATA).whenCommitted(tx -> tx.execute("delete from part")).then(scalar("select count(*) from part").isEqualTo(0));
            assertThat(db.isolationInUse()).isEqualTo("DELETE");
        });
        assertThat(h.count("widget")).isZero();
        h.tryOnce(db -> {
            db.given(DATA).whenConcurrently(2, tx -> tx.scalar("select count(*) from part")).run();
            assertThat(db.isolationInUse()).isEqualTo("DELETE");
        });
        h.tryOnce(db -> {
            db.given(DATA).run();
            assertThat(db.isolationInUse()).isEqualTo("ROLLBACK");
            db.scenario().whenCommitted(tx -> tx.execute("insert into widget (id, label) values (2, 'two')")).run();
            assertThat(db.isolationInUse()).as("promoted by a later committing scenario").isEqualTo("DELETE");
            assertThat(db.rows("select id from widget order by id")).containsExactly(Row.of("id", 1), Row.of("id", 2));
        });
        assertThat(h.count("widget") + h.count("part")).isZero();
    }

    @Test
    void aForcedRollbackRefusesAScenarioThatCommits() throws Exception {
        try (TryHarness forced = new TryHarness("ForcedRollback", Isolation.ROLLBACK,
                new EngineConfig(Isolation.ROLLBACK, "30s", "10s", false))) {
            ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> forced.tryOnce(db ->
                    db.given(DATA).whenCommitted(tx -> tx.execute("delete from part")).run()));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("isolation ROLLBACK cannot run this scenario").contains("DELETE");
        }
    }

    @Test
    void theTemplateStrategyGivesEachTryAFreshDatabase() throws Exception {
        try (TryHarness t = new TryHarness("TemplateIso", Isolation.TEMPLATE,
                new EngineConfig(Isolation.TEMPLATE, "30s", "10s", false))) {
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < 3; i++) {
                t.tryOnce(db -> {
                    db.given(DATA).whenCommitted(tx -> tx.execute("create table scratch (x int)")).run();
                    names.add((String) db.rows("select current_database() as d").get(0).get("d"));
                    assertThat(db.isolationInUse()).isEqualTo("TEMPLATE");
                });
            }
            assertThat(names).hasSize(3);
            assertThat(t.count("widget")).isZero();
        }
    }

    @Test
    void aFailedLoadNamesTheRowAndLeavesNothing() throws Exception {
        Dataset bad = DATA.plus("part", Row.of("id", 11, "widget_id", 1, "weight", -3));
        for (boolean commits : new boolean[] {false, true}) {
            h.tryOnce(db -> {
                Scenario s = db.given(bad);
                DatasetLoadException e = catchThrowableOfType(DatasetLoadException.class,
                        () -> (commits ? s.whenCommitted(tx -> { }) : s).run());
                assertThat(e).isNotNull();
                assertThat(e.table()).isEqualTo("part");
                assertThat(e.rowIndex()).isEqualTo(1);
                assertThat(e.row()).isEqualTo(Row.of("id", 11, "widget_id", 1, "weight", -3));
                assertThat(e.error().constraint()).isEqualTo("part_weight_check");
                assertThat(e.getMessage()).contains("row 2 of part").contains("Nothing of the dataset was loaded");
                assertThat(db.rows("select * from widget")).isEmpty();
            });
        }
        assertThat(h.count("widget")).isZero();
    }

    @Test
    void stepsRunAtTheirLevelAndConcurrentSessionsAreSeparate() throws Exception {
        h.tryOnce(db -> {
            Outcome o = db.given(DATA)
                    .whenCommitted(tx -> assertThat(
                            tx.scalar("show transaction_isolation")).isEqualTo("serializable"))
                    .atLevel(TransactionIsolationLevel.SERIALIZABLE)
                    .whenConcurrently(3, tx -> {
                        assertThat(tx.scalar("show transaction_isolation")).isEqualTo("repeatable read");
                        tx.execute("insert into part (id, widget_id, weight) select 100 + ?, 1, pg_backend_pid() % 1000 + 1",
                                tx.session());
                    })
                    .atLevel(TransactionIsolationLevel.REPEATABLE_READ)
                    .run();
            assertThat(o.results()).hasSize(4);
            assertThat(o.committed()).isEqualTo(4);
            assertThat(db.rows("select count(distinct id) as n from part where id >= 100").get(0).get("n")).isEqualTo(3L);
        });
    }

    @Test
    void concurrentSessionsRaceForTheLastUnitAndOneLoses() throws Exception {
        h.tryOnce(db -> {
            Outcome o = db.given(Dataset.of("widget", List.of(Row.of("id", 1, "label", "stock"))))
                    .whenConcurrently(2, tx -> {
                        Object label = tx.scalar("select label from widget where id = 1 for update");
                        if (!"stock".equals(label)) {
                            tx.execute("do $$ begin raise exception 'out of stock'; end $$");
                        }
                        tx.execute("update widget set label = 'taken' where id = 1");
                    })
                    .allowing(ErrorClass.RAISED)
                    .then(scalar("select count(*) from widget where label = 'taken'").isEqualTo(1));
            assertThat(o.committed()).isEqualTo(1);
            assertThat(o.failed(ErrorClass.RAISED)).isTrue();
        });
    }

    @Test
    void aHungActionFailsWithAClassifiedTimeout() throws Exception {
        try (TryHarness quick = new TryHarness("Timeouts", Isolation.AUTO, new EngineConfig(Isolation.AUTO, "3s", "200ms", false))) {
            ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> quick.tryOnce(db ->
                    db.scenario().whenRolledBack(tx -> tx.execute("select pg_sleep(30)")).run()));
            assertThat(e).isNotNull();
            assertThat(e.error().errorClass()).isEqualTo(ErrorClass.STATEMENT_TIMEOUT);
            ScenarioException lock = catchThrowableOfType(ScenarioException.class, () -> quick.tryOnce(db ->
                    db.given(DATA).whenConcurrently(2, tx -> {
                        tx.execute("lock table widget in exclusive mode");
                        // held far longer than the lock timeout, so that the sessions overlap on a busy machine
                        tx.execute("select pg_sleep(2.5)");
                    }).run()));
            assertThat(lock).isNotNull();
            assertThat(lock.error().errorClass()).isIn(ErrorClass.LOCK_TIMEOUT, ErrorClass.STATEMENT_TIMEOUT);
            quick.tryOnce(db -> assertThat(db.rows("show statement_timeout").get(0).get("statement_timeout")).isEqualTo("3s"));
        }
    }

    @Test
    void aCrashedTryLeavesTheNextOneClean() throws Exception {
        IllegalStateException boom = catchThrowableOfType(IllegalStateException.class, () -> h.tryOnce(db -> {
            db.given(DATA).whenCommitted(tx -> tx.execute("insert into widget (id, label) values (7, 'x')")).run();
            db.jdbi().useHandle(o -> o.execute("set application_name = 'leaky'; insert into widget (id, label) values (8, 'y')"));
            throw new IllegalStateException("the property crashed");
        }));
        assertThat(boom).hasMessage("the property crashed");
        h.tryOnce(db -> {
            assertThat(db.rows("select * from widget")).isEmpty();
            assertThat(db.rows("show application_name").get(0).get("application_name")).isEqualTo("pgprop");
            assertThat(db.rows("show statement_timeout").get(0).get("statement_timeout")).isEqualTo("30s");
        });
    }
}

package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.noTrace;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static dev.pgprop.dsl.Invariants.sameRows;
import static dev.pgprop.dsl.Invariants.sameScalar;
import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every built-in invariant fails on a planted violation and holds without it. The plants are
 * the ones DESIGN.md lists: a NOT VALID constraint with a bad row, foreign keys bypassed with
 * session_replication_role = replica, a commit on a second connection inside a rolled-back
 * scenario.
 */
class InvariantsTest {
    private static TryHarness h;

    private static final Dataset WIDGETS = Dataset.empty()
            .plus("widget", Row.of("id", 1, "label", "one"))
            .plus("widget", Row.of("id", 2, "label", "two"))
            .plus("part", Row.of("id", 10, "widget_id", 1, "weight", 5));

    @BeforeAll
    static void start() {
        h = new TryHarness("InvariantsTest");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static InvariantViolationException violated(TryHarness.TryBody body) throws Exception {
        InvariantViolationException[] caught = new InvariantViolationException[1];
        h.tryOnce(db -> caught[0] = catchThrowableOfType(InvariantViolationException.class, () -> body.run(db)));
        assertThat(caught[0]).as("the invariant must fail on the planted violation").isNotNull();
        return caught[0];
    }

    private static final Invariant WIDGET_COUNT_KEPT = Invariant.of("widget count kept",
            ctx -> ctx.scalar("select count(*) from widget"),
            (ctx, before) -> {
                Object after = ctx.scalar("select count(*) from widget");
                return before != null && before.equals(after) ? List.of()
                        : List.of(new Violation("any label", "count " + before + " became " + after, List.of(Row.of("after", after))));
            });

    @Test
    void anInvariantOfCaptureAndCheckComparesBeforeAndAfterAndCarriesItsName() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS).whenCommitted(tx -> tx.execute("update widget set label = 'x'")).then(WIDGET_COUNT_KEPT));
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenCommitted(tx -> tx.execute("delete from widget where id = 2"))
                .then(WIDGET_COUNT_KEPT.named("widgets stay")));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.invariant()).isEqualTo("widgets stay");
            assertThat(v.message()).isEqualTo("count 2 became 1");
        });
        assertThat(Invariant.of("expects", ctx -> { }).expecting(java.util.Set.of(ErrorClass.RAISED)).expectedErrors())
                .containsExactly(ErrorClass.RAISED);
        assertThatThrownBy(() -> Invariant.of(" ", ctx -> { })).hasMessageContaining("must not be blank");
    }

    @Test
    void constraintsHoldFindsARowThatANotValidCheckRefuses() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> { })
                .then(invariant("plant", ctx -> ctx.handle().execute(
                        "alter table part add constraint part_weight_small check (weight < 3) not valid")), constraintsHold()));
        assertThat(e.violations()).hasSize(1);
        assertThat(e.violations().get(0).message()).contains("check part_weight_small on part");
        assertThat(e.violations().get(0).rows()).singleElement()
                .satisfies(r -> assertThat(r.get("row").toString()).contains("\"weight\": 5"));
    }

    @Test
    void constraintsHoldFindsForeignKeysBypassedWithReplicationRoleReplica() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .then(invariant("plant", ctx -> ctx.handle().execute("set local session_replication_role = replica;"
                        + " insert into part (id, widget_id, weight) values (11, 999, 1);"
                        + " set local session_replication_role = origin")), constraintsHold()));
        assertThat(e.getMessage()).contains("foreign key part_widget_id_fkey on part");
        assertThat(e.violations().get(0).rows().get(0).get("row").toString()).contains("\"widget_id\": 999");
    }

    @Test
    void constraintsHoldFindsDuplicatesUnderADeferredUniqueAndNullsUnderABypassedNotNull() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .then(invariant("plant", ctx -> ctx.handle().execute(
                        "alter table widget add constraint widget_label_unique unique (label) deferrable initially deferred;"
                        + " insert into widget (id, label) values (3, 'one');"
                        + " update pg_attribute set attnotnull = true"
                        + "   where attrelid = 'widget'::regclass and attname = 'owner';")), constraintsHold()));
        assertThat(e.getMessage()).contains("unique widget_label_unique on widget");
        assertThat(e.getMessage()).contains("not null widget.owner on widget is violated by 3 row(s)");
    }

    @Test
    void constraintsHoldPassesOnAValidState() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS).whenRolledBack(tx -> tx.execute("delete from part")).then(constraintsHold()));
    }

    @Test
    void noTraceCatchesACommitOnASecondConnectionInsideARolledBackScenario() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> db.jdbi().useHandle(other -> other.execute(
                        "insert into widget (id, label) values (99, 'sneaked')")))
                .then(noTrace()));
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.message()).contains("widget changed: 2 rows before, 3 after");
            assertThat(v.rows()).singleElement().satisfies(r -> {
                assertThat(r.get("change")).isEqualTo("+");
                assertThat(r.get("row").toString()).contains("sneaked");
            });
        });
        assertThat(h.count("widget")).as("the sneaked row is cleaned up after the try").isZero();
    }

    @Test
    void noTraceHoldsForARolledBackScenarioAndReportsSequencesSeparately() throws Exception {
        h.tryOnce(db -> db.given(WIDGETS)
                .whenRolledBack(tx -> {
                    tx.execute("delete from part");
                    tx.execute("update widget set label = 'changed'");
                })
                .then(noTrace()));
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenCommitted(tx -> tx.execute("update widget set label = 'changed' where id = 2"))
                .then(noTrace()));
        assertThat(e.violations().get(0).rows()).extracting(r -> r.get("change")).containsExactly("-", "+");
    }

    @Test
    void noRowsReportsTheRowsAndHoldsWhenThereAreNone() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS).then(noRows("select id, weight from part where weight > 1")));
        assertThat(e.violations().get(0).rows()).containsExactly(Row.of("id", 10, "weight", 5));
        assertThat(e.getMessage()).contains("noRows(select id, weight from part where weight > 1)").contains("| 5");
        h.tryOnce(db -> db.given(WIDGETS).then(noRows("select * from part where weight > 5")));
    }

    @Test
    void sameRowsShowsWhatDiffers() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .then(sameRows("select id from widget", "select widget_id from part")));
        assertThat(e.violations().get(0).rows()).containsExactly(Row.of("side", "only in first", "id", 2));
        h.tryOnce(db -> db.given(WIDGETS).then(sameRows("select id from widget where id = 1", "select widget_id from part")));
    }

    @Test
    void scalarComparisonsFailWithTheValue() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS).then(
                scalar("select count(*) from widget").isEqualTo(3),
                scalar("select count(*) from widget").isAtMost(1),
                scalar("select count(*) from widget").isAtLeast(5),
                scalar("select count(*) from widget").isBetween(3, 4),
                sameScalar("select count(*) from widget", "select count(*) from part")));
        assertThat(e.violations()).hasSize(5);
        assertThat(e.violations().get(0).message()).isEqualTo("the value is 2, expected = 3");
        h.tryOnce(db -> db.given(WIDGETS).then(scalar("select count(*) from widget").isEqualTo(2),
                scalar("select sum(weight) from part").isBetween(5, 5), scalar("select 'x'").isEqualTo("x")));
    }

    @Test
    void rejectedWithFailsWhenNothingWasRejected() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS)
                .whenCommitted(tx -> tx.execute("insert into widget (id, label) values (3, 'fine')"))
                .then(rejectedWith(ErrorClass.UNIQUE_VIOLATION)));
        assertThat(e.violations().get(0).message()).isEqualTo("no transaction was rejected that way");
        h.tryOnce(db -> db.given(WIDGETS)
                .whenCommitted(tx -> tx.execute("insert into widget (id, label) values (1, 'dup')"))
                .then(rejectedWith(ErrorClass.UNIQUE_VIOLATION), rejectedWith("23505"), rejectedWith("23")));
        ScenarioException unexpected = catchThrowableOfType(ScenarioException.class, () -> h.tryOnce(db -> db.given(WIDGETS)
                .whenCommitted(tx -> tx.execute("insert into part (id, widget_id, weight) values (11, 1, -1)"))
                .then(rejectedWith(ErrorClass.UNIQUE_VIOLATION))));
        assertThat(unexpected).isNotNull();
        assertThat(unexpected.error().errorClass()).isEqualTo(ErrorClass.CHECK_VIOLATION);
        assertThat(unexpected.getMessage()).contains("part_weight_check").contains(".allowing(ErrorClass.CHECK_VIOLATION)");
        assertThatThrownBy(() -> rejectedWith("2350")).hasMessageContaining("not a SQLSTATE");
    }

    @Test
    void customInvariantsFailOnAssertionsAndOnFail() throws Exception {
        InvariantViolationException e = violated(db -> db.given(WIDGETS).then(
                invariant("two parts", ctx -> assertThat(ctx.rows("select * from part")).hasSize(2)),
                invariant("explicit", ctx -> ctx.fail("no heavy parts", ctx.rows("select id from part")))));
        assertThat(e.violations()).extracting(Violation::invariant).containsExactly("two parts", "explicit");
        assertThat(e.violations().get(1).rows()).containsExactly(Row.of("id", 10));
        assertThat(noRows("select 1").named("renamed").name()).isEqualTo("renamed");
    }

    @Test
    void anInvariantWithBrokenSqlSaysSoInsteadOfPassing() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> h.tryOnce(db -> db.given(WIDGETS).then(noRows("select * from no_such_table"))));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("could not be checked").contains("no_such_table");
        assertThat(List.of(e)).isNotEmpty();
    }
}

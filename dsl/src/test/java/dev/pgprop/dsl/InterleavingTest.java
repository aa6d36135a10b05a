package dev.pgprop.dsl;

import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;

import dev.pgprop.dsl.InterleavingOutcome.SessionStatus;
import dev.pgprop.dsl.InterleavingOutcome.Status;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interleaved sessions: blocked-step detection, recorded outcomes, errors, deadlocks; retries. */
class InterleavingTest {
    private static TryHarness h;

    private static final Dataset TWO = Dataset.empty()
            .plus("widget", Row.of("id", 1, "label", "one"))
            .plus("widget", Row.of("id", 2, "label", "two"));

    @BeforeAll
    static void start() {
        h = new TryHarness("InterleavingTest");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aStepWaitingForARowLockIsSeenBlockedAndCompletesWhenItsBlockerEnds() throws Exception {
        Interleaving il = Interleaving.of(READ_COMMITTED, "T1", "T2")
                .step("T1", "update widget set label = 't1' where id = 1")     // #0
                .step("T2", "update widget set label = 't2' where id = 1")     // #1 waits for T1's row lock
                .step("T2", "select label from widget where id = 1")           // #2 queued behind #1
                .step("T1", "select label from widget where id = 1")           // #3 runs while T2 waits
                .commit("T1")                                                   // #4 releases T2
                .step("T2", "select label from widget where id = 2")           // #5
                .commit("T2");                                                  // #6
        // repeated: the detection must never depend on timing
        for (int i = 0; i < 10; i++) {
            h.tryOnce(db -> {
                InterleavingOutcome out = db.given(TWO).whenInterleaved(il).run().interleaving();
                StepOutcome blocked = out.step(1);
                assertThat(blocked.blocked()).as(out.toString()).isTrue();
                assertThat(blocked.blockedBy()).containsExactly("T1");
                // released by T1's commit (#4). The woken backend may still show its lock wait for a
                // moment after the commit returns; the scheduler then records the completion after the
                // next step (#5, T2's own, which cannot start before #1 and #2 are done): 4 or 5.
                assertThat(blocked.completedAfter()).as("released by T1's commit, #4").isBetween(4, 5);
                assertThat(blocked.status()).isEqualTo(Status.DONE);
                assertThat(blocked.updateCount()).isEqualTo(1);
                assertThat(out.step(2).completedAfter()).as("queued behind #1").isBetween(4, 5);
                assertThat(out.step(2).completedAfter()).isGreaterThanOrEqualTo(blocked.completedAfter());
                assertThat(out.step(2).rows()).containsExactly(Row.of("label", "t2"));
                assertThat(out.step(3).blocked()).isFalse();
                assertThat(out.step(3).completedAfter()).isEqualTo(3);
                assertThat(out.step(3).rows()).as("T1 reads its own write").containsExactly(Row.of("label", "t1"));
                assertThat(out.step(0).blocked()).isFalse();
                assertThat(out.blockedSteps()).extracting(StepOutcome::index).containsExactly(1);
                assertThat(out.committedSessions()).containsExactly("T1", "T2");
                assertThat(blocked.endedAt()).isGreaterThanOrEqualTo(out.step(4).startedAt());
                assertThat(db.rows("select label from widget where id = 1")).containsExactly(Row.of("label", "t2"));
            });
        }
    }

    @Test
    void eachLevelReadsWhatItShould() throws Exception {
        Interleaving reread = Interleaving.of(REPEATABLE_READ, "T1", "T2")
                .step("T1", "select label from widget where id = 1")
                .step("T2", "update widget set label = 'new' where id = 1")
                .commit("T2")
                .step("T1", "select label from widget where id = 1")
                .commit("T1");
        h.tryOnce(db -> {
            InterleavingOutcome rr = db.given(TWO).whenInterleaved(reread).run().interleaving();
            assertThat(rr.reads("T1")).containsExactly(List.of(Row.of("label", "one")), List.of(Row.of("label", "one")));
        });
        h.tryOnce(db -> {
            InterleavingOutcome rc = db.given(TWO).whenInterleaved(reread.withLevel(READ_COMMITTED)).run().interleaving();
            assertThat(rc.reads("T1")).containsExactly(List.of(Row.of("label", "one")), List.of(Row.of("label", "new")));
            assertThat(rc.session("T1").level()).isEqualTo(READ_COMMITTED);
        });
    }

    @Test
    void anErrorAbortsItsSessionSkipsItsLaterStepsAndIsRecordedWithItsSqlState() throws Exception {
        Interleaving il = Interleaving.of(READ_COMMITTED, "T1", "T2")
                .step("T1", "insert into widget (id, label) values (?, ?)", 3, "three")
                .step("T1", "insert into widget (id, label) values (?, ?)", 1, "dup")   // 23505
                .step("T2", "select count(*) as n from widget")
                .step("T1", "select 1")
                .commit("T1")
                .step("T2", "update widget set label = 'x' where id = 2");             // T2 commits implicitly
        h.tryOnce(db -> {
            ScenarioException e = (ScenarioException) org.assertj.core.api.Assertions.catchThrowable(() ->
                    db.given(TWO).whenInterleaved(il).run());
            assertThat(e.getMessage()).contains("whenInterleaved(T1)", "UNIQUE_VIOLATION", "allowing", "#1");
            assertThat(e.error()).isNotNull();
            assertThat(e.error().sqlState()).isEqualTo("23505");
        });
        h.tryOnce(db -> {
            Outcome o = db.given(TWO).whenInterleaved(il).allowing(ErrorClass.UNIQUE_VIOLATION).run();
            InterleavingOutcome out = o.interleaving();
            assertThat(out.step(1).status()).isEqualTo(Status.FAILED);
            assertThat(out.step(1).error().orElseThrow().sqlState()).isEqualTo("23505");
            assertThat(out.step(3).status()).isEqualTo(Status.SKIPPED);
            assertThat(out.step(4).status()).isEqualTo(Status.SKIPPED);
            assertThat(out.session("T1").status()).isEqualTo(SessionStatus.FAILED);
            assertThat(out.session("T1").failedStep()).isEqualTo(1);
            assertThat(out.sessionsFailedWith(ErrorClass.UNIQUE_VIOLATION)).containsExactly("T1");
            assertThat(out.step(2).rows()).containsExactly(Row.of("n", 2L));
            StepOutcome implicit = out.step(6);
            assertThat(implicit.implicit()).isTrue();
            assertThat(implicit.session()).isEqualTo("T2");
            assertThat(out.committedSessions()).containsExactly("T2");
            assertThat(o.results()).hasSize(2);
            assertThat(o.results().get(0).committed()).isFalse();
            assertThat(o.results().get(1).committed()).isTrue();
            assertThat(db.rows("select id, label from widget order by id"))
                    .containsExactly(Row.of("id", 1, "label", "one"), Row.of("id", 2, "label", "x"));
            assertThat(out.toString()).contains("T1: insert into widget (id, label) values (?, ?) [1, dup]", "UNIQUE_VIOLATION",
                    "skipped", "commit (implicit)");
        });
    }

    @Test
    void aDeadlockAbortsExactlyOneSessionAndTheOutcomeNamesIt() throws Exception {
        Interleaving il = Interleaving.of(READ_COMMITTED, "T1", "T2")
                .withSetting("deadlock_timeout", "50ms")
                .step("T1", "update widget set label = 'a' where id = 1")
                .step("T2", "update widget set label = 'b' where id = 2")
                .step("T1", "update widget set label = 'a' where id = 2")
                .step("T2", "update widget set label = 'b' where id = 1")
                .commit("T1")
                .commit("T2");
        h.tryOnce(db -> {
            InterleavingOutcome out = db.given(TWO).whenInterleaved(il).allowing(ErrorClass.DEADLOCK).run().interleaving();
            List<String> victims = out.sessionsFailedWith(ErrorClass.DEADLOCK);
            assertThat(victims).as(out.toString()).hasSize(1);
            String survivor = victims.get(0).equals("T1") ? "T2" : "T1";
            assertThat(out.committedSessions()).containsExactly(survivor);
            assertThat(out.step(2).blocked()).isTrue();
            assertThat(out.step(3).blocked()).isTrue();
            String expected = survivor.equals("T1") ? "a" : "b";
            assertThat(db.rows("select distinct label from widget")).containsExactly(Row.of("label", expected));
        });
    }

    @Test
    void theSpecIsImmutableAndValidated() {
        Interleaving base = Interleaving.of(SERIALIZABLE, "T1", "T2");
        Interleaving one = base.step("T1", "select 1");
        assertThat(base.size()).isZero();
        assertThat(one.size()).isEqualTo(1);
        assertThat(one.withLevel(READ_COMMITTED).level("T2")).isEqualTo(READ_COMMITTED);
        assertThat(one.level("T2")).isEqualTo(SERIALIZABLE);
        assertThatThrownBy(() -> base.step("T3", "select 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'T3'").hasMessageContaining("[T1, T2]").hasMessageContaining("withSession");
        assertThatThrownBy(() -> base.commit("T1").step("T1", "select 1")).hasMessageContaining("already ended");
        assertThatThrownBy(() -> base.step("T1", "COMMIT")).hasMessageContaining(".commit(\"T1\")");
        assertThatThrownBy(() -> base.step("T1", " begin isolation level serializable")).hasMessageContaining("transaction control");
        assertThat(base.step("T1", "rollback to savepoint a").size()).isEqualTo(1);
        assertThatThrownBy(() -> base.withSession("T1", READ_COMMITTED)).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> base.withSession("1x", READ_COMMITTED)).hasMessageContaining("not valid");
        assertThatThrownBy(() -> base.withSetting("transaction_isolation", "serializable")).hasMessageContaining("withLevel");
        assertThatThrownBy(() -> Interleaving.of(SERIALIZABLE)).hasMessageContaining("at least one session");
        assertThatThrownBy(() -> base.withSession("T9", org.jdbi.v3.core.transaction.TransactionIsolationLevel.NONE))
                .hasMessageContaining("cannot run a transaction");
        assertThat(one.toString()).contains("T1 serializable", "#0 T1: select 1");
    }

    @Test
    void aRetryPolicyRunsTheTransactionAgainAfterASerializationFailure() throws Exception {
        // both sessions read, meet at the barrier (first attempt only), then write the row both read
        Action readThenWrite = barrierAction();
        h.tryOnce(db -> {
            Outcome o = db.given(TWO)
                    .withRetry(Retry.onTransientErrors().withMaxAttempts(5))
                    .whenConcurrently(2, readThenWrite).atLevel(SERIALIZABLE)
                    .run();
            assertThat(o.committed()).isEqualTo(2);
            assertThat(o.results().stream().mapToInt(StepResult::retries).sum()).as(o.results().toString()).isPositive();
            assertThat(db.rows("select label from widget where id = 1")).containsExactly(Row.of("label", "one++"));
        });
        h.tryOnce(db -> {
            Outcome o = db.given(TWO).whenConcurrently(2, barrierAction()).atLevel(SERIALIZABLE)
                    .allowing(ErrorClass.SERIALIZATION_FAILURE).run();
            assertThat(o.committed()).as("without retry one loses").isEqualTo(1);
            assertThat(o.failed(ErrorClass.SERIALIZATION_FAILURE)).isTrue();
        });
        assertThatThrownBy(() -> Retry.onTransientErrors().withMaxAttempts(0)).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> Retry.none().withErrors(ErrorClass.CONNECTION_FAILURE)).hasMessageContaining("never retried");
    }

    private static Action barrierAction() {
        CyclicBarrier barrier = new CyclicBarrier(2);
        return tx -> {
            String label = (String) tx.scalar("select label from widget where id = 1");
            if (tx.attempt() == 1) {
                barrier.await(10, TimeUnit.SECONDS);
            }
            tx.execute("update widget set label = ? where id = 1", label + "+");
        };
    }
}

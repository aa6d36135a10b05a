package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.ScenarioException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;

/**
 * The serial-equivalence check and the repeatable-read check on a schema of their own: each
 * accepts histories that hold and fails on a planted anomaly, with a message that names it.
 */
@PgProperties(migrations = "classpath:pgprop-test/histories")
class SerialEquivalenceTest {
    static final Dataset DOCTORS = Dataset.empty()
            .plus("doctors", Row.of("name", "alice", "on_call", true))
            .plus("doctors", Row.of("name", "bob", "on_call", true));

    /** Two sessions that touch different rows and each append to the ledger (ids from its sequence). */
    static Interleaving disjoint() {
        return Interleaving.of(READ_COMMITTED, "T1", "T2")
                .step("T1", "select id, value from test where id = 1")
                .step("T2", "select id, value from test where id = 2")
                .step("T1", "update test set value = 11 where id = 1")
                .step("T1", "insert into ledger (account, amount) values (1, 1) returning id")
                .step("T2", "update test set value = 21 where id = 2")
                .step("T2", "insert into ledger (account, amount) values (2, 1) returning id")
                .commit("T2")
                .commit("T1");
    }

    @Example
    void aSerializableHistoryIsAccepted(Db db) {
        List<SerialEquivalence.Result> seen = new ArrayList<>();
        db.given(Anomaly.TWO_ROWS).whenInterleaved(disjoint()).then(HistoryInvariants.serialEquivalent(),
                Invariant.of("recorded", ctx -> seen.add(SerialEquivalence.ofEveryTable().check(ctx))));
        SerialEquivalence.Result r = seen.get(0);
        assertThat(r.serializable()).as(r.message()).isTrue();
        // the ledger's ids (1, 2) are what T1 then T2 gives: the replays start from the try's sequences
        assertThat(r.serialOrder()).containsExactly("T1", "T2");
        assertThat(r.misses()).isEmpty();
        // the check left the interleaving's state and sequences as they were
        assertThat(db.rows("select id, account from ledger order by id"))
                .containsExactly(Row.of("id", 1L, "account", 1), Row.of("id", 2L, "account", 2));
        assertThat(db.rows("select nextval('ledger_id_seq') as n")).containsExactly(Row.of("n", 3L));
    }

    @Example
    void theSerialOrderIsFoundWhateverTheDeclarationOrder(Db db) {
        // T3 commits first, T1 reads T3's write, T2 reads T1's: only T3 then T1 then T2 fits
        Interleaving chain = Interleaving.of(READ_COMMITTED, "T1", "T2", "T3")
                .step("T3", "update test set value = 30 where id = 1")
                .commit("T3")
                .step("T1", "select value from test where id = 1")
                .step("T1", "update test set value = 31 where id = 2")
                .commit("T1")
                .step("T2", "select value from test where id = 2")
                .commit("T2");
        List<SerialEquivalence.Result> seen = new ArrayList<>();
        db.given(Anomaly.TWO_ROWS).whenInterleaved(chain).then(HistoryInvariants.serialEquivalent(),
                Invariant.of("recorded", ctx -> seen.add(SerialEquivalence.ofEveryTable().check(ctx))));
        SerialEquivalence.Result r = seen.get(0);
        assertThat(r.serialOrder()).containsExactly("T3", "T1", "T2");
        // T1 first and T2 first are ruled out at their first read, without replaying the rest of the order
        assertThat(r.misses()).extracting(SerialEquivalence.Miss::order).containsExactly(List.of("T1"), List.of("T2"));
        assertThat(r.missed()).isEqualTo(2);
        assertThat(r.replays()).isEqualTo(5);
    }

    @Example
    void lostUpdateAtSerializableIsPreventedAndTheSurvivorIsASerialOrder(Db db) {
        List<SerialEquivalence.Result> seen = new ArrayList<>();
        db.given(Anomaly.TWO_ROWS).whenInterleaved(Anomaly.P4.scenario().withLevel(SERIALIZABLE))
                .then(SerialEquivalence.ofEveryTable().invariant(),
                        Invariant.of("recorded", ctx -> seen.add(SerialEquivalence.ofEveryTable().check(ctx))));
        assertThat(seen.get(0).committed()).containsExactly("T1");
        assertThat(seen.get(0).serialOrder()).containsExactly("T1");
    }

    @Example
    void lostUpdateAtReadCommittedFailsAndIsNamed(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenInterleaved(Anomaly.P4.scenario().withLevel(READ_COMMITTED))
                .then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("serial equivalence: some serial order of the committed sessions gives what they read"
                        + " and the final state: no serial order of the committed sessions [T1, T2] gives what the"
                        + " interleaving gave (2 orders tried, 4 replays): lost update (P4): T1 and T2 each read before the"
                        + " other's write, and both changed test (1,10)")
                .hasMessageContaining("T1 then T2: #1 T2: select id, value from test where id = 1 gave [{id=1, value=10}],"
                        + " serially [{id=1, value=11}]")
                .hasMessageContaining("T2 then T1: #0 T1: select id, value from test where id = 1 gave [{id=1, value=10}],"
                        + " serially [{id=1, value=11}]")
                .hasMessageContaining("interleaving:\n  #0   T1: select id, value from test where id = 1");
    }

    @Example
    void writeSkewAtRepeatableReadFailsAndIsNamed(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenInterleaved(Anomaly.G2_ITEM.scenario().withLevel(REPEATABLE_READ))
                .then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("no serial order of the committed sessions [T1, T2] gives what the interleaving gave"
                        + " (2 orders tried, 4 replays): write skew (G2-item): T1 and T2 each read what the other changes,"
                        + " neither saw the other's change, and they changed different rows")
                .hasMessageContaining("T1 then T2: #1 T2: select id, value from test where id in (1, 2) order by id gave"
                        + " [{id=1, value=10}, {id=2, value=20}], serially [{id=1, value=11}, {id=2, value=20}]");
    }

    @Example
    void writeSkewIsAcceptedAtSerializable(Db db) {
        db.given(Anomaly.TWO_ROWS).whenInterleaved(Anomaly.G2_ITEM.scenario().withLevel(SERIALIZABLE))
                .then(HistoryInvariants.serialEquivalent());
    }

    @Example
    void readSkewAtReadCommittedIsNamed(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenInterleaved(Anomaly.G_SINGLE.scenario().withLevel(READ_COMMITTED))
                .then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("read skew (G-single): T1 saw some of T2's writes and missed others");
    }

    /** Each doctor goes off call only while two are on call: serially the second update changes nothing. */
    static Interleaving offCall() {
        String leave = "update doctors set on_call = false where name = ? and (select count(*) from doctors where on_call) >= 2";
        return Interleaving.of(REPEATABLE_READ, "T1", "T2")
                .step("T1", leave, "alice")
                .step("T2", leave, "bob")
                .commit("T1")
                .commit("T2");
    }

    @Example
    void aFinalStateNoSerialOrderLeavesFailsWhenOnlyTheFinalStateIsCompared(Db db) {
        assertThatThrownBy(() -> db.given(DOCTORS).whenInterleaved(offCall())
                .then(SerialEquivalence.ofEveryTable().tables("doctors").finalStateOnly().invariant()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("serial equivalence: some serial order of the committed sessions gives the final state:")
                .hasMessageContaining("T1 then T2: final doctors: the interleaving left [(bob,f)], serially [(bob,t)]");
    }

    /** The sequence's value T1 consumed is not given back by its rollback: serially T3 gets id 1, not 2. */
    static Interleaving gap() {
        return Interleaving.of(READ_COMMITTED, "T1", "T3")
                .step("T1", "insert into ledger (account, amount) values (1, 1)")
                .rollback("T1")
                .step("T3", "insert into ledger (account, amount) values (3, 1)")
                .commit("T3");
    }

    @Example
    void aKeyASequenceGaveDiffersSerially(Db db) {
        assertThatThrownBy(() -> db.given(Dataset.empty()).whenInterleaved(gap()).then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("T3: final ledger: the interleaving left [(2,3,1)], serially [(1,3,1)]");
    }

    @Example
    void comparedQueriesLeaveOutWhatAReplayCannotRepeat(Db db) {
        db.given(Dataset.empty()).whenInterleaved(gap())
                .then(SerialEquivalence.ofEveryTable().queries("select account, amount from ledger").invariant());
    }

    @Example
    void aSearchPastItsBudgetCannotPass(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenInterleaved(Anomaly.G2_ITEM.scenario().withLevel(REPEATABLE_READ))
                .then(SerialEquivalence.ofEveryTable().maxReplays(1).invariant()))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("could not be checked")
                .hasMessageContaining("1 session replays found no serial order of [T1, T2] yet (the budget is 1)");
    }

    @Example
    void theInterleavingMustBeTheOnlyStep(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenCommitted(tx -> tx.execute("update test set value = 0"))
                .whenInterleaved(disjoint())
                .then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("the interleaving must be the scenario's only step");
    }

    @Example
    void aSecondScenarioOfTheTryIsRefused(Db db) {
        db.given(Anomaly.TWO_ROWS).whenCommitted(tx -> tx.execute("update test set value = 0")).run();
        assertThatThrownBy(() -> db.given(Dataset.empty()).whenInterleaved(disjoint()).then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("this is scenario 2 of the try, which starts from what the earlier ones left");
    }

    /** T1 reads row 1, T2 changes it and commits, T1 reads it again. */
    static Interleaving rereads() {
        return Interleaving.of(READ_COMMITTED, "T1", "T2")
                .step("T1", "select id, value from test where id = ?", 1)
                .step("T2", "update test set value = 12 where id = 1")
                .commit("T2")
                .step("T1", "select id, value from test where id = ?", 1)
                .commit("T1");
    }

    @Example
    void aNonRepeatableReadFailsAtReadCommitted(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS).whenInterleaved(rereads()).then(HistoryInvariants.repeatableReads()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("repeatable read: a session reads the same rows again: T1 read [{id=1, value=10}] at #0"
                        + " and [{id=1, value=12}] at #3 with no write of its own in between: select id, value from test"
                        + " where id = ? [1]");
    }

    @Example
    void readsRepeatAtRepeatableRead(Db db) {
        db.given(Anomaly.TWO_ROWS).whenInterleaved(rereads().withLevel(REPEATABLE_READ)).then(HistoryInvariants.repeatableReads());
    }

    @Example
    void aReadAfterAWriteOfTheSessionsOwnMayDiffer(Db db) {
        Interleaving ownWrite = Interleaving.of(READ_COMMITTED, "T1")
                .step("T1", "select id, value from test where id = 1")
                .step("T1", "update test set value = 13 where id = 1")
                .step("T1", "select id, value from test where id = 1");
        db.given(Anomaly.TWO_ROWS).whenInterleaved(ownWrite).then(HistoryInvariants.repeatableReads());
    }

    @Example
    void aScenarioRunsAfterTheCheckAsBefore(Db db) {
        db.given(Anomaly.TWO_ROWS).whenInterleaved(disjoint()).then(HistoryInvariants.serialEquivalent(),
                Invariant.of("state kept", ctx -> assertThat(ctx.rows("select id, value from test order by id"))
                        .containsExactly(Row.of("id", 1, "value", 11), Row.of("id", 2, "value", 21))));
    }
}

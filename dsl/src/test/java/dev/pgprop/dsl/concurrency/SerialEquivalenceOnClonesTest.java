package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.PgProperties;
import net.jqwik.api.Example;

/** The serial replays on a try that runs in a template clone: the start state is rebuilt in the clone. */
@PgProperties(migrations = "classpath:pgprop-test/histories", isolation = Isolation.TEMPLATE)
class SerialEquivalenceOnClonesTest {

    @Example
    void aSerializableHistoryIsAcceptedInAClone(Db db) {
        db.given(Anomaly.TWO_ROWS).whenInterleaved(SerialEquivalenceTest.disjoint()).then(HistoryInvariants.serialEquivalent());
        assertThat(db.isolationInUse()).isEqualTo("TEMPLATE");
    }

    @Example
    void aLostUpdateIsCaughtInAClone(Db db) {
        assertThatThrownBy(() -> db.given(Anomaly.TWO_ROWS)
                .whenInterleaved(Anomaly.P4.scenario().withLevel(READ_COMMITTED))
                .then(HistoryInvariants.serialEquivalent()))
                .isInstanceOf(InvariantViolationException.class)
                .hasMessageContaining("lost update (P4): T1 and T2 each read before the other's write, and both changed"
                        + " test (1,10)");
    }
}

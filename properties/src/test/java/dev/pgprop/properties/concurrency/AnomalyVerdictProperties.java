package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.concurrency.Anomaly;
import dev.pgprop.dsl.concurrency.Anomaly.Verdict;
import net.jqwik.api.Example;

/**
 * A cell of the isolation matrix follows what was observed, not the name of the level: the same
 * scenario, run so that the outcome changes, changes the decision.
 */
@PgProperties(migrations = "classpath:concurrency/hermitage")
class AnomalyVerdictProperties {

    @Example
    void lostUpdateIsPreventedExactlyWhenTheSecondWriterFails(Db db) {
        Verdict rr = IsolationMatrix.observe(db, Anomaly.P4, Level.REPEATABLE_READ);
        assertThat(rr.prevented()).as(rr.evidence()).isTrue();
        assertThat(rr.evidence()).contains("T2", "SERIALIZATION_FAILURE");
    }

    @Example
    void lostUpdateOccursWhenOnlyTheSecondWriterRunsAtReadCommitted(Db db) {
        // T1 still at REPEATABLE READ: T2 at READ COMMITTED re-reads the row after T1's commit and writes
        Verdict mixed = IsolationMatrix.observe(db, Anomaly.P4, Anomaly.P4.scenario()
                .withLevel(REPEATABLE_READ).withLevel("T2", READ_COMMITTED));
        assertThat(mixed.occurred()).as(mixed.evidence()).isTrue();
    }

    @Example
    void writeSkewIsPreventedAtSerializable(Db db) {
        Verdict ser = IsolationMatrix.observe(db, Anomaly.G2_ITEM, Level.SERIALIZABLE);
        assertThat(ser.prevented()).as(ser.evidence()).isTrue();
    }

    @Example
    void writeSkewOccursWhenOneOfTheTwoIsNotSerializable(Db db) {
        // T1 is SERIALIZABLE; T2 at REPEATABLE READ takes no predicate locks, so SSI sees only one
        // of the two rw-antidependencies and lets both commit
        Verdict mixed = IsolationMatrix.observe(db, Anomaly.G2_ITEM, Anomaly.G2_ITEM.scenario().withLevel("T2", REPEATABLE_READ));
        assertThat(mixed.occurred()).as(mixed.evidence()).isTrue();
    }

    @Example
    void readSkewDependsOnTheReadersSnapshotOnly(Db db) {
        // the writer's level does not matter: T1 at REPEATABLE READ keeps its snapshot whatever T2 runs at
        Verdict readerRr = IsolationMatrix.observe(db, Anomaly.G_SINGLE, Anomaly.G_SINGLE.scenario()
                .withLevel(READ_COMMITTED).withLevel("T1", REPEATABLE_READ));
        assertThat(readerRr.prevented()).as(readerRr.evidence()).isTrue();
    }

    @Example
    void readSkewOccursWhenTheReaderIsAtReadCommitted(Db db) {
        Verdict readerRc = IsolationMatrix.observe(db, Anomaly.G_SINGLE, Anomaly.G_SINGLE.scenario()
                .withLevel("T1", READ_COMMITTED));
        assertThat(readerRc.occurred()).as(readerRc.evidence()).isTrue();
        assertThat(readerRc.evidence()).contains("2 -> 18");
    }
}

package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;

import dev.pgprop.dsl.concurrency.Anomaly;
import dev.pgprop.dsl.concurrency.Anomaly.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The anomaly catalogue on a schema of its own: a level that allows an anomaly shows it, one that prevents it does not. */
class AnomalyTest {
    private static TryHarness h;

    @BeforeAll
    static void start() {
        h = new TryHarness("AnomalyTest", MigrationSet.of("classpath:pgprop-test/hermitage"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void lostUpdateOccursAtReadCommittedAndIsPreventedAtRepeatableRead() throws Exception {
        h.tryOnce(db -> {
            Verdict rc = Anomaly.P4.observe(db, READ_COMMITTED);
            assertThat(rc.occurred()).as(rc.evidence()).isTrue();
        });
        h.tryOnce(db -> {
            Verdict rr = Anomaly.P4.observe(db, REPEATABLE_READ);
            assertThat(rr.prevented()).as(rr.evidence()).isTrue();
        });
    }

    @Test
    void writeSkewOccursAtRepeatableReadAndIsPreventedAtSerializable() throws Exception {
        h.tryOnce(db -> {
            Verdict rr = Anomaly.G2_ITEM.observe(db, REPEATABLE_READ);
            assertThat(rr.occurred()).as(rr.evidence()).isTrue();
        });
        h.tryOnce(db -> {
            Verdict ser = Anomaly.G2_ITEM.observe(db, SERIALIZABLE);
            assertThat(ser.prevented()).as(ser.evidence()).isTrue();
        });
    }

    @Test
    void serializablePreventsEveryAnomalyOfTheCatalogue() throws Exception {
        for (Anomaly a : Anomaly.values()) {
            h.tryOnce(db -> {
                Verdict v = a.observe(db, SERIALIZABLE);
                assertThat(v.prevented()).as(a.label() + ": " + v.evidence()).isTrue();
            });
        }
    }

    @Test
    void valuesAndIdsAreReadFromTheRows() {
        assertThat(Anomaly.values(List.of(List.of(Row.of("id", 1, "value", 10)), List.of(Row.of("id", 2, "value", 20)))))
                .containsExactly(10, 20);
        assertThat(Anomaly.byId(List.of(Row.of("id", 2, "value", 20), Row.of("id", 1, "value", 11))))
                .containsEntry(1, 11).containsEntry(2, 20).hasSize(2);
    }
}

package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.jqwik.Jqwik;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Example;
import org.junit.jupiter.api.Test;

/** Rows the migrations seeded are part of the start state the serial replays rebuild. */
class SerialEquivalenceSeededTest {
    static final List<Throwable> THROWN = new CopyOnWriteArrayList<>();

    /** T1 raises the seeded limit; serially from a start state without the seeded row it would change no row. */
    static Interleaving raise() {
        return Interleaving.of(READ_COMMITTED, "T1", "T2")
                .step("T1", "update setting set value = value + 1 where name = 'limit'")
                .step("T2", "select value from setting where name = 'limit'")
                .commit("T1")
                .commit("T2");
    }

    @PgProperties(migrations = {"classpath:pgprop-test/histories", "classpath:pgprop-test/histories-seeded"})
    static class Delete {
        @Example
        void theSeededRowIsThereInEveryOrder(Db db) {
            db.given(Dataset.empty()).whenInterleaved(raise()).then(HistoryInvariants.serialEquivalent());
        }
    }

    @PgProperties(migrations = {"classpath:pgprop-test/histories", "classpath:pgprop-test/histories-seeded"},
            isolation = Isolation.TEMPLATE)
    static class Template {
        @Example
        void aCloneLacksTheSnapshotOfSeededTables(Db db) {
            try {
                db.given(Dataset.empty()).whenInterleaved(raise()).then(HistoryInvariants.serialEquivalent());
            } catch (RuntimeException e) {
                THROWN.add(e);
            }
        }
    }

    @Test
    void replaysStartFromTheSeededRows() {
        Jqwik.run(Delete.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aTemplateCloneWithSeededTablesIsRefusedWithTheWayOut() {
        THROWN.clear();
        Jqwik.run(Template.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(THROWN).hasSize(1);
        assertThatThrownBy(() -> { throw THROWN.get(0); })
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("a template clone lacks; run this property with isolation AUTO or DELETE");
    }
}

package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.PgProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A backend killed in the middle of a try is a connection fault: the property fails with a
 * {@link FaultException} naming it, the try is not shrunk (it ran once), the remaining tries and
 * the next property run on fresh sessions.
 */
class FaultTest {
    static final List<Integer> KILLING_TRIES = new ArrayList<>();
    static final List<Object> PIDS_AFTER = new ArrayList<>();
    static volatile int killedPid = -1;
    static volatile int tries;

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class KilledMidTry {
        @Property(tries = 20, generation = GenerationMode.RANDOMIZED)
        void aKilledBackend(@ForAll @IntRange(min = 0, max = 1000) int n, Db db) {
            int t = ++tries;
            if (t == 5) {
                KILLING_TRIES.add(n);
                killedPid = ((Number) db.rows("select pg_backend_pid() as pid").get(0).get("pid")).intValue();
                db.scenario().whenHandle(h -> h.execute("select pg_terminate_backend(pg_backend_pid())")).run();
            } else if (t > 5) {
                PIDS_AFTER.add(db.rows("select pg_backend_pid() as pid").get(0).get("pid"));
                db.scenario().whenCommitted(tx -> tx.execute("insert into widget (id, label) values (?, 'w')", n)).run();
            }
        }

        @Property(tries = 5)
        void zNextProperty(Db db) {
            PIDS_AFTER.add(db.rows("select pg_backend_pid() as pid").get(0).get("pid"));
        }
    }

    @Test
    void aKilledBackendFailsThePropertyAsAFaultWithoutShrinking() {
        EngineExecutionResults r = Jqwik.run(KilledMidTry.class);
        r.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        Optional<Throwable> thrown = r.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable);
        assertThat(thrown).get().isInstanceOf(FaultException.class);
        assertThat(thrown.get().getMessage()).startsWith("connection fault, not an invariant violation")
                .contains("57P01");
        assertThat(KILLING_TRIES).as("the faulted try ran once: no shrinking").hasSize(1);
        assertThat(tries).as("the remaining tries ran").isGreaterThanOrEqualTo(20);
        assertThat(PIDS_AFTER).hasSizeGreaterThanOrEqualTo(20).doesNotContain(killedPid);
    }
}

package dev.pgprop.properties.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A backend killed with pg_terminate_backend by another session in the middle of a try, on the
 * reference schema: the property fails as a connection fault (FaultException), the try is not
 * shrunk (it ran once), and the other tries and the next property run on fresh sessions.
 */
class ConnectionFaultTest {
    static final List<Dataset> KILLED_IN = new ArrayList<>();
    static final List<Integer> PIDS_AFTER = new ArrayList<>();
    static volatile int killedPid = -1;
    static volatile int tries;

    @PgProperties
    static class KilledMidTry {
        @Provide
        Arbitrary<Dataset> stock() {
            return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 3));
        }

        @Property(tries = 30, generation = GenerationMode.RANDOMIZED)
        void allocateOnStock(@ForAll("stock") Dataset data, Db db) {
            int t = ++tries;
            db.given(data).whenCommitted(tx -> {
                int pid = ((Number) tx.scalar("select pg_backend_pid()")).intValue();
                if (t == 7) {
                    KILLED_IN.add(data);
                    killedPid = pid;
                    db.jdbi().useHandle(other -> other.select("select pg_terminate_backend(?)", pid).mapTo(Boolean.class).one());
                } else if (t > 7) {
                    PIDS_AFTER.add(pid);
                }
                tx.execute("update inventory set on_hand = on_hand + 1");
            }).run();
        }

        @Property(tries = 10)
        void zTheNextProperty(Db db) {
            PIDS_AFTER.add(((Number) db.rows("select pg_backend_pid() as pid").get(0).get("pid")).intValue());
        }
    }

    @Test
    void aBackendKilledMidTryIsAFaultNotAShrunkFailure() {
        EngineExecutionResults r = EngineTestKit.engine("jqwik")
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .selectors(selectClass(KilledMidTry.class))
                .execute();
        r.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        Optional<Throwable> thrown = r.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable);
        assertThat(thrown).get().isInstanceOf(FaultException.class);
        assertThat(thrown.get().getMessage()).startsWith("connection fault, not an invariant violation (the try was not shrunk");
        assertThat(KILLED_IN).as("the faulted try ran once: no shrinking").hasSize(1);
        assertThat(tries).as("every try ran").isEqualTo(30);
        assertThat(PIDS_AFTER).as("later tries and the next property").hasSize(23 + 10).doesNotContain(killedPid);
    }
}

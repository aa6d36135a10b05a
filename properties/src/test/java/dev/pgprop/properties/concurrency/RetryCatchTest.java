package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.properties.concurrency.RetryProperties.Plan;
import java.util.concurrent.CyclicBarrier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The serial-order invariant of {@link RetryProperties} catches lost updates: the same sessions
 * at READ COMMITTED, where nothing fails and nothing is retried, overwrite each other's writes.
 */
class RetryCatchTest {

    @PgProperties
    static class AtReadCommitted {
        @Provide
        Arbitrary<Plan> plans() {
            return new RetryProperties().plans();
        }

        @Property(tries = 100)
        void check(@ForAll("plans") Plan plan, Db db) {
            db.given(plan.dataset())
                    .whenConcurrently(plan.sessions().size(),
                            RetryProperties.work(plan, new CyclicBarrier(plan.sessions().size()), Sessions.superuser(db)))
                    .atLevel(Level.READ_COMMITTED.jdbi())
                    .allowing(ErrorClass.DEADLOCK)
                    .then(RetryProperties.someSerialOrder(plan));
        }
    }

    @Test
    void lostUpdatesAtReadCommittedAreCaughtAndShrinkToTwoSessions() {
        EngineExecutionResults r = Jqwik.run(AtReadCommitted.class);
        r.testEvents().assertStatistics(s -> s.failed(1));
        Throwable t = Jqwik.failure(r);
        assertThat(t).isInstanceOf(InvariantViolationException.class);
        InvariantViolationException e = (InvariantViolationException) t;
        assertThat(e.getMessage()).contains("is no serial order's result");
        // two sessions, the fewest that can lose an update: both read, one overwrites the other
        assertThat(e.outcome()).isNotNull();
        assertThat(e.outcome().results()).hasSize(2);
    }
}

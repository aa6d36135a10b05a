package dev.pgprop.properties.concurrency;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs a nested property class on the jqwik engine, its failure database under target/. */
final class Jqwik {
    private Jqwik() {}

    static EngineExecutionResults run(Class<?> type) {
        return EngineTestKit.engine("jqwik")
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .selectors(selectClass(type))
                .execute();
    }

    /**
     * What the one failed property threw: for a broken invariant, the violation behind the
     * assertion failure the engine reports.
     */
    static Throwable failure(EngineExecutionResults r) {
        Event failed = r.testEvents().failed().list().get(0);
        Optional<Throwable> thrown = failed.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
        Throwable t = thrown.orElseThrow();
        return t instanceof AssertionError && t.getCause() instanceof dev.pgprop.dsl.InvariantViolationException iv ? iv : t;
    }
}

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
                .configurationParameters(parameters())
                .selectors(selectClass(type))
                .execute();
    }

    /**
     * The nested engine's parameters. An engine started by the testkit reads no
     * junit-platform.properties, so the suite's shrinking bound is passed on: these runs assert
     * exact minima, and jqwik's default of 10 s stops a shrink short on a loaded machine (several
     * Surefire forks on two cores).
     */
    static java.util.Map<String, String> parameters() {
        java.util.Properties suite = new java.util.Properties();
        try (java.io.InputStream in = Jqwik.class.getClassLoader().getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                suite.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        java.util.Map<String, String> p = new java.util.TreeMap<>();
        p.put("jqwik.database", "target/jqwik-database");
        p.put("jqwik.reporting.onlyfailures", "true");
        String bound = suite.getProperty("jqwik.shrinking.bounded.seconds");
        if (bound != null) {
            p.put("jqwik.shrinking.bounded.seconds", bound.trim());
        }
        return p;
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

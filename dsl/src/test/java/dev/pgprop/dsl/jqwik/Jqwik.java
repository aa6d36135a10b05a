package dev.pgprop.dsl.jqwik;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a property class on the jqwik engine, its failure database under target/. Its results lines
 * say context {@code meta}: these properties fail on purpose and are no part of the module's results.
 */
final class Jqwik {
    private Jqwik() {}

    /** A broken invariant reaches the engine as an assertion failure: the violation behind it, else {@code t}. */
    static Throwable violation(Throwable t) {
        return t instanceof AssertionError && t.getCause() instanceof dev.pgprop.dsl.InvariantViolationException iv ? iv : t;
    }

    static EngineExecutionResults run(Class<?> type) {
        String context = System.getProperty("pgprop.context");
        System.setProperty("pgprop.context", "meta");
        try {
            return EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", "target/pgprop/jqwik-database")
                    .selectors(selectClass(type))
                    .execute();
        } finally {
            if (context == null) {
                System.clearProperty("pgprop.context");
            } else {
                System.setProperty("pgprop.context", context);
            }
        }
    }
}

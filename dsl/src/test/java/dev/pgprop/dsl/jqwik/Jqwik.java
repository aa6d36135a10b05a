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

    static EngineExecutionResults run(Class<?> type) {
        String context = System.getProperty("pgprop.context");
        System.setProperty("pgprop.context", "meta");
        try {
            return EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", "target/jqwik-database")
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

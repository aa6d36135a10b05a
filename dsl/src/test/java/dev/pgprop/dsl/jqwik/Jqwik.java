package dev.pgprop.dsl.jqwik;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a property class on the jqwik engine, its failure database under target/. */
final class Jqwik {
    private Jqwik() {}

    static EngineExecutionResults run(Class<?> type) {
        return EngineTestKit.engine("jqwik")
                .configurationParameter("jqwik.database", "target/pgprop/jqwik-database")
                .selectors(selectClass(type))
                .execute();
    }
}

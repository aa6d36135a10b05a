package dev.pgprop.dsl.jqwik;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a property class on the jqwik engine, its failure database under target/. Its results lines
 * say context {@code meta}: these properties fail on purpose and are no part of the module's results.
 */
public final class Jqwik {
    private Jqwik() {}

    /** A broken invariant reaches the engine as an assertion failure: the violation behind it, else {@code t}. */
    static Throwable violation(Throwable t) {
        return t instanceof AssertionError && t.getCause() instanceof dev.pgprop.dsl.InvariantViolationException iv ? iv : t;
    }

    /** Runs {@code type}, appends what it printed to {@code printed} (and prints it), returns what its failed properties threw. */
    static java.util.List<Throwable> runCapturing(Class<?> type, StringBuilder printed) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return run(type).testEvents().failed().list().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow())
                    .toList();
        } finally {
            System.setOut(original);
            printed.append(out.toString(java.nio.charset.StandardCharsets.UTF_8));
            original.print(printed);
        }
    }

    public static EngineExecutionResults run(Class<?> type) {
        return run(type, java.util.Map.of());
    }

    /** Runs {@code type} with these configuration parameters of the engine on top. */
    public static EngineExecutionResults run(Class<?> type, java.util.Map<String, String> parameters) {
        String context = System.getProperty("pgprop.context");
        System.setProperty("pgprop.context", "meta");
        try {
            return EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", "target/jqwik-database")
                    .configurationParameters(parameters)
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

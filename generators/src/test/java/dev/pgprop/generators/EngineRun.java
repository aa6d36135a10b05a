package dev.pgprop.generators;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs one jqwik property through the engine, as Surefire would, and reads what jqwik reported. */
record EngineRun(EngineExecutionResults results, long millis) {
    private static final String OUTPUT_DIR = "pgprop.outputDir";
    private static final Pattern STEPS = Pattern.compile("Shrunk Sample \\((\\d+) steps?\\)");

    /**
     * Runs the property with its jqwik database at {@code database}. pgprop's report files of the
     * run (results.jsonl, failures/) go beside it, not into the module's target/pgprop: the
     * properties run here fail on purpose and are no part of the suite's results.
     */
    static EngineRun property(Class<?> type, String method, Path database) {
        String outputDir = System.getProperty(OUTPUT_DIR);
        System.setProperty(OUTPUT_DIR, database.resolveSibling(database.getFileName() + ".pgprop").toString());
        try {
            long start = System.nanoTime();
            EngineExecutionResults results = EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", database.toString())
                    .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                    .selectors(selectMethod(type, find(type, method)))
                    .execute();
            return new EngineRun(results, (System.nanoTime() - start) / 1_000_000);
        } finally {
            if (outputDir == null) {
                System.clearProperty(OUTPUT_DIR);
            } else {
                System.setProperty(OUTPUT_DIR, outputDir);
            }
        }
    }

    private static java.lang.reflect.Method find(Class<?> type, String name) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (java.lang.reflect.Method m : t.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.isAnnotationPresent(net.jqwik.api.Property.class)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException(type + " has no property method " + name);
    }

    /** The failures of the properties that ran. */
    List<Throwable> failures() {
        return results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
    }

    long succeeded() {
        return results.testEvents().succeeded().count();
    }

    /** All text jqwik published as report entries. */
    String report() {
        StringBuilder b = new StringBuilder();
        for (Event e : results.allEvents().reportingEntryPublished().list()) {
            e.getPayload(ReportEntry.class).ifPresent(r -> r.getKeyValuePairs().forEach((k, v) -> b.append(k).append(" = ")
                    .append(v).append('\n')));
        }
        return b.toString();
    }

    /** The number of shrinking steps jqwik reported, if it shrank. */
    Optional<Integer> shrinkingSteps() {
        Matcher m = STEPS.matcher(report());
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }
}

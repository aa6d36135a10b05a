package dev.pgprop.properties.meta;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.report.Replay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a property of a {@code @PgProperties} class (one that uses the global migration set)
 * against a given migration set, for example the reference schema plus one mutant migration,
 * through the JUnit Platform testkit; returns the outcome, the shrunk sample and the report.
 *
 * <pre>{@code
 * MetaHarness.Run run = MetaHarness.run(InventoryProperties.class, "directInsertNeverOversells",
 *     MetaHarness.reference().plusLocations("classpath:mutants/drop_not_oversold"));
 * assertThat(run.failed()).isTrue();
 * assertThat(run.shrunkDataset().rowCount()).isEqualTo(1);
 * assertThat(MetaHarness.replay(run).failed()).isTrue();
 * }</pre>
 */
public final class MetaHarness {
    private MetaHarness() {}

    /** The reference schema's migration set with a small embedding dimension. */
    public static MigrationSet reference() {
        return MigrationSet.of("classpath:pgprop/reference");
    }

    /**
     * The suite's jqwik failure database (junit-platform.properties). A meta run never writes
     * there: with jqwik's after-failure mode the suite's next run of the same property would take
     * up the seed that failed on a mutant, and no longer run with its own fixed seed.
     */
    public static final Path SUITE_DATABASE = Path.of("target/jqwik-database");

    /** The outcome of one property run; {@code jqwikDatabase} is the run's own failure database. */
    public record Run(Class<?> type, String method, MigrationSet migrations, boolean failed,
                      Optional<Throwable> failure, List<Object> shrunkSample, String printed, Path outputDir,
                      Optional<String> replayCommand, int tries, Optional<String> seed, Path jqwikDatabase) {

        /** The datasets of the shrunk sample, merged. */
        public Dataset shrunkDataset() {
            Dataset d = Dataset.empty();
            for (Object o : shrunkSample) {
                if (o instanceof Dataset ds) {
                    d = d.plus(ds);
                }
            }
            return d;
        }

        /** The inline sample of the replay command. */
        public String replaySample() {
            Matcher m = Pattern.compile("-Dpgprop\\.replay=(\\S+)").matcher(replayCommand.orElseThrow());
            if (!m.find()) {
                throw new IllegalStateException("no -Dpgprop.replay in " + replayCommand);
            }
            return m.group(1);
        }
    }

    public static Run run(Class<?> type, String method, MigrationSet migrations) {
        return execute(type, method, migrations, Map.of());
    }

    /** Runs the failed property again with its replay sample, as its replay command would. */
    public static Run replay(Run failed) {
        return execute(failed.type(), failed.method(), failed.migrations(), Map.of("pgprop.replay", failed.replaySample()));
    }

    private static synchronized Run execute(Class<?> type, String method, MigrationSet migrations, Map<String, String> extra) {
        Path outputDir;
        try {
            outputDir = Files.createTempDirectory(Path.of("target"), "pgprop-meta-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> keys = new ArrayList<>();
        set(keys, "pgprop.migrations", String.join(",", migrations.locations()));
        migrations.placeholders().forEach((k, v) -> set(keys, "pgprop.placeholders." + k, v));
        set(keys, "pgprop.outputDir", outputDir.toString());
        set(keys, "pgprop.context", "meta");
        Path jqwikDatabase = outputDir.resolve("jqwik-database");
        extra.forEach((k, v) -> set(keys, k, v));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        EngineExecutionResults results;
        try {
            results = EngineTestKit.engine("jqwik")
                    .configurationParameter("jqwik.database", jqwikDatabase.toString())
                    .selectors(selectMethod(type, method, parameterTypes(type, method)))
                    .execute();
        } finally {
            System.setOut(original);
            keys.forEach(System::clearProperty);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);
        Optional<Throwable> failure = results.testEvents().failed().stream().findFirst()
                .flatMap(e -> e.getPayload(TestExecutionResult.class)).flatMap(TestExecutionResult::getThrowable)
                // a broken invariant reaches the engine as an assertion failure; the violation is its cause
                .map(t -> t instanceof AssertionError && t.getCause() instanceof dev.pgprop.dsl.InvariantViolationException iv ? iv : t);
        boolean failed = results.testEvents().failed().count() > 0;
        List<Object> sample = new ArrayList<>();
        Optional<String> replay = Optional.empty();
        int tries = -1;
        Optional<String> seed = Optional.empty();
        try {
            Path stem = outputDir.resolve("failures").resolve(type.getSimpleName() + "." + method + ".json");
            if (Files.exists(stem)) {
                java.lang.reflect.Method m = java.util.Arrays.stream(type.getDeclaredMethods())
                        .filter(x -> x.getName().equals(method)).findFirst().orElseThrow();
                sample.addAll(Replay.parseFile(stem).parameters(m));
            }
            Path jsonl = outputDir.resolve("results.jsonl");
            if (Files.exists(jsonl)) {
                for (String line : Files.readAllLines(jsonl)) {
                    Matcher t = Pattern.compile("\"tries\":(\\d+)").matcher(line);
                    if (t.find()) {
                        tries = Integer.parseInt(t.group(1));
                    }
                    Matcher sd = Pattern.compile("\"seed\":\"(-?\\d+)\"").matcher(line);
                    if (sd.find()) {
                        seed = Optional.of(sd.group(1));
                    }
                    Matcher r = Pattern.compile("\"replayCommand\":\"([^\"]+)\"").matcher(line);
                    if (r.find()) {
                        replay = Optional.of(r.group(1).replace("\\u0027", "'"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Run(type, method, migrations, failed, failure, sample, printed, outputDir, replay, tries, seed, jqwikDatabase);
    }

    /** The seed a jqwik failure database remembers for the run's property as failed, if any. */
    public static Optional<String> failedSeedIn(Path database, Run run) {
        String property = "[property:" + run.method() + "(";
        return new net.jqwik.engine.recording.TestRunDatabase(database).previousRun().allNonSuccessfulTests()
                .filter(t -> t.getUniqueId().toString().contains("[class:" + run.type().getName() + "]")
                        && t.getUniqueId().toString().contains(property))
                .map(t -> t.generationInfo().randomSeed())
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static String parameterTypes(Class<?> type, String method) {
        for (var m : type.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                return String.join(",", java.util.Arrays.stream(m.getParameterTypes()).map(Class::getName).toList());
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no method " + method);
    }

    private static void set(List<String> keys, String key, String value) {
        System.setProperty(key, value);
        keys.add(key);
    }
}

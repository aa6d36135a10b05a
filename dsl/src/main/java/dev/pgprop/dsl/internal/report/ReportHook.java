package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.PgPropertyClasses;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.internal.jqwik.FailureKind;
import dev.pgprop.dsl.internal.jqwik.PgPropertiesHook;
import dev.pgprop.dsl.internal.jqwik.SeedHook;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.FalsifiedSample;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;
import org.jspecify.annotations.Nullable;

/**
 * For every pgprop property (registered globally, acting on {@code @PgProperties} classes only):
 * one line in {@code results.jsonl}; for a failure, the failure report above jqwik's block and its
 * files; with {@code pgprop.replay}, the named property runs exactly once on the stored sample.
 */
public final class ReportHook implements AroundPropertyHook, AroundTryHook {
    private static final ThreadLocal<@Nullable List<@Nullable Object>> REPLAYING = new ThreadLocal<>();

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.map(e -> e instanceof Method).orElse(false);
    }

    @Override
    public int aroundPropertyProximity() {
        return -50; // inside the seed hook, outside everything else
    }

    @Override
    public int aroundTryProximity() {
        return -50;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        if (!PgPropertyClasses.isPgProperties(context.containerClass())) {
            return property.execute();
        }
        Settings settings = Settings.fromEnvironment();
        Class<?> type = context.containerClass();
        Method method = context.targetMethod();
        String key = SeedHook.propertyKey(method);
        Path outputDir = Path.of(settings.get("outputDir", "target/pgprop"));
        Optional<Replay> replay;
        List<@Nullable Object> replayParams = List.of();
        try {
            replay = Replay.fromSettings(settings);
            if (replay.isPresent()) {
                Replay stored = replay.get();
                if (!stored.methodName().equals(method.getName())) {
                    throw new dev.pgprop.dsl.ConfigurationException("pgprop.replay holds a sample of " + stored.method()
                            + ", but this run selected " + type.getName() + "#" + method.getName() + ": nothing was replayed."
                            + " Run the replay command as the failure report printed it (it selects only that property).");
                }
                stored.check(type, method);
                replayParams = stored.parameters(method);
            }
        } catch (dev.pgprop.dsl.ConfigurationException e) {
            System.out.println(stopped(type, method, FailureKind.CONFIGURATION, e));
            appendLine(outputDir, settings, type, method, key, FailureKind.CONFIGURATION.status(), null, 0, 0, 0,
                    "(configuration error)", null, true, new LinkedHashMap<>(), firstLine(e));
            throw e;
        }
        if (replay.isPresent()) {
            context.attributes().setTries(1);
            context.attributes().setShrinking(ShrinkingMode.OFF);
            REPLAYING.set(replayParams);
        }
        Map<String, Integer> modesBefore = PgPropertiesHook.modeCounts(type);
        long t0 = System.nanoTime();
        PropertyExecutionResult r;
        try {
            r = property.execute();
        } catch (RuntimeException | Error e) {
            // a configuration error (a migration that fails, a server that cannot start) or a fault
            // that stopped the property (the server is gone): no sample, no failure file, no replay
            FailureKind kind = FailureKind.of(e) == FailureKind.FAULT ? FailureKind.FAULT : FailureKind.CONFIGURATION;
            System.out.println(stopped(type, method, kind, e));
            System.out.flush();
            appendLine(outputDir, settings, type, method, key, kind.status(), null, 0, 0, (System.nanoTime() - t0) / 1_000_000,
                    kind == FailureKind.FAULT ? "(fault)" : "(configuration error)", null, replay.isPresent(), new LinkedHashMap<>(),
                    firstLine(e));
            throw e;
        } finally {
            REPLAYING.remove();
        }
        r = PgPropertiesHook.reclaimLeaks(type, r);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Throwable thrown = r.throwable().orElse(null);
        if (r.status() == PropertyExecutionResult.Status.FAILED && thrown != null && r.originalSample().isEmpty()
                && FailureKind.of(thrown) == FailureKind.FAULT) {
            // faults during tries: the property failed, but no sample is to blame
            System.out.println(stopped(type, method, FailureKind.FAULT, thrown));
            System.out.flush();
            appendLine(outputDir, settings, type, method, key, FailureKind.FAULT.status(), r.seed().orElse(null), r.countTries(),
                    r.countChecks(), ms, "(fault)", null, replay.isPresent(), new LinkedHashMap<>(), firstLine(thrown));
            return r;
        }
        if (r.status() == PropertyExecutionResult.Status.FAILED && thrown != null && r.originalSample().isEmpty()) {
            // failed after its tries (a session it leaked): there is no sample to print or replay
            System.out.println("pgprop: " + FailureReport.fileStem(type, method.getName()) + " failed (no sample: every try"
                    + " held): " + dev.pgprop.dsl.internal.provision.JdbcUrls.mask(String.valueOf(thrown.getMessage())));
            System.out.flush();
            appendLine(outputDir, settings, type, method, key, FailureKind.COUNTEREXAMPLE.status(), r.seed().orElse(null),
                    r.countTries(), r.countChecks(), ms, "(after the tries)", null, replay.isPresent(), new LinkedHashMap<>(),
                    firstLine(thrown));
            return r;
        }

        FailureReport report = null;
        if (r.status() == PropertyExecutionResult.Status.SUCCESSFUL && replay.isEmpty()) {
            FailureReport.removeStale(outputDir, type, method.getName());
        }
        if (r.status() == PropertyExecutionResult.Status.SUCCESSFUL && replay.isPresent()) {
            System.out.println("pgprop: " + FailureReport.fileStem(type, method.getName()) + " passed (replay): the stored"
                    + " sample ran once and held; the failure it recorded does not reproduce");
            System.out.flush();
        }
        if (r.status() == PropertyExecutionResult.Status.FAILED) {
            FalsifiedSample sample = r.shrunkSample().map(FalsifiedSample.class::cast).or(r::originalSample).orElse(null);
            // in a replay jqwik's sample is what it generated; the try ran on the stored one
            List<@Nullable Object> params = replay.isPresent() ? new ArrayList<>(replayParams)
                    : sample == null ? List.of() : new ArrayList<>(sample.parameters());
            Throwable error = sample != null && sample.falsifyingError().isPresent() ? sample.falsifyingError().get()
                    : r.throwable().orElse(null);
            Optional<MigrationSet> migrations = usesGlobalMigrations(type) ? PgPropertiesHook.migrationsOf(type) : Optional.empty();
            if (error instanceof dev.pgprop.dsl.internal.jqwik.InvariantFailure f) {
                error = f.violation();
            }
            try {
                report = FailureReport.build(type, method, r.seed().orElse(null), params,
                        java.util.Arrays.stream(method.getParameters()).map(java.lang.reflect.Parameter::getName).toList(), error, outputDir,
                        PgPropertiesHook.catalogOf(type), migrations, replay.isPresent());
                System.out.println(report.text);
            } catch (RuntimeException e) {
                // the report is help around the failure, never a failure of its own that hides it
                System.out.println("pgprop: the failure report of " + FailureReport.fileStem(type, method.getName())
                        + " could not be built (" + e + "); the failure itself is reported below");
            }
            System.out.flush();
        }

        Map<String, @Nullable Object> metrics = new LinkedHashMap<>();
        Map<String, Integer> modesAfter = PgPropertiesHook.modeCounts(type);
        modesAfter.forEach((m, n) -> {
            int d = n - modesBefore.getOrDefault(m, 0);
            if (d > 0) {
                metrics.put("tries_" + m, d);
            }
        });
        r.shrunkSample().ifPresent(s -> metrics.put("shrinkingSteps", s.countShrinkingSteps()));
        appendLine(outputDir, settings, type, method, key, r.status().name().toLowerCase(java.util.Locale.ROOT),
                r.seed().orElse(null), r.countTries(), r.countChecks(), ms, report == null ? null : report.invariant, report,
                replay.isPresent(), metrics, thrown == null ? null : firstLine(thrown));
        return r;
    }

    /** Configuration errors already printed in full: each is printed once per JVM, then named. */
    private static final java.util.Set<Throwable> PRINTED = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** The block a configuration error or a fault prints: the kind, the message; no sample, seed or replay. */
    static synchronized String stopped(Class<?> type, Method method, FailureKind kind, Throwable e) {
        String line = "═".repeat(78);
        String stem = FailureReport.fileStem(type, method.getName());
        String message = dev.pgprop.dsl.internal.provision.JdbcUrls.mask(String.valueOf(e.getMessage()));
        if (kind == FailureKind.CONFIGURATION) {
            if (!PRINTED.add(e)) {
                return "pgprop: " + stem + " not run: the same configuration error as above";
            }
            return line + "\npgprop: configuration error (no try ran; nothing shrunk; no sample, no failure file): " + stem
                    + "\n" + message + "\n" + line;
        }
        return line + "\npgprop: fault in " + stem + " (the environment broke, not a counterexample: not shrunk, no sample,"
                + " no failure file)\n" + message + "\n" + line;
    }

    private static String firstLine(Throwable e) {
        String m = dev.pgprop.dsl.internal.provision.JdbcUrls.mask(String.valueOf(e.getMessage()));
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    private static void appendLine(Path outputDir, Settings settings, Class<?> type, Method method, String key, String status,
                                   @Nullable String seed, int tries, int checks, long ms, @Nullable String invariant,
                                   @Nullable FailureReport report, boolean replay, Map<String, @Nullable Object> metrics,
                                   @Nullable String error) {
        Map<String, @Nullable Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("class", type.getName());
        line.put("method", method.getName());
        line.put("property", key);
        line.put("status", status);
        line.put("seed", seed);
        line.put("suiteSeed", SeedHook.suiteSeed());
        line.put("tries", tries);
        line.put("checks", checks);
        line.put("durationMs", ms);
        line.put("invariant", invariant);
        line.put("error", error);
        line.put("minimalDatasetFile", report == null || report.sqlFile == null ? null : report.sqlFile.toString());
        line.put("minimalDatasetRows", report == null ? null : report.datasetRows);
        line.put("replayFile", report == null || report.jsonFile == null ? null : report.jsonFile.toString());
        line.put("replayCommand", report == null ? null : report.replayCommand);
        line.put("replay", replay);
        line.put("context", settings.get("context", context(type)));
        line.put("metrics", metrics);
        try {
            ResultsFile.append(outputDir, line);
        } catch (java.io.UncheckedIOException e) {
            // a full disk, most often the one the server filled: the property's own result still stands
            System.out.println("pgprop: cannot record " + FailureReport.fileStem(type, method.getName()) + " in results.jsonl: "
                    + e.getMessage() + ". The property's own result stands; the report leaves this run out.");
            System.out.flush();
        }
    }

    /**
     * {@code meta} for a static nested property class: Surefire never runs those itself, so an
     * engine run started by a test (a meta-test, often failing on purpose) ran it; else {@code suite}.
     */
    static String context(Class<?> type) {
        return type.getEnclosingClass() != null && java.lang.reflect.Modifier.isStatic(type.getModifiers()) ? "meta" : "suite";
    }

    private static boolean usesGlobalMigrations(Class<?> type) {
        PgProperties a = type.getAnnotation(PgProperties.class);
        return a != null && a.migrations().length == 0;
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        List<@Nullable Object> replay = REPLAYING.get();
        if (replay == null) {
            return aTry.execute(parameters);
        }
        List<Object> replayed = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Object stored = replay.get(i);
            replayed.add(stored == Replay.INJECTED || parameters.get(i) instanceof Db ? parameters.get(i) : stored);
        }
        return aTry.execute(replayed);
    }
}

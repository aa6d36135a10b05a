package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.PgPropertyClasses;
import dev.pgprop.dsl.internal.Settings;
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
    private static final ThreadLocal<@Nullable Replay> REPLAYING = new ThreadLocal<>();

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
        Optional<Replay> replay = Replay.fromSettings(settings).filter(r -> r.property().equals(key));
        if (replay.isPresent()) {
            context.attributes().setTries(1);
            context.attributes().setShrinking(ShrinkingMode.OFF);
            REPLAYING.set(replay.get());
        }
        Map<String, Integer> modesBefore = PgPropertiesHook.modeCounts(type);
        long t0 = System.nanoTime();
        PropertyExecutionResult r;
        try {
            r = property.execute();
        } finally {
            REPLAYING.remove();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Path outputDir = Path.of(settings.get("outputDir", "target/pgprop"));

        FailureReport report = null;
        if (r.status() == PropertyExecutionResult.Status.FAILED) {
            FalsifiedSample sample = r.shrunkSample().map(FalsifiedSample.class::cast).or(r::originalSample).orElse(null);
            // in a replay jqwik's sample is what it generated; the try ran on the stored one
            List<@Nullable Object> params = replay.isPresent() ? new ArrayList<>(replay.get().parameters())
                    : sample == null ? List.of() : new ArrayList<>(sample.parameters());
            Throwable error = sample != null && sample.falsifyingError().isPresent() ? sample.falsifyingError().get()
                    : r.throwable().orElse(null);
            Optional<MigrationSet> migrations = usesGlobalMigrations(type) ? PgPropertiesHook.migrationsOf(type) : Optional.empty();
            dev.pgprop.dsl.Dataset all = dev.pgprop.dsl.Dataset.empty();
            for (Object p : params) {
                if (p instanceof dev.pgprop.dsl.Dataset d) {
                    all = all.plus(d);
                }
            }
            report = FailureReport.build(type, method.getName(), key, r.seed().orElse(null), params, error, outputDir,
                    PgPropertiesHook.loadOrder(type, all), migrations, replay.isPresent());
            System.out.println(report.text);
            System.out.flush();
        }

        Map<String, @Nullable Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("class", type.getName());
        line.put("method", method.getName());
        line.put("property", key);
        line.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        line.put("seed", r.seed().orElse(null));
        line.put("suiteSeed", SeedHook.suiteSeed());
        line.put("tries", r.countTries());
        line.put("checks", r.countChecks());
        line.put("durationMs", ms);
        line.put("invariant", report == null ? null : report.invariant);
        line.put("minimalDatasetFile", report == null || report.sqlFile == null ? null : report.sqlFile.toString());
        line.put("minimalDatasetRows", report == null ? null : report.datasetRows);
        line.put("replayFile", report == null || report.jsonFile == null ? null : report.jsonFile.toString());
        line.put("replayCommand", report == null ? null : report.replayCommand);
        line.put("replay", replay.isPresent());
        line.put("context", settings.get("context", context(type)));
        Map<String, @Nullable Object> metrics = new LinkedHashMap<>();
        Map<String, Integer> modesAfter = PgPropertiesHook.modeCounts(type);
        modesAfter.forEach((m, n) -> {
            int d = n - modesBefore.getOrDefault(m, 0);
            if (d > 0) {
                metrics.put("tries_" + m, d);
            }
        });
        r.shrunkSample().ifPresent(s -> metrics.put("shrinkingSteps", s.countShrinkingSteps()));
        line.put("metrics", metrics);
        ResultsFile.append(outputDir, line);
        return r;
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
        Replay replay = REPLAYING.get();
        if (replay == null) {
            return aTry.execute(parameters);
        }
        if (replay.parameters().size() != parameters.size()) {
            throw new dev.pgprop.dsl.ConfigurationException("the replay sample has " + replay.parameters().size()
                    + " parameters, but " + context.targetMethod().getName() + " takes " + parameters.size()
                    + "; the property changed since the failure was stored: rerun it with its seed instead");
        }
        List<Object> replayed = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Object stored = replay.parameters().get(i);
            replayed.add(stored == Replay.INJECTED || parameters.get(i) instanceof Db ? parameters.get(i) : stored);
        }
        return aTry.execute(replayed);
    }
}

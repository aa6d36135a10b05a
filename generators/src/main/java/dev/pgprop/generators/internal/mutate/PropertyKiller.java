package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.internal.engine.Views;
import dev.pgprop.dsl.internal.report.ResultsFile;
import dev.pgprop.generators.mutate.Mutant;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The user's property classes as killers: run in this JVM through the JUnit Platform launcher, one
 * class after another, with the setting {@code pgprop.mutation.ddl} carrying the mutant's DDL, so
 * that every class database is the mutant. A failed property kills the mutant; its minimal dataset
 * and replay command come from the run's line in {@code results.jsonl}.
 */
final class PropertyKiller {
    /** A property that failed on the mutant. */
    record Kill(String killer, int rows, @Nullable Path sql, String replay) {}

    private final List<String> classes;
    private final Path outputDir;
    private final Launcher launcher = LauncherFactory.create();

    PropertyKiller(String pattern) {
        // where the property runs write results.jsonl and their failures: the DSL's own output directory
        this.outputDir = Path.of(dev.pgprop.dsl.internal.Settings.fromEnvironment().get("outputDir", "target/pgprop"));
        this.classes = discover(pattern);
        if (classes.isEmpty()) {
            throw new PgPropException("no test class on the class path matches pgprop.mutate.tests=" + pattern
                    + " (a regular expression over fully qualified class names, as JUnit's include patterns: .*Properties)");
        }
    }

    List<String> classes() {
        return classes;
    }

    private List<String> discover(String pattern) {
        Set<Path> roots = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                roots.add(p);
            }
        }
        try { // under a launcher that puts only a manifest jar on java.class.path (Surefire), the loader knows the folders
            var urls = Thread.currentThread().getContextClassLoader().getResources("");
            while (urls.hasMoreElements()) {
                var u = urls.nextElement();
                if (u.getProtocol().equals("file")) {
                    roots.add(Path.of(u.toURI()));
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            // the class path entries found above are all there is
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClasspathRoots(roots))
                .filters(ClassNameFilter.includeClassNamePatterns(pattern)).build();
        TestPlan plan = launcher.discover(request);
        Set<String> out = new LinkedHashSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier t : plan.getDescendants(root)) {
                t.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName()).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** Runs the classes on the mutant; the kills (only the first class that kills unless {@code all}). */
    synchronized List<Kill> run(Mutant m, boolean all) {
        List<Kill> kills = new ArrayList<>();
        String before = System.getProperty("pgprop." + Views.MUTATION_DDL);
        System.setProperty("pgprop." + Views.MUTATION_DDL, m.ddl());
        try {
            for (String cls : classes) {
                long lines = lines();
                List<String> failed = new ArrayList<>();
                launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(cls)).build(),
                        new TestExecutionListener() {
                            @Override
                            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                                if (result.getStatus() == TestExecutionResult.Status.FAILED && id.isTest()) {
                                    id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                            .ifPresent(s -> failed.add(s.getClassName() + "#" + s.getMethodName()));
                                }
                            }
                        });
                for (String f : failed) {
                    kills.add(kill(f, lines, m));
                }
                if (!kills.isEmpty() && !all) {
                    break;
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty("pgprop." + Views.MUTATION_DDL);
            } else {
                System.setProperty("pgprop." + Views.MUTATION_DDL, before);
            }
        }
        return kills;
    }

    private long lines() {
        try {
            Path f = ResultsFile.path(outputDir);
            return Files.isRegularFile(f) ? Files.readAllLines(f).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The failed property's line in results.jsonl (written after {@code from}): minimal dataset and replay command. */
    private Kill kill(String property, long from, Mutant m) {
        String cls = property.substring(0, property.indexOf('#'));
        String method = property.substring(property.indexOf('#') + 1);
        try {
            Path f = ResultsFile.path(outputDir);
            List<String> all = Files.isRegularFile(f) ? Files.readAllLines(f) : List.of();
            for (int i = all.size() - 1; i >= from; i--) {
                if (JsonReader.parse(all.get(i)) instanceof Map<?, ?> line && cls.equals(line.get("class")) && method.equals(line.get("method"))) {
                    Object rows = line.get("minimalDatasetRows");
                    Object sql = line.get("minimalDatasetFile");
                    Object replay = line.get("replayCommand");
                    String r = replay == null ? "" : replay + " '-Dpgprop." + Views.MUTATION_DDL + "=" + m.ddl().replace("'", "'\\''") + "'";
                    return new Kill(property, rows instanceof Number n ? n.intValue() : -1, sql == null ? null : Path.of(sql.toString()), r);
                }
            }
        } catch (IOException e) {
            // no line: the kill is still named
        }
        return new Kill(property, -1, null, "");
    }

    Optional<String> first() {
        return classes.stream().findFirst();
    }
}

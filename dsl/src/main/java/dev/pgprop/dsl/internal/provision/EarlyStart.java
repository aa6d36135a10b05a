package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.PgPropertyClasses;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Starts provisioning the server, and migrating the global migration set's template, as soon as
 * the JUnit Platform is asked to run pgprop properties (classes annotated {@code @PgProperties}):
 * when a discovery request selects such a class (Surefire selects every class), or at the latest
 * when a test plan that holds one starts. The work then overlaps discovery and the first tests.
 * A JVM that runs no pgprop properties starts nothing and creates nothing. A failure here is not
 * reported; the first test that needs the server meets it again and reports it.
 * {@code pgprop.earlyStart=false} turns the early start off (the server then starts on first use).
 *
 * <p>Registered as a launcher discovery listener and as a test execution listener (two instances:
 * the start happens once per JVM).
 */
public final class EarlyStart implements LauncherDiscoveryListener, TestExecutionListener {
    private static final AtomicBoolean TRIGGERED = new AtomicBoolean();

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        // before any test runs, whether or not it uses pgprop: no report that records system properties sees a secret
        Settings.scrubSecrets();
        for (ClassSelector s : request.getSelectorsByType(ClassSelector.class)) {
            Class<?> type;
            try {
                type = s.getJavaClass();
            } catch (RuntimeException | LinkageError e) {
                continue; // the engines report a class that cannot be loaded
            }
            if (PgPropertyClasses.isPgProperties(type)) {
                trigger();
                return;
            }
        }
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (!TRIGGERED.get() && holdsPgProperties(plan)) {
            trigger();
        }
    }

    /** Whether the plan holds a test whose class is a pgprop property class. */
    public static boolean holdsPgProperties(TestPlan plan) {
        Deque<TestIdentifier> todo = new ArrayDeque<>(plan.getRoots());
        while (!todo.isEmpty()) {
            TestIdentifier id = todo.pop();
            if (id.getSource().map(EarlyStart::isPgPropertiesSource).orElse(false)) {
                return true;
            }
            todo.addAll(plan.getChildren(id));
        }
        return false;
    }

    private static boolean isPgPropertiesSource(TestSource source) {
        try {
            if (source instanceof ClassSource c) {
                return PgPropertyClasses.isPgProperties(c.getJavaClass());
            }
            if (source instanceof MethodSource m) {
                return PgPropertyClasses.isPgProperties(m.getJavaClass());
            }
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
        return false;
    }

    /** Whether this JVM's launcher found pgprop properties to run (and so started early, unless turned off). */
    public static boolean triggered() {
        return TRIGGERED.get();
    }

    private static void trigger() {
        if (!TRIGGERED.compareAndSet(false, true)) {
            return;
        }
        Settings settings = Settings.fromEnvironment();
        try {
            // where the server log, failure files and the report go
            Files.createDirectories(Path.of(settings.get("outputDir", "target/pgprop")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pgprop's output directory", e);
        }
        if (!settings.getBoolean("earlyStart", true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ServerRuntime rt = ServerRuntime.get();
                MigrationSet global = MigrationSet.fromConfig();
                if (locationsPresent(global)) {
                    rt.template(global);
                }
            } catch (RuntimeException e) {
                // met again, and reported, by the first test that asks for the server
            }
        }, "pgprop-early-start");
        t.setDaemon(true);
        t.start();
    }

    private static boolean locationsPresent(MigrationSet set) {
        for (String l : set.locations()) {
            if (l.startsWith("filesystem:")) {
                if (!Files.isDirectory(Path.of(l.substring("filesystem:".length())))) {
                    return false;
                }
            } else {
                String path = l.startsWith("classpath:") ? l.substring("classpath:".length()) : l;
                if (Thread.currentThread().getContextClassLoader().getResource(path) == null
                        && EarlyStart.class.getClassLoader().getResource(path) == null) {
                    return false;
                }
            }
        }
        return true;
    }
}

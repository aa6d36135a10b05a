package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.PgPropertyClasses;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code <outputDir>/report/index.html} when the JUnit Platform closes its launcher session,
 * that is after every test of this JVM ran, from the results lines written since the session opened
 * and the CSVs, but only when pgprop properties ran in this session: a JVM that ran other tests only
 * writes nothing. A failure to write is printed, never fails the build. {@code pgprop.report=false}
 * turns it off.
 *
 * <p>When no pgprop property ran although the test classes on the class path hold some, it says
 * so on standard error: that is what a build whose Surefire includes skip {@code *Properties}
 * looks like ({@code pgprop.warnNotRun=false} turns the warning off).
 */
public final class SessionReport implements LauncherSessionListener {
    private static final int MAX_CLASS_FILES = 20_000;

    private @Nullable Instant opened;
    private long appendedBefore;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        opened = Instant.now();
        appendedBefore = ResultsFile.appendedInThisJvm();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            Settings settings = Settings.fromEnvironment();
            if (ResultsFile.appendedInThisJvm() == appendedBefore) {
                if (settings.getBoolean("warnNotRun", true)) {
                    warnIfPropertiesWereNotRun();
                }
                return;
            }
            if (!settings.getBoolean("report", true)) {
                return;
            }
            Path outputDir = Path.of(settings.get("outputDir", "target/pgprop"));
            HtmlReport.Written w = HtmlReport.write(outputDir, since(settings, opened));
            System.out.println("pgprop: report " + w.file().toAbsolutePath().normalize() + " (" + w.runs() + " property runs, "
                    + w.failed() + " failed, " + w.charts() + " charts, " + w.millis() + " ms)");
        } catch (RuntimeException e) {
            System.err.println("pgprop: could not write the HTML report: " + e);
        }
    }

    /**
     * Where the report's lines start: when this session opened, or earlier when the build says
     * when it started ({@code pgprop.runStarted}, an ISO instant; pgprop's POMs pass Maven's build
     * timestamp). Surefire forks of one build open their sessions at different moments, and the
     * last one to finish writes the report: without the build's start it would leave out what the
     * other forks wrote before it opened.
     */
    static @Nullable Instant since(Settings settings, @Nullable Instant opened) {
        String started = settings.get("runStarted", "").trim();
        if (started.isEmpty() || opened == null) {
            return opened;
        }
        try {
            Instant run = Instant.parse(started);
            return run.isBefore(opened) ? run : opened;
        } catch (java.time.format.DateTimeParseException e) {
            System.err.println("pgprop: ignoring pgprop.runStarted=" + started + ": not an ISO instant such as 2026-12-02T15:04:05Z");
            return opened;
        }
    }

    private static void warnIfPropertiesWereNotRun() {
        List<String> found = propertyClassesOnClassPath(System.getProperty("java.class.path", ""));
        if (found.isEmpty()) {
            return;
        }
        System.err.println("pgprop: WARNING: this run ran no pgprop property, but the class path holds " + found.size()
                + " class(es) annotated @PgProperties (" + String.join(", ", found.subList(0, Math.min(3, found.size())))
                + (found.size() > 3 ? ", ..." : "") + "). If that is not what you meant, the test runner skipped them:"
                + " Surefire's default includes skip classes named *Properties; add <include>**/*Properties.java</include>"
                + " to maven-surefire-plugin's <includes> (see pgprop's README). -Dpgprop.warnNotRun=false silences this.");
    }

    /**
     * Classes annotated {@code @PgProperties} in the class path's directories (not jars: those are
     * libraries), found by their class file bytes, then confirmed by loading them without initialising.
     */
    static List<String> propertyClassesOnClassPath(String classPath) {
        byte[] needle = PgPropertyClasses.DESCRIPTOR.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry.isEmpty() ? "." : entry);
            if (entry.isEmpty() || !Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).limit(MAX_CLASS_FILES)::iterator) {
                    if (!contains(Files.readAllBytes(f), needle)) {
                        continue;
                    }
                    String rel = root.relativize(f).toString();
                    String name = rel.substring(0, rel.length() - ".class".length()).replace(java.io.File.separatorChar, '.');
                    try {
                        if (PgPropertyClasses.isPgProperties(Class.forName(name, false, loader))) {
                            found.add(name);
                        }
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not loadable from here: not a test of this run
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scan " + root + " for pgprop properties", e);
            }
        }
        return found;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

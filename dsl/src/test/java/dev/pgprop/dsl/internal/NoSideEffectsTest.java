package dev.pgprop.dsl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.internal.provision.EarlyStart;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Being on the class path has no effect: a JVM whose launcher runs only unrelated tests starts no
 * server and writes no report; one that runs pgprop properties does both. Each run is a JVM of its
 * own, with the launcher and every listener pgprop registers, as Surefire or an IDE would run it.
 */
class NoSideEffectsTest {
    @TempDir
    Path dir;

    /** A Jupiter test that has nothing to do with pgprop. */
    static class UnrelatedJupiterTest {
        @Test
        void arithmetic() {
            assertThat(1 + 1).isEqualTo(2);
        }
    }

    /** A pgprop property that never touches its database: only the early start can start the server. */
    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class SomePgProperties {
        @Property(tries = 3)
        void anyInt(@ForAll int i) {
            assertThat(i).isEqualTo(i);
        }
    }

    /** The child JVM: runs one class through a launcher session, then says what happened. */
    public static void main(String[] args) throws Exception {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Class.forName(args[0]))).build(), summary);
        }
        System.out.println("succeeded=" + summary.getSummary().getTestsSucceededCount()
                + " failed=" + summary.getSummary().getTotalFailureCount()
                + " earlyStart=" + EarlyStart.triggered() + " serverRequested=" + ServerRuntime.requested());
        System.out.flush();
        System.exit(0);
    }

    private record Child(String out, Path outputDir) {}

    private Child run(Class<?> type) throws IOException, InterruptedException {
        Path outputDir = dir.resolve("pgprop-out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dpgprop.outputDir=" + outputDir, "-Djqwik.database=" + dir.resolve("jqwik-database"),
                NoSideEffectsTest.class.getName(), type.getName()))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new Child(out, outputDir);
    }

    @Test
    void aJvmRunningOnlyAnUnrelatedJupiterTestStartsNoServerAndWritesNothing() throws Exception {
        Child c = run(UnrelatedJupiterTest.class);
        assertThat(c.out()).contains("succeeded=1 failed=0 earlyStart=false serverRequested=false");
        assertThat(c.outputDir()).as("pgprop's output directory").doesNotExist();
        assertThat(c.out()).doesNotContain("pgprop: report").doesNotContain("pgprop: suite seed").doesNotContain("ready in");
        // the class path holds pgprop properties this run did not run: that is said, not silent
        assertThat(c.out()).contains("pgprop: WARNING: this run ran no pgprop property")
                .contains("dev.pgprop.dsl.jqwik.BulkLoadProperties")
                .contains("<include>**/*Properties.java</include>");
    }

    @Test
    void aJvmRunningPgPropPropertiesStartsTheServerEarlyAndWritesTheReport() throws Exception {
        Child c = run(SomePgProperties.class);
        assertThat(c.out()).contains("succeeded=1 failed=0 earlyStart=true serverRequested=true");
        assertThat(c.outputDir().resolve("report/index.html")).exists();
        assertThat(c.out()).contains("pgprop: report").doesNotContain("WARNING: this run ran no pgprop property");
    }
}

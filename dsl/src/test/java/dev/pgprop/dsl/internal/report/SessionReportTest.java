package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherSession;

class SessionReportTest {
    @TempDir
    Path out;

    private final String outputDirBefore = System.getProperty("pgprop.outputDir");
    private final String runStartedBefore = System.getProperty("pgprop.runStarted");

    @AfterEach
    void restore() {
        System.clearProperty("pgprop.report");
        if (runStartedBefore == null) {
            System.clearProperty("pgprop.runStarted");
        } else {
            System.setProperty("pgprop.runStarted", runStartedBefore);
        }
        if (outputDirBefore == null) {
            System.clearProperty("pgprop.outputDir");
        } else {
            System.setProperty("pgprop.outputDir", outputDirBefore);
        }
    }

    private void line(Instant at, String method) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", at.toString());
        m.put("class", "com.example.Shop");
        m.put("method", method);
        m.put("status", "successful");
        m.put("tries", 10);
        m.put("durationMs", 5);
        m.put("context", "suite");
        ResultsFile.append(out, new LinkedHashMap<>(m));
    }

    @Test
    void theReportIsWrittenWhenTheSessionClosesFromThatSessionsLines() throws IOException {
        System.setProperty("pgprop.outputDir", out.toString());
        System.clearProperty("pgprop.runStarted");
        line(Instant.now().minusSeconds(3600), "fromAnEarlierRun");
        SessionReport listener = new SessionReport();
        LauncherSession session = null;
        listener.launcherSessionOpened(session);
        line(Instant.now(), "fromThisRun");
        listener.launcherSessionClosed(session);

        String html = Files.readString(out.resolve("report/index.html"));
        assertThat(html).contains("Shop#fromThisRun", "All 1 properties passed", "1 from earlier runs left out")
                .doesNotContain("Shop#fromAnEarlierRun");
    }

    @Test
    void anotherForkOfTheSameBuildCountsWhenTheBuildSaysWhenItStarted() throws IOException {
        System.setProperty("pgprop.outputDir", out.toString());
        Instant buildStart = Instant.now().minusSeconds(60);
        line(buildStart.minusSeconds(3600), "fromAnEarlierBuild");
        line(buildStart.plusSeconds(5), "fromTheOtherFork");   // written before this fork opened its session
        System.setProperty("pgprop.runStarted", buildStart.toString());
        SessionReport listener = new SessionReport();
        listener.launcherSessionOpened(null);
        line(Instant.now(), "fromThisFork");
        listener.launcherSessionClosed(null);

        String html = Files.readString(out.resolve("report/index.html"));
        assertThat(html).contains("Shop#fromThisFork", "Shop#fromTheOtherFork", "All 2 properties passed")
                .doesNotContain("Shop#fromAnEarlierBuild");
    }

    @Test
    void reportFalseWritesNothing() {
        System.setProperty("pgprop.outputDir", out.toString());
        System.setProperty("pgprop.report", "false");
        SessionReport listener = new SessionReport();
        listener.launcherSessionOpened(null);
        listener.launcherSessionClosed(null);
        assertThat(out.resolve("report/index.html")).doesNotExist();
    }
}

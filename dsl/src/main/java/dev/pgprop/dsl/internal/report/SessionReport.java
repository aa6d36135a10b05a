package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.Settings;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code <outputDir>/report/index.html} when the JUnit Platform closes its launcher session,
 * that is after every test of this JVM ran, from the results lines written since the session opened
 * and the CSVs. A failure to write is printed, never fails the build. {@code pgprop.report=false}
 * turns it off.
 */
public final class SessionReport implements LauncherSessionListener {
    private @Nullable Instant opened;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        opened = Instant.now();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            Settings settings = Settings.fromEnvironment();
            if (!settings.getBoolean("report", true)) {
                return;
            }
            Path outputDir = Path.of(settings.get("outputDir", "target/pgprop"));
            HtmlReport.Written w = HtmlReport.write(outputDir, opened);
            System.out.println("pgprop: report " + w.file().toAbsolutePath().normalize() + " (" + w.runs() + " property runs, "
                    + w.failed() + " failed, " + w.charts() + " charts, " + w.millis() + " ms)");
        } catch (RuntimeException e) {
            System.err.println("pgprop: could not write the HTML report: " + e);
        }
    }
}

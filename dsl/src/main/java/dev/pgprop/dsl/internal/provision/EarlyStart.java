package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.Settings;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates the output directory ({@code target/pgprop}), then starts provisioning the server and
 * migrating the global migration set's template, as soon as the JUnit Platform opens a session: the work overlaps test discovery and engine start-up. A
 * failure here is not reported; the first test that needs the server meets it again and reports
 * it. {@code pgprop.earlyStart=false} turns this off.
 */
public final class EarlyStart implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Settings settings = Settings.fromEnvironment();
        try {
            // jqwik opens its failure database under here before any test runs, and makes no directories
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(settings.get("outputDir", "target/pgprop")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create pgprop's output directory", e);
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
                if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(l.substring("filesystem:".length())))) {
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

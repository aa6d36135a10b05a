package dev.pgprop.dsl.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code pgprop.local.shared=true}: JVMs (Surefire forks) on one machine share one local cluster and its templates. */
class SharedClusterTest {
    private final List<Path> roots = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void removeRoots() {
        roots.forEach(LocalCluster::deleteTree);
    }

    /** A child JVM attached to the shared cluster under a temp root, driven through its stdin and stdout. */
    private static final class Fork implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintWriter in;
        String dir = "";
        String port = "";
        String template = "";
        int migrated = -1;

        Fork(Path root) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SharedClusterChild.class.getName(),
                    root.toString()).redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        Fork ready() throws Exception {
            String[] r = awaitLine("READY ").split(" ");
            dir = r[1];
            port = r[2];
            template = r[3];
            migrated = Integer.parseInt(r[4]);
            return this;
        }

        String awaitLine(String prefix) throws Exception {
            StringBuilder seen = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("fork " + process.pid() + ": " + line);
                if (line.startsWith(prefix)) {
                    return line;
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("the fork ended without '" + prefix + "':\n" + seen);
        }

        String check() throws Exception {
            in.println("CHECK");
            String line = awaitLine("OK ").trim();
            return line;
        }

        void exit() throws Exception {
            in.println("EXIT");
            drain();
            assertThat(process.waitFor()).as("the fork's exit code").isZero();
        }

        private void drain() throws Exception {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("fork " + process.pid() + ": " + line);
            }
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Path tempRoot() throws Exception {
        Path root = Files.createTempDirectory("pgprop-shared-test");
        roots.add(root);
        root.toFile().setReadable(true, false);
        root.toFile().setExecutable(true, false);
        return root;
    }

    private static long postmaster(String dir) throws Exception {
        return Long.parseLong(Files.readAllLines(Path.of(dir, "data/postmaster.pid")).get(0).trim());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void twoForksShareOneClusterAndBuildTheTemplateOnce() throws Exception {
        Path root = tempRoot();
        try (Fork a = new Fork(root); Fork b = new Fork(root)) {
            a.ready();
            b.ready();
            assertThat(b.dir).as("one cluster folder").isEqualTo(a.dir).startsWith(root.toString());
            assertThat(b.port).as("one port").isEqualTo(a.port);
            assertThat(b.template).as("one template").isEqualTo(a.template);
            assertThat(a.migrated + b.migrated).as("migrations of the template, over both forks").isEqualTo(1);
            assertThat(a.check()).isEqualTo("OK 1");
            assertThat(b.check()).isEqualTo("OK 1");
            long postmaster = postmaster(a.dir);

            a.exit();
            assertThat(Path.of(a.dir)).as("the cluster stays while a fork is attached").isDirectory();
            assertThat(alive(postmaster)).isTrue();
            assertThat(b.check()).as("the second fork still works").isEqualTo("OK 1");

            b.exit();
            assertThat(Path.of(a.dir)).as("the last fork removed the cluster").doesNotExist();
            assertThat(alive(postmaster)).as("the last fork stopped the server").isFalse();
        }
    }

    @Test
    void aKilledForkDoesNotKeepTheClusterAlive() throws Exception {
        Path root = tempRoot();
        try (Fork a = new Fork(root); Fork b = new Fork(root)) {
            a.ready();
            b.ready();
            long postmaster = postmaster(a.dir);
            a.process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, its registry entry stays
            assertThat(b.check()).isEqualTo("OK 1");

            // the cleanup of stale clusters leaves a shared cluster alone while a live JVM is attached
            assertThat(LocalCluster.cleanupStale(root, Os.isRoot() ? "postgres" : null)).isZero();
            assertThat(Path.of(b.dir)).isDirectory();
            assertThat(b.check()).isEqualTo("OK 1");

            b.exit();
            assertThat(Path.of(b.dir)).as("the last live fork removed the cluster").doesNotExist();
            assertThat(alive(postmaster)).as("the last live fork stopped the server").isFalse();
        }
    }

    @Test
    void aClusterNoLiveJvmIsAttachedToIsRemovedByTheCleanup() throws Exception {
        Path root = tempRoot();
        try (Fork a = new Fork(root)) {
            a.ready();
            long postmaster = postmaster(a.dir);
            a.process.destroyForcibly().waitFor();
            assertThat(alive(postmaster)).as("the server survives the SIGKILL").isTrue();

            assertThat(LocalCluster.cleanupStale(root, Os.isRoot() ? "postgres" : null)).isEqualTo(1);
            assertThat(Path.of(a.dir)).doesNotExist();
            assertThat(alive(postmaster)).isFalse();
        }
    }

    @Test
    void aCompleteTemplateIsReusedAndAHalfBuiltOneIsBuiltAgain() throws Exception {
        Path root = tempRoot();
        var settings = ProvisioningChainTest.settings("provider", "local", "tempDir", root.toString(), "local.shared", "true",
                "outputDir", root + "/out");
        dev.pgprop.dsl.MigrationSet set = dev.pgprop.dsl.MigrationSet.of("classpath:pgprop-test/tiny");
        ServerRuntime first = ServerRuntime.start(settings, java.util.Map.of());
        ServerRuntime second = null;
        ServerRuntime third = null;
        try {
            String template = first.template(set);
            assertThat(first.templatesMigrated()).isEqualTo(1);
            second = ServerRuntime.start(settings, java.util.Map.of());
            assertThat(second.template(set)).isEqualTo(template);
            assertThat(second.templatesMigrated()).as("a complete template is reused").isZero();

            // what a fork that died while migrating leaves: the template, not marked complete
            try (java.sql.Connection c = first.adminConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("COMMENT ON DATABASE " + template + " IS '" + ServerRuntime.BUILDING + "'");
            }
            third = ServerRuntime.start(settings, java.util.Map.of());
            assertThat(third.template(set)).isEqualTo(template);
            assertThat(third.templatesMigrated()).as("a half-built template is built again").isEqualTo(1);
            String db = third.createDatabase(set, "rebuilt");
            try (java.sql.Connection c = third.connect(db); java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("select count(*) from pg_class where relname in ('widget', 'part')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        } finally {
            for (ServerRuntime rt : java.util.Arrays.asList(third, second, first)) {
                if (rt != null) {
                    rt.close();
                }
            }
        }
        try (var left = Files.list(root)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(SharedCluster.PREFIX)).filter(Files::isDirectory))
                    .as("the last runtime to leave removed the cluster").isEmpty();
        }
    }

    @Test
    void theFolderIsOnePerBinariesAndUser() {
        List<PgBinaries> found = PgBinaries.discover(java.util.Optional.empty());
        assertThat(found).isNotEmpty();
        Path root = Path.of("/tmp");
        assertThat(SharedCluster.dirFor(found.get(0), root, "postgres")).isEqualTo(SharedCluster.dirFor(found.get(0), root, "postgres"))
                .isNotEqualTo(SharedCluster.dirFor(found.get(0), root, "someoneelse"));
    }
}

package dev.pgprop.dsl.internal.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.ProvisioningException;
import dev.pgprop.dsl.internal.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The provisioning chain, each path against a real server (none needs Docker). */
class ProvisioningChainTest {

    static Settings settings(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty("pgprop." + kv[i], kv[i + 1]);
        }
        return new Settings(p, Map.of(), new Properties());
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void localBinariesGiveATunedEphemeralClusterThatIsGoneAfterClose() throws Exception {
        ServerRuntime rt = ServerRuntime.start(settings("provider", "local"), Map.of());
        Path dataDir;
        long postmaster;
        try (Connection c = rt.adminConnection()) {
            assertThat(rt.provider()).isEqualTo("local");
            assertThat(rt.pgvectorVersion()).as("pgvector on the local binaries").isPresent();
            assertThat(scalar(c, "show fsync")).isEqualTo("off");
            assertThat(scalar(c, "show synchronous_commit")).isEqualTo("off");
            assertThat(scalar(c, "show full_page_writes")).isEqualTo("off");
            assertThat(Integer.parseInt(scalar(c, "show max_prepared_transactions"))).isGreaterThanOrEqualTo(10);
            assertThat(scalar(c, "show shared_preload_libraries")).contains("pg_stat_statements");
            assertThat(Long.parseLong(scalar(c, "select setting from pg_settings where name = 'maintenance_work_mem'")))
                    .as("maintenance_work_mem in kB").isGreaterThanOrEqualTo(512L * 1024);
            dataDir = Path.of(scalar(c, "show data_directory"));
            assertThat(dataDir.toString()).startsWith(System.getProperty("java.io.tmpdir"));
            assertThat(scalar(c, "show unix_socket_directories")).isEqualTo(dataDir.getParent().toString());
            assertThat(scalar(c, "select count(*) from pg_available_extensions where name = 'pg_stat_statements'")).isEqualTo("1");
            postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            if (Os.isRoot()) {
                assertThat(ProcessHandle.of(postmaster).orElseThrow().info().user()).contains("postgres");
            }
        } finally {
            rt.close();
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("postmaster after close").isNotEqualTo(
                java.util.Optional.of(true));
        assertThat(dataDir.getParent()).doesNotExist();
        assertThat(rt.logFile()).isPresent();
        assertThat(rt.logFile().get()).exists();
    }

    @Test
    void anExternalUrlIsUsedAsGivenAndItsPasswordIsNeverShown() throws Exception {
        ServerRuntime host = ServerRuntime.start(settings("provider", "local"), Map.of());
        try {
            String url = host.jdbcUrl("postgres") + "?password=hunter2";
            ServerRuntime ext = ServerRuntime.start(settings("jdbcUrl", url, "user", "postgres"), Map.of());
            String db;
            try {
                assertThat(ext.provider()).isEqualTo("external");
                assertThat(ext.description()).contains("127.0.0.1").doesNotContain("hunter2");
                db = ext.createDatabase(MigrationSet.of("classpath:pgprop-test/tiny"), "ExternalPath");
                try (Connection c = ext.connect(db)) {
                    assertThat(scalar(c, "select count(*) from widget")).isEqualTo("0");
                }
            } finally {
                ext.close();
            }
            try (Connection c = host.adminConnection()) {
                assertThat(scalar(c, "select count(*) from pg_database where datname like 'pgprop\\_%'"))
                        .as("databases the external runtime left on the server").isEqualTo("0");
            }
        } finally {
            host.close();
        }
    }

    @Test
    void withoutADockerEngineTestcontainersIsSkippedWithOneLogLine() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> new Provisioner(settings("pgBin", "/nonexistent/bin"),
                    Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")).provide())
                    .isInstanceOf(ProvisioningException.class);
        } finally {
            System.setErr(original);
        }
        List<String> lines = new ArrayList<>();
        for (String l : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (l.toLowerCase().contains("docker") || l.toLowerCase().contains("testcontainers")) {
                lines.add(l);
            }
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("no Docker engine answered").contains("/nonexistent/docker.sock")
                .contains("skipping Testcontainers");
    }

    @Test
    void withNoProviderTheErrorNamesEveryWayToFixIt() {
        assertThatThrownBy(() -> new Provisioner(settings("pgBin", "/nonexistent/bin"),
                Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")).provide())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("found no PostgreSQL server")
                .hasMessageContaining("PGPROP_JDBC_URL")
                .hasMessageContaining("start Docker")
                .hasMessageContaining("pgvector/pgvector:pg17")
                // a pgBin that does not exist: the fix is the installation there is, or installing one
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("docker/install-pgvector.sh", "PostgreSQL is installed in"))
                .hasMessageContaining("-Dpgprop.pgBin");
    }

    @Test
    void aForcedProviderThatIsMissingSaysSo() {
        assertThatThrownBy(() -> new Provisioner(settings("provider", "docker"),
                Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")).provide())
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("(pgprop.provider=docker)")
                .hasMessageContaining("no engine answered")
                .hasMessageNotContaining("install-pgvector");
        assertThatThrownBy(() -> new Provisioner(settings("provider", "external"), Map.of()).provide())
                .hasMessageContaining("PGPROP_JDBC_URL");
        assertThatThrownBy(() -> new Provisioner(settings("jdbcUrl", "jdbc:mysql://h/db?password=hunter2"), Map.of()).provide())
                .hasMessageContaining("must be a PostgreSQL JDBC URL")
                .hasMessageNotContaining("hunter2");
    }

    /** A cluster under {@code root} whose JVM was killed with SIGKILL: its folder, its postmaster still running. */
    private static Path clusterOfAKilledJvm(Path root) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StaleClusterChild.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        String ready = "";
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("READY ")) {
                    ready = line.substring(6).trim();
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor();
        }
        assertThat(ready).as("child JVM started a cluster").isNotEmpty();
        Path clusterDir = Path.of(ready);
        assertThat(ProcessHandle.of(postmaster(clusterDir)).map(ProcessHandle::isAlive)).as("postmaster survives the SIGKILL")
                .contains(true);
        return clusterDir;
    }

    private static long postmaster(Path clusterDir) throws Exception {
        return Long.parseLong(Files.readAllLines(clusterDir.resolve("data/postmaster.pid")).get(0).trim());
    }

    private static Path tempRoot(String prefix) throws Exception {
        Path root = Files.createTempDirectory(prefix);
        root.toFile().setReadable(true, false);
        root.toFile().setExecutable(true, false);
        return root;
    }

    @Test
    void aClusterLeftByAKilledJvmIsStoppedAndRemovedByTheNextStart() throws Exception {
        Path root = tempRoot("pgprop-stale-test");
        try {
            Path clusterDir = clusterOfAKilledJvm(root);
            long postmaster = postmaster(clusterDir);

            int cleaned = LocalCluster.cleanupStale(root, Os.isRoot() ? "postgres" : null);

            // at least the planted one: the cleanup also stops orphans of other runs on this machine
            assertThat(cleaned).isGreaterThanOrEqualTo(1);
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(clusterDir).doesNotExist();
        } finally {
            LocalCluster.deleteTree(root);
        }
    }

    @Test
    void aClusterLeftInAnotherTempDirIsStoppedAndRemovedToo() throws Exception {
        Path root = tempRoot("pgprop-stale-elsewhere");
        Path next = tempRoot("pgprop-stale-next");
        try {
            Path clusterDir = clusterOfAKilledJvm(root);
            long postmaster = postmaster(clusterDir);

            // the next run uses another pgprop.tempDir: the orphan's folder is not under it
            int cleaned = LocalCluster.cleanupStale(next, Os.isRoot() ? "postgres" : null);

            assertThat(cleaned).isGreaterThanOrEqualTo(1);
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(clusterDir).doesNotExist();
        } finally {
            LocalCluster.deleteTree(root);
            LocalCluster.deleteTree(next);
        }
    }

    /** A "Docker engine" that answers {@code /_ping} with 200 and nothing else, on a free local port. */
    private static java.net.ServerSocket fakeDockerEngine() throws java.io.IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[256]);
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // closed
                }
            }
        }, "fake-docker");
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void withoutTestcontainersADockerEngineIsPassedOverForLocalBinariesAndTheFixNamesTheDependency() throws Exception {
        try (java.net.ServerSocket docker = fakeDockerEngine()) {
            Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + docker.getLocalPort());
            assertThat(DockerProbe.probe(env).available()).as("the fake engine answers the probe").isTrue();

            ProvidedServer local = new Provisioner(settings(), env, false).provide();
            try {
                assertThat(local.provider()).isEqualTo("local");
            } finally {
                local.stopper().run();
            }
            assertThatThrownBy(() -> new Provisioner(settings("provider", "docker"), env, false).provide())
                    .isInstanceOf(ProvisioningException.class)
                    .hasMessageContaining("(pgprop.provider=docker)")
                    .hasMessageContaining("Testcontainers is not on the class path")
                    .hasMessageContaining(Provisioner.TESTCONTAINERS_COORDINATES);
            assertThatThrownBy(() -> new Provisioner(settings("pgBin", "/nonexistent/bin"), env, false).provide())
                    .as("with no other way, the error names the dependency as one fix")
                    .hasMessageContaining(Provisioner.TESTCONTAINERS_COORDINATES)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("docker/install-pgvector.sh", "PostgreSQL is installed in"));
        }
        assertThat(Provisioner.testcontainersOnClassPath()).as("this module has the optional dependency on its test class path").isTrue();
    }
}

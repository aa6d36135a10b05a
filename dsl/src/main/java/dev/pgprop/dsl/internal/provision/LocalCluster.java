package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ProvisioningException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ephemeral PostgreSQL cluster in the system temp dir, tuned for tests: one per JVM, on a free
 * port, run as the {@code postgres} user when the JVM is root, stopped at JVM exit. A cluster
 * whose JVM died (SIGKILL) is stopped and removed by the next start.
 */
final class LocalCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    static final String DIR_PREFIX = "pgprop-cluster-";
    private static final String OWNER_FILE = "owner";
    static final String SUPERUSER = "postgres";

    private final PgBinaries binaries;
    private final Path dir;
    private final @Nullable String runAs;
    private final int port;
    private volatile @Nullable Process process;

    /** A running cluster in {@code dir} that another JVM started (a shared cluster): this JVM does not own its process. */
    static LocalCluster attached(PgBinaries binaries, Path dir, @Nullable String runAs, int port) {
        return new LocalCluster(binaries, dir, runAs, port);
    }

    private LocalCluster(PgBinaries binaries, Path dir, @Nullable String runAs, int port) {
        this.binaries = binaries;
        this.dir = dir;
        this.runAs = runAs;
        this.port = port;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path logFile() {
        return dir.resolve("postgres.log");
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The settings every test cluster runs with. */
    static List<String> testSettings(Path socketDir) {
        return List.of(
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + socketDir + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_prepared_transactions = 20",
                "max_connections = 200",
                "shared_buffers = 256MB",
                "maintenance_work_mem = 1GB",
                "shared_preload_libraries = 'pg_stat_statements'",
                "pg_stat_statements.track = all",
                "jit = off",
                "timezone = 'UTC'",
                "lc_messages = 'C'",
                "log_line_prefix = '%m [%p] %q%u@%d '",
                "log_min_error_statement = error",
                "logging_collector = off");
    }

    static LocalCluster start(PgBinaries binaries, Path tempRoot, @Nullable String runAs) {
        cleanupStale(tempRoot, runAs);
        Path dir;
        try {
            dir = Files.createTempDirectory(tempRoot, DIR_PREFIX);
            writeOwner(dir);
            handTo(dir, runAs);
        } catch (IOException e) {
            throw new ProvisioningException("cannot create the cluster directory under " + tempRoot + ": " + e.getMessage()
                    + ". Make the system temp dir writable, or set -Djava.io.tmpdir to a directory"
                    + (runAs == null ? "" : " the '" + runAs + "' user can reach"), e);
        }
        try {
            initdb(binaries, dir, runAs);
            return startOnFreePort(binaries, dir, runAs);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** Gives the cluster's folder to the user who runs the server (when the JVM is root), for it alone. */
    static void handTo(Path dir, @Nullable String runAs) throws IOException {
        if (runAs != null) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
            Files.setOwner(dir, owner);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    static void initdb(PgBinaries binaries, Path dir, @Nullable String runAs) {
        List<String> cmd = List.of(binaries.initdb().toString(), "-D", dir.resolve("data").toString(),
                "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions");
        Os.Result r = exec(Os.asUser(runAs, cmd), dir, 120, "initdb");
        if (r.exitCode() != 0) {
            throw new ProvisioningException("initdb failed (exit " + r.exitCode() + ") for " + binaries.describe()
                    + (runAs == null ? "" : " as user '" + runAs + "'") + ":\n" + r.output().strip()
                    + "\nFix the PostgreSQL installation (docker/install-pgvector.sh) or point pgprop at a server with PGPROP_JDBC_URL.");
        }
        try {
            StringBuilder conf = new StringBuilder("\n# pgprop: an ephemeral test cluster\n");
            for (String s : testSettings(dir)) {
                conf.append(s).append('\n');
            }
            Files.writeString(dir.resolve("data/postgresql.conf"), conf.toString(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalCluster startOnFreePort(PgBinaries binaries, Path dir, @Nullable String runAs) {
        String lastLog = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            LocalCluster c = new LocalCluster(binaries, dir, runAs, port);
            // the JVM is the server's parent (not pg_ctl's daemon), so a stopped server is reaped at once
            List<String> cmd = List.of(binaries.binDir().resolve("postgres").toString(), "-D", c.dataDir().toString(),
                    "-p", Integer.toString(port));
            try {
                c.process = new ProcessBuilder(Os.asUser(runAs, cmd))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(c.logFile().toFile()))
                        .start();
                c.process.getOutputStream().close();
            } catch (IOException e) {
                throw new ProvisioningException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
            }
            if (c.awaitReady(Duration.ofSeconds(60))) {
                return c;
            }
            c.stop();
            lastLog = readTail(c.logFile());
            if (!lastLog.contains("could not bind") && !lastLog.contains("already in use")) {
                throw new ProvisioningException("the local PostgreSQL cluster did not start (" + binaries.describe()
                        + "); log " + c.logFile() + ":\n" + lastLog);
            }
        }
        throw new ProvisioningException("no free port for the local PostgreSQL cluster after 5 tries:\n" + lastLog);
    }

    /** Waits until postmaster.pid says "ready" (PostgreSQL 10+), or the server process ends. */
    private boolean awaitReady(Duration timeout) {
        Path pidFile = dataDir().resolve("postmaster.pid");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                return false;
            }
            try {
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() >= 8 && lines.get(7).trim().equals("ready")) {
                    return true;
                }
            } catch (IOException e) {
                // not written yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Whether the server process still runs (false once it died or was stopped). */
    boolean running() {
        Process p = process;
        if (p != null) {
            return p.isAlive();
        }
        return postmasterPid(dir).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The postmaster's pid from {@code data/postmaster.pid}, if the file is there. */
    static Optional<Long> postmasterPid(Path dir) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void stop() {
        List<String> cmd = List.of(binaries.pgCtl().toString(), "-D", dataDir().toString(), "-m", "immediate", "-w", "stop");
        try {
            Os.run(Os.asUser(runAs, cmd), dir, 60);
        } catch (IOException e) {
            LOG.warn("pgprop: stopping the local cluster in {} failed: {}", dir, e.getMessage());
        }
        Process p = process;
        if (p != null) {
            try {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Copies the server log to {@code target} (it is kept after the cluster is gone). */
    Optional<Path> keepLog(Path target) {
        try {
            if (Files.exists(logFile())) {
                dev.pgprop.dsl.internal.WholeFiles.copy(logFile(), target);
                return Optional.of(target);
            }
        } catch (IOException e) {
            LOG.warn("pgprop: cannot keep the server log at {}: {}", target, e.getMessage());
        }
        return Optional.empty();
    }

    void delete() {
        deleteTree(dir);
    }

    // --- stale clusters from a killed JVM -------------------------------------------------------

    private static void writeOwner(Path dir) throws IOException {
        Files.writeString(dir.resolve(OWNER_FILE), selfEntry() + "\n");
    }

    /** This JVM as an owner line: its pid and its start time. */
    static String selfEntry() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("");
    }

    /** Whether the JVM of an owner line ({@link #selfEntry}) is alive: the same pid, started at the same time. */
    static boolean entryAlive(String entry) {
        String[] parts = entry.trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        String start = parts.length > 1 ? parts[1] : "";
        return start.isEmpty() || h.get().info().startInstant().map(Instant::toString).orElse("").equals(start);
    }

    /** Whether the JVM that made this cluster directory is still alive. */
    static boolean ownerAlive(Path dir) {
        try {
            return entryAlive(Files.readString(dir.resolve(OWNER_FILE)));
        } catch (IOException | RuntimeException e) {
            // no owner file: a directory being created right now, or garbage; young ones are left alone
            try {
                Instant made = Files.getLastModifiedTime(dir).toInstant();
                return Duration.between(made, Instant.now()).toMinutes() < 10;
            } catch (IOException ignored) {
                return false;
            }
        }
    }

    /**
     * Stops and removes every cluster whose JVM is gone: the directories under {@code tempRoot},
     * and those of running postmasters anywhere else (a run with another {@code pgprop.tempDir}).
     */
    static int cleanupStale(Path tempRoot, @Nullable String runAs) {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tempRoot, DIR_PREFIX + "*")) {
            ds.forEach(d -> dirs.add(d.toAbsolutePath().normalize()));
        } catch (IOException e) {
            LOG.warn("pgprop: cannot scan {} for stale clusters: {}", tempRoot, e.getMessage());
        }
        dirs.addAll(runningClusterDirs());
        int cleaned = 0;
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            if (SharedCluster.isShared(d)) {
                // its registry, under its lock, says whether a live JVM is attached
                if (!SharedCluster.removeIfAbandoned(d)) {
                    continue;
                }
            } else if (ownerAlive(d)) {
                continue;
            } else {
                killPostmaster(d);
                deleteTree(d);
            }
            cleaned++;
            LOG.info("pgprop: removed the cluster {} left behind by a JVM that is gone", d);
        }
        return cleaned;
    }

    private static final java.util.regex.Pattern CLUSTER_DATA = java.util.regex.Pattern.compile(
            "\\s-D\\s+(/\\S*/" + DIR_PREFIX + "[^/\\s]+)/data(?:\\s|$)");

    /** The directories of pgprop clusters whose postmaster runs on this machine, in any folder. */
    static List<Path> runningClusterDirs() {
        return ProcessHandle.allProcesses()
                .map(h -> h.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(DIR_PREFIX) && (cmd.contains("postgres ") || cmd.contains("postmaster ")))
                .map(CLUSTER_DATA::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> Path.of(m.group(1)).normalize())
                .distinct()
                .toList();
    }

    static void killPostmaster(Path dir) {
        Path pidFile = dir.resolve("data/postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                // only a postgres process: SIGQUIT is PostgreSQL's immediate shutdown, which also
                // releases its shared memory; SIGKILL only when it does not listen
                String cmd = h.info().command().orElse("");
                if (cmd.endsWith("postgres") || cmd.endsWith("postmaster")) {
                    try {
                        Os.run(List.of("kill", "-QUIT", Long.toString(pid)), null, 10);
                        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                }
            });
            // children notice the postmaster's death and exit; give them a moment
            for (int i = 0; i < 50 && anyChildOf(dir); i++) {
                Thread.sleep(100);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("pgprop: cannot read {}: {}", pidFile, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean anyChildOf(Path dir) {
        // a process still using the data dir shows it in its command line only for the postmaster;
        // backends are checked through the lock file's socket instead: good enough to wait briefly
        return Files.exists(dir.resolve("data/postmaster.pid"))
                && ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(dir.toString()));
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, @Nullable IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("pgprop: cannot delete {}: {}", root, e.getMessage());
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ProvisioningException("no free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    private static Os.Result exec(List<String> cmd, Path dir, long timeoutSeconds, String what) {
        try {
            return Os.run(cmd, dir, timeoutSeconds);
        } catch (IOException e) {
            throw new ProvisioningException(what + " could not run: " + e.getMessage(), e);
        }
    }

    private static String readTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}

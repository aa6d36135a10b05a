package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ProvisioningException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local cluster per machine for every JVM that uses the same binaries as the same user
 * ({@code pgprop.local.shared=true}, for Surefire forks): a well-known folder under the temp root,
 * a lock file beside it ({@code <folder>.lock}, {@link FileChannel#lock}), and a registry of the
 * attached JVMs (pid and start time, one a line). Under the lock, the first JVM starts the cluster
 * and every JVM registers; at exit each one leaves, and the last live one stops the cluster and
 * removes the folder. Entries of dead JVMs (SIGKILL) are pruned at every attach and leave, so a
 * cluster no live JVM is attached to is restarted by the next attach, and removed by any local
 * run's cleanup of stale clusters.
 */
final class SharedCluster {
    private static final Logger LOG = LoggerFactory.getLogger(SharedCluster.class);
    static final String PREFIX = LocalCluster.DIR_PREFIX + "shared-";
    private static final String REGISTRY = "jvms";

    private SharedCluster() {}

    static boolean isShared(Path dir) {
        return dir.getFileName().toString().startsWith(PREFIX);
    }

    /** The well-known folder of the shared cluster of these binaries run as this user. */
    static Path dirFor(PgBinaries binaries, Path tempRoot, @Nullable String runAs) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((binaries.binDir().toAbsolutePath() + "\n" + binaries.describe()
                    + "\n" + (runAs == null ? System.getProperty("user.name") : runAs)).getBytes(StandardCharsets.UTF_8));
            return tempRoot.toAbsolutePath().normalize().resolve(PREFIX + HexFormat.of().formatHex(h, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path lockFile(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".lock");
    }

    /** Attaches this JVM to the shared cluster, starting it when no live JVM is attached (or its server is gone). */
    static LocalCluster attach(PgBinaries binaries, Path tempRoot, @Nullable String runAs) {
        Path dir = dirFor(binaries, tempRoot, runAs);
        try (FileChannel ch = FileChannel.open(lockFile(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            List<String> live = liveEntries(dir);
            var port = LocalCluster.postmasterPid(dir).isPresent() ? port(dir) : -1;
            LocalCluster attached = port > 0 ? LocalCluster.attached(binaries, dir, runAs, port) : null;
            if (!live.isEmpty() && attached != null && attached.running()) {
                live.add(LocalCluster.selfEntry());
                writeRegistry(dir, live);
                LOG.info("pgprop: attached to the shared local cluster {} on port {} ({} JVMs)", dir, port, live.size());
                return attached;
            }
            if (Files.exists(dir)) {
                // nobody live uses it (their JVMs were killed), or its server is gone: start afresh
                LocalCluster.killPostmaster(dir);
                LocalCluster.deleteTree(dir);
                LOG.info("pgprop: restarting the shared local cluster {}: {}", dir,
                        live.isEmpty() ? "no live JVM is attached" : "its server is gone");
            }
            Files.createDirectory(dir);
            writeRegistry(dir, List.of(LocalCluster.selfEntry()));
            LocalCluster.handTo(dir, runAs);
            try {
                LocalCluster.initdb(binaries, dir, runAs);
                LocalCluster c = LocalCluster.startOnFreePort(binaries, dir, runAs);
                LOG.info("pgprop: started the shared local cluster {} on port {}", dir, c.port());
                return c;
            } catch (RuntimeException e) {
                LocalCluster.deleteTree(dir);
                throw e;
            }
        } catch (IOException e) {
            throw new ProvisioningException("cannot attach to the shared local cluster " + dir + ": " + e.getMessage()
                    + ". Make the system temp dir writable, or set -Dpgprop.tempDir to a folder every fork can write to", e);
        }
    }

    /**
     * Detaches this JVM; the last live one stops the cluster and removes its folder, after copying
     * the server log to {@code keptLog}. Every JVM keeps the log as it stands when it leaves.
     */
    static void leave(LocalCluster cluster, Path keptLog) {
        Path dir = cluster.dir();
        try (FileChannel ch = FileChannel.open(lockFile(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            List<String> live = liveEntries(dir);
            live.remove(LocalCluster.selfEntry());
            cluster.keepLog(keptLog);
            if (live.isEmpty()) {
                cluster.stop();
                LocalCluster.deleteTree(dir);
                LOG.info("pgprop: stopped the shared local cluster {}: the last JVM left", dir);
            } else if (Files.isDirectory(dir)) {
                writeRegistry(dir, live);
            }
        } catch (IOException e) {
            LOG.warn("pgprop: cannot leave the shared local cluster {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Stops and removes the shared cluster in {@code dir} when no live JVM is attached; whether it
     * did. One that a JVM attaches to or leaves right now (its lock is held) is left alone.
     */
    static boolean removeIfAbandoned(Path dir) {
        try (FileChannel ch = FileChannel.open(lockFile(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false;
            }
            try (lock) {
                if (!liveEntries(dir).isEmpty()) {
                    return false;
                }
                LocalCluster.killPostmaster(dir);
                LocalCluster.deleteTree(dir);
                return true;
            }
        } catch (OverlappingFileLockException | IOException e) {
            return false;
        }
    }

    /** The registry's entries whose JVM is alive (read under the lock). */
    private static List<String> liveEntries(Path dir) {
        List<String> live = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(REGISTRY))) {
                try {
                    if (!line.isBlank() && LocalCluster.entryAlive(line)) {
                        live.add(line.trim());
                    }
                } catch (RuntimeException e) {
                    // a garbled line: not a live JVM
                }
            }
        } catch (IOException e) {
            // no registry: nobody attached
        }
        return live;
    }

    private static void writeRegistry(Path dir, List<String> entries) throws IOException {
        Path tmp = dir.resolve(REGISTRY + ".tmp");
        Files.write(tmp, entries);
        Files.move(tmp, dir.resolve(REGISTRY), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The port in {@code postmaster.pid} (its fourth line). */
    private static int port(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("data/postmaster.pid"));
            return lines.size() >= 4 ? Integer.parseInt(lines.get(3).trim()) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

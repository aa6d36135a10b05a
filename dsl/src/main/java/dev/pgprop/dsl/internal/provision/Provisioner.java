package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ProvisioningException;
import dev.pgprop.dsl.internal.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioning chain: an external URL, then Testcontainers when a Docker engine answers and
 * Testcontainers is on the class path (an optional dependency: {@value #TESTCONTAINERS_COORDINATES}),
 * then an ephemeral cluster from local binaries; failing all of them, one error naming every fix.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    public static final String DEFAULT_IMAGE = "pgvector/pgvector:pg17";
    /** What a user adds to use the Docker path. */
    public static final String TESTCONTAINERS_COORDINATES = "org.testcontainers:testcontainers-postgresql";
    private static final String TESTCONTAINERS_CLASS = "org.testcontainers.postgresql.PostgreSQLContainer";

    private final Settings settings;
    private final Map<String, String> env;
    private final boolean testcontainersPresent;

    public Provisioner(Settings settings, Map<String, String> env) {
        this(settings, env, testcontainersOnClassPath());
    }

    /** With {@code testcontainersPresent} given, not looked up: tests take both paths in one JVM. */
    public Provisioner(Settings settings, Map<String, String> env, boolean testcontainersPresent) {
        this.settings = settings;
        this.env = env;
        this.testcontainersPresent = testcontainersPresent;
    }

    public static boolean testcontainersOnClassPath() {
        try {
            Class.forName(TESTCONTAINERS_CLASS, false, Provisioner.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public ProvidedServer provide() {
        String provider = settings.getChoice("provider", "auto", "auto", "external", "docker", "local");
        boolean auto = provider.equals("auto");
        List<String> reasons = new ArrayList<>();

        Optional<Settings.Found> url = settings.lookup("jdbcUrl");
        if (auto || provider.equals("external")) {
            if (url.isPresent()) {
                return external(url.get().value());
            }
            reasons.add("1. an existing server: PGPROP_JDBC_URL (or -Dpgprop.jdbcUrl, with pgprop.user and pgprop.password) is not set");
            if (!auto) {
                throw none(provider, reasons);
            }
        }

        if (auto || provider.equals("docker")) {
            String image = settings.get("image", DEFAULT_IMAGE);
            DockerProbe.Result probe = DockerProbe.probe(env);
            if (probe.available() && !testcontainersPresent) {
                String fix = "a Docker engine answers at " + probe.endpoint().get() + ", but Testcontainers is not on the class path;"
                        + " add the test dependency " + TESTCONTAINERS_COORDINATES + " (its version comes from pgprop-bom) to use it";
                if (!auto) {
                    reasons.add("2. Docker: " + fix);
                    throw none(provider, reasons);
                }
                LOG.info("pgprop: {}; using local binaries", fix);
                reasons.add("2. Docker: " + fix);
            } else if (probe.available()) {
                LOG.info("pgprop: Docker engine at {} answers; starting Testcontainers image {}", probe.endpoint().get(), image);
                try {
                    return DockerServer.start(image);
                } catch (ProvisioningException e) {
                    if (!auto) {
                        throw e;
                    }
                    LOG.warn("pgprop: {} Falling back to local binaries.", e.getMessage());
                    reasons.add("2. Docker: the engine answered but the container did not start: " + e.getMessage());
                }
            } else {
                LOG.info("pgprop: no Docker engine answered (tried {}): skipping Testcontainers", String.join(", ", probe.tried()));
                reasons.add("2. Docker: no engine answered at " + String.join(", ", probe.tried())
                        + "; start Docker (Testcontainers then runs " + image + ")");
                if (!auto) {
                    throw none(provider, reasons);
                }
            }
        }

        Optional<String> pgBinProblem = settings.lookup("pgBin").flatMap(Provisioner::pgBinProblem);
        List<PgBinaries> found = pgBinProblem.isPresent() ? List.of() : PgBinaries.discover(settings.get("pgBin"));
        if (pgBinProblem.isPresent()) {
            reasons.add("3. local binaries: " + pgBinProblem.get());
            ProvisioningException none = none(provider, reasons);
            throw new ProvisioningException(pgBinProblem.get() + "\n" + none.getMessage());
        }
        if (found.isEmpty()) {
            reasons.add("3. local binaries: no PostgreSQL installation (initdb, pg_ctl, postgres) found in /usr/lib/postgresql/*/bin, "
                    + "/usr/pgsql-*/bin, /usr/local/pgsql/bin or PATH" + settings.get("pgBin").map(b -> " (pgprop.pgBin=" + b + ")").orElse("")
                    + "; run docker/install-pgvector.sh (Debian/Ubuntu) or set -Dpgprop.pgBin to a bin directory");
            throw none(provider, reasons);
        }
        PgBinaries bins = found.get(0);
        if (!bins.hasPgvector()) {
            LOG.warn("pgprop: {} has no pgvector; schemas that need it fail. Run docker/install-pgvector.sh to install it.", bins.describe());
        }
        @Nullable String runAs = null;
        if (Os.isRoot()) {
            runAs = settings.get("localUser", "postgres");
            if (!Os.userExists(runAs)) {
                throw new ProvisioningException("the JVM runs as root and PostgreSQL refuses to run as root, but the user '" + runAs
                        + "' that should run the local cluster does not exist. Create it (useradd --system " + runAs
                        + "), set -Dpgprop.localUser to another user, or run the tests as a non-root user.");
            }
        }
        Path tempRoot = Path.of(settings.get("tempDir", System.getProperty("java.io.tmpdir")));
        checkFreeDisk(tempRoot);
        boolean shared = settings.getBoolean("local.shared", false);
        if (shared) {
            LocalCluster.cleanupStale(tempRoot, runAs);
        }
        LocalCluster cluster = shared ? SharedCluster.attach(bins, tempRoot, runAs) : LocalCluster.start(bins, tempRoot, runAs);
        Path outputDir = Path.of(settings.get("outputDir", "target/pgprop"));
        Path keptLog = outputDir.toAbsolutePath().resolve("server/postgres-" + cluster.port()
                + (shared ? "-" + ProcessHandle.current().pid() : "") + ".log");
        String description = "local " + bins.describe() + ", " + (shared ? "shared" : "ephemeral") + " cluster " + cluster.dir()
                + " on port " + cluster.port() + (runAs == null ? "" : " as user " + runAs);
        Runnable stopper = shared ? () -> SharedCluster.leave(cluster, keptLog) : () -> {
            cluster.stop();
            cluster.keepLog(keptLog);
            cluster.delete();
        };
        return new ProvidedServer("local", description, cluster.jdbcUrl(), LocalCluster.SUPERUSER, null, keptLog, stopper,
                cluster.logFile(), cluster::running, shared);
    }

    /**
     * {@code pgprop.pgBin} names a folder with PostgreSQL's binaries: one that does not exist, or
     * lacks one of them, is a configuration error naming what is missing and any installation
     * that the search would have found instead.
     */
    private static Optional<String> pgBinProblem(Settings.Found pgBin) {
        Path bin = Path.of(pgBin.value());
        List<String> missing = new ArrayList<>();
        for (String exe : List.of("initdb", "pg_ctl", "postgres")) {
            if (!java.nio.file.Files.isExecutable(bin.resolve(exe))) {
                missing.add(exe);
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String what = !java.nio.file.Files.isDirectory(bin) ? "that folder does not exist"
                : "that folder has no executable " + String.join(", ", missing);
        List<PgBinaries> elsewhere = PgBinaries.discover(Optional.empty());
        String fix = elsewhere.isEmpty()
                ? " No other PostgreSQL installation was found either: run docker/install-pgvector.sh (Debian/Ubuntu), or set"
                        + " -Dpgprop.pgBin to the bin folder of one."
                : " PostgreSQL is installed in " + elsewhere.get(0).binDir() + " (" + elsewhere.get(0).describe() + "): set"
                        + " -Dpgprop.pgBin=" + elsewhere.get(0).binDir() + ", or remove pgprop.pgBin to let pgprop find it.";
        return Optional.of("pgprop.pgBin is '" + pgBin.value() + "' (from " + pgBin.source() + "), but " + what + "." + fix);
    }

    /** Default of {@code pgprop.minFreeDiskMb}: initdb, WAL, a template and a database per class, with room to spare. */
    static final long MIN_FREE_DISK_MB = 256;

    /** Too little free disk where the cluster would live is a configuration error, found before initdb. */
    private void checkFreeDisk(Path tempRoot) {
        long need = settings.lookup("minFreeDiskMb").map(f -> {
            try {
                return Long.parseLong(f.value());
            } catch (NumberFormatException e) {
                throw f.invalid("a number of megabytes, such as 256");
            }
        }).orElse(MIN_FREE_DISK_MB);
        long free;
        try {
            free = java.nio.file.Files.getFileStore(tempRoot).getUsableSpace() / (1024 * 1024);
        } catch (java.io.IOException e) {
            return; // a folder that cannot be asked is reported by the cluster's start
        }
        if (free < need) {
            throw new ProvisioningException("not enough free disk for the local cluster: " + free + " MB are free in " + tempRoot
                    + ", and it needs at least " + need + " MB (initdb, WAL, the migrated template and a database per"
                    + " class). Free some space there, point -Dpgprop.tempDir (or -Djava.io.tmpdir) at a folder with room, or"
                    + " lower -Dpgprop.minFreeDiskMb.");
        }
    }

    private ProvidedServer external(String url) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new ProvisioningException("pgprop.jdbcUrl is '" + JdbcUrls.mask(url)
                    + "', but it must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/postgres");
        }
        String user = settings.get("user").orElse(null);
        String password = settings.get("password").orElse(null);
        return new ProvidedServer("external", "existing server " + JdbcUrls.mask(url), url, user, password, null, () -> {});
    }

    private static ProvisioningException none(String provider, List<String> reasons) {
        StringBuilder b = new StringBuilder("pgprop found no PostgreSQL server to test against")
                .append(provider.equals("auto") ? "" : " (pgprop.provider=" + provider + ")")
                .append(". Any one of these fixes it:\n");
        for (String r : reasons) {
            b.append("  ").append(r).append('\n');
        }
        if (!provider.equals("auto")) {
            b.append("  or remove pgprop.provider to let pgprop try every way in turn\n");
        }
        return new ProvisioningException(b.toString().strip());
    }
}

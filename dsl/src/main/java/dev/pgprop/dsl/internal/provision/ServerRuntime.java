package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.internal.Escape;
import dev.pgprop.dsl.MigrationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.ProvisioningException;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one server of this JVM: its templates (one per migration set, migrated once) and the
 * databases cloned from them. Everything it created is dropped at JVM exit.
 */
public final class ServerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);
    private static final String OWNER_PREFIX = "pgprop:";
    private static @Nullable ServerRuntime instance;
    /** Why this JVM's server could not be provided: met again, as the same exception, by every later use. */
    private static @Nullable RuntimeException startFailure;
    private static volatile boolean requested;

    private final ProvidedServer server;
    private final String version;
    private final int versionNum;
    private final @Nullable String pgvectorVersion;
    /** Every pgvector version the server can install ({@code pg_available_extension_versions}). */
    private final List<String> pgvectorVersions;
    private final String jvmTag;
    private final String ownerComment;
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    /** Migration sets that failed: each fails once per JVM, and later uses meet the same exception. */
    private final Map<String, MigrationException> failedTemplates = new ConcurrentHashMap<>();
    private final Set<String> databases = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger templateCounter = new AtomicInteger();
    private volatile boolean stopped;
    private volatile @Nullable FaultException gone;

    private ServerRuntime(ProvidedServer server) {
        this.server = server;
        ProcessHandle self = ProcessHandle.current();
        this.jvmTag = Long.toString(self.pid(), 36) + Long.toString(System.nanoTime() % 1296, 36);
        this.ownerComment = OWNER_PREFIX + hostName() + ":" + self.pid() + ":"
                + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        boolean mayCreate;
        String role;
        int maxConnections;
        int reserved;
        int inUse;
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("select current_setting('server_version'), current_setting('server_version_num')::int,"
                    + " (select default_version from pg_available_extensions where name = 'vector'),"
                    + " (select rolcreatedb or rolsuper from pg_roles where rolname = current_user), current_user,"
                    + " current_setting('max_connections')::int, (select rolsuper from pg_roles where rolname = current_user),"
                    + " current_setting('superuser_reserved_connections')::int"
                    + " + coalesce(current_setting('reserved_connections', true)::int, 0),"
                    + " (select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()"
                    + " and coalesce(application_name, '') not like 'pgprop%')::int,"
                    + " (select string_agg(version, ',') from pg_available_extension_versions where name = 'vector')");
            rs.next();
            this.version = rs.getString(1);
            this.versionNum = rs.getInt(2);
            this.pgvectorVersion = rs.getString(3);
            mayCreate = rs.getBoolean(4);
            role = rs.getString(5);
            maxConnections = rs.getInt(6);
            reserved = rs.getBoolean(7) ? 0 : rs.getInt(8);
            inUse = rs.getInt(9);
            this.pgvectorVersions = PgvectorNeed.versions(rs.getString(10));
        } catch (SQLException e) {
            throw new ProvisioningException("cannot connect to the " + server.provider() + " server (" + server.description()
                    + "): " + String.valueOf(e.getMessage()).replaceAll("\\.+$", "") + (server.provider().equals("external")
                            ? ". Check PGPROP_JDBC_URL, PGPROP_USER and PGPROP_PASSWORD." : ""), e);
        }
        if (versionNum < 130000) {
            throw new ProvisioningException("the server runs PostgreSQL " + version
                    + ", but pgprop needs 13 or newer (DROP DATABASE ... WITH (FORCE)); use a newer server");
        }
        if (!mayCreate) {
            throw new ProvisioningException("the role '" + role + "' on the " + server.provider() + " server ("
                    + server.description() + ") may not create databases, and pgprop creates one per test class (cloned from a"
                    + " migrated template). Fix: as a superuser run ALTER ROLE " + quote(role) + " CREATEDB; or set"
                    + " PGPROP_USER to a role that has CREATEDB.");
        }
        ConnectionBudget.from(Settings.fromEnvironment())
                .check(server.provider() + ", " + server.description(), server.provider().equals("local"), maxConnections, reserved, inUse)
                .ifPresent(problem -> {
                    throw new ProvisioningException(problem);
                });
    }

    /** Whether anything in this JVM asked for its server yet (a server starts only when asked for). */
    public static boolean requested() {
        return requested;
    }

    /** The server of this JVM, provisioned on first use. */
    public static synchronized ServerRuntime get() {
        requested = true;
        if (startFailure != null) {
            throw startFailure;
        }
        if (instance == null) {
            try {
                instance = start(Settings.fromEnvironment(), System.getenv());
            } catch (RuntimeException e) {
                // a configuration error is raised once per JVM: the next class meets the same one, at once
                startFailure = e;
                throw e;
            }
        }
        return instance;
    }

    /** The server of this JVM if it was provided already (never starts one). */
    public static synchronized Optional<ServerRuntime> current() {
        return Optional.ofNullable(instance);
    }

    /** The fault that ended this server, once pgprop found it gone (see {@link #checkGone}). */
    public Optional<FaultException> gone() {
        return Optional.ofNullable(gone);
    }

    /**
     * After a connection fault: whether the server is gone (its process ended, or it refuses
     * connections). The first time it is found gone this is logged, once, and remembered: every
     * later use meets the same {@link FaultException}, which names the fault and the server's log.
     */
    public synchronized Optional<FaultException> checkGone(Throwable fault) {
        if (gone != null) {
            return Optional.of(gone);
        }
        if (server.running().getAsBoolean() && answers()) {
            return Optional.empty();
        }
        PgError error = PgError.classify(fault).orElseGet(() -> new PgError(ErrorClass.CONNECTION_FAILURE, "08006",
                String.valueOf(fault.getMessage()), null, null, null, null, null));
        gone = new FaultException("the PostgreSQL server is gone (" + server.provider() + ", " + server.description() + "): "
                + JdbcUrls.mask(String.valueOf(fault.getMessage())) + ". " + logExcerpt()
                + "\nThe properties still to run in this JVM fail at once with this fault (pgprop does not start another"
                + " server behind your back); find why it died in its log, then rerun.", error, fault);
        LOG.error("pgprop: {}", gone.getMessage());
        return Optional.of(gone);
    }

    private boolean answers() {
        Properties p = connectionProperties("pgprop-admin");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection(server.adminJdbcUrl(), p); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Where the server's log is, and its last lines: what to look at after a fault. */
    public String logExcerpt() {
        Path live = server.liveLog();
        if (live == null || !Files.isReadable(live)) {
            return "The server's log is not reachable from here (" + server.provider() + " server): look at it there.";
        }
        String tail;
        try {
            List<String> lines = Files.readAllLines(live, java.nio.charset.StandardCharsets.UTF_8);
            tail = String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            tail = "(cannot be read: " + e.getMessage() + ")";
        }
        return "Server log: " + live + server.log().map(k -> " (kept at " + k + " when the JVM exits)").orElse("")
                + "; its last lines:\n  " + tail;
    }

    static final int LOG_LINES = 8;

    /** A server from the provisioning chain, stopped at JVM exit or by {@link #close()}. */
    public static ServerRuntime start(Settings settings, Map<String, String> env) {
        long t0 = System.nanoTime();
        ProvidedServer provided = new Provisioner(settings, env).provide();
        ServerRuntime rt;
        try {
            rt = new ServerRuntime(provided);
        } catch (RuntimeException e) {
            provided.stopper().run();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(rt::close, "pgprop-shutdown"));
        if (!provided.provider().equals("local") || provided.shared()) {
            rt.dropStaleDatabases();
        }
        LOG.info("pgprop: provider {}: PostgreSQL {} ({}){}, ready in {} ms", provided.provider(), rt.version,
                provided.description(), rt.pgvectorVersion == null ? ", no pgvector" : ", pgvector " + rt.pgvectorVersion,
                (System.nanoTime() - t0) / 1_000_000);
        return rt;
    }

    public String provider() {
        return server.provider();
    }

    public String description() {
        return server.description();
    }

    public String version() {
        return version;
    }

    public int versionNum() {
        return versionNum;
    }

    public Optional<String> pgvectorVersion() {
        return Optional.ofNullable(pgvectorVersion);
    }

    public Optional<Path> logFile() {
        return server.log();
    }

    public @Nullable String user() {
        return server.user();
    }

    public @Nullable String password() {
        return server.password();
    }

    public String jdbcUrl(String database) {
        return JdbcUrls.withDatabase(server.adminJdbcUrl(), database);
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), connectionProperties("pgprop"));
    }

    /** A connection with extra driver properties (such as {@code options} for per-session settings). */
    public Connection connect(String database, Properties extra) throws SQLException {
        Properties p = connectionProperties("pgprop");
        p.putAll(extra);
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** A connection to the maintenance database, where databases are created and dropped. */
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(server.adminJdbcUrl(), connectionProperties("pgprop-admin"));
    }

    private Properties connectionProperties(String applicationName) {
        Properties p = new Properties();
        if (server.user() != null) {
            p.setProperty("user", server.user());
        }
        if (server.password() != null) {
            p.setProperty("password", server.password());
        }
        p.setProperty("ApplicationName", applicationName);
        // startup-packet parameters (application_name among them) survive RESET ALL; saves round trips too
        p.setProperty("assumeMinServerVersion", "13");
        return p;
    }

    // --- templates and databases ---------------------------------------------------------------

    /** A new database cloned from the set's template (migrated on first use). */
    public String createDatabase(MigrationSet set, String label) {
        String template = template(set);
        String name = databaseName(label);
        String strategy = versionNum >= 150000 ? " STRATEGY FILE_COPY" : "";
        databases.add(name);
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name) + " TEMPLATE " + quote(template) + strategy);
            s.execute("COMMENT ON DATABASE " + quote(name) + " IS '" + ownerComment + "'");
        } catch (SQLException e) {
            databases.remove(name);
            throw new PgPropException("cannot clone database " + name + " from template " + template + ": " + e.getMessage(), e);
        }
        return name;
    }

    public void dropDatabase(String name) {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
            databases.remove(name);
        } catch (SQLException e) {
            LOG.warn("pgprop: cannot drop database {}: {}", name, e.getMessage());
        }
    }

    /** Forget a database so it survives JVM exit (keepDatabaseOnFailure). */
    public void keepDatabase(String name) {
        databases.remove(name);
    }

    /** The template of a migration set: created and migrated once per JVM. */
    public String template(MigrationSet set) {
        Map<String, String> placeholders = effectivePlaceholders(set);
        boolean debug = Settings.fromEnvironment().getBoolean("flywayDebug", false);
        String key = set.locations() + " " + placeholders + (debug ? " debug" : "") + (set.preset().isEmpty() ? "" : " preset " + set.preset());
        MigrationException failed = failedTemplates.get(key);
        if (failed != null) {
            throw failed;
        }
        // computeIfAbsent holds the bin lock while migrating: two classes with one set wait for one migration
        try {
            return templates.computeIfAbsent(key, k -> server.shared() ? sharedTemplate(set, placeholders, debug, k)
                    : migrateTemplate(set, placeholders, debug, "pgprop_tpl_" + templateCounter.incrementAndGet() + "_" + jvmTag, true));
        } catch (MigrationException e) {
            failedTemplates.putIfAbsent(key, e);
            throw failedTemplates.get(key);
        }
    }

    /** Placeholders from each location's {@code placeholders.properties}, overridden by the set's own. */
    public static Map<String, String> effectivePlaceholders(MigrationSet set) {
        Map<String, String> out = new TreeMap<>();
        for (String location : set.locations()) {
            Properties defaults = new Properties();
            try (InputStream in = openDefaults(location)) {
                if (in != null) {
                    defaults.load(in);
                }
            } catch (IOException e) {
                throw new MigrationException("cannot read placeholders.properties in " + location + ": " + e.getMessage(), set, e);
            }
            for (String name : defaults.stringPropertyNames()) {
                out.put(name, defaults.getProperty(name).trim());
            }
        }
        out.putAll(set.placeholders());
        return out;
    }

    private static @Nullable InputStream openDefaults(String location) throws IOException {
        if (location.startsWith("filesystem:")) {
            Path p = Path.of(location.substring("filesystem:".length()), "placeholders.properties");
            return Files.isReadable(p) ? Files.newInputStream(p) : null;
        }
        String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        path = path.startsWith("/") ? path.substring(1) : path;
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ServerRuntime.class.getClassLoader();
        }
        return cl.getResourceAsStream(path + "/placeholders.properties");
    }

    /** The comment of a shared template that was built completely; one being built has {@link #BUILDING}. */
    static final String COMPLETE = "pgprop-template:complete";
    static final String BUILDING = "pgprop-template:building";

    /**
     * The template of a migration set on a server shared by several JVMs: named by a hash of the
     * set (its migrations' scripts and checksums, placeholders, preset), built by one JVM under an
     * advisory lock on that hash and marked {@link #COMPLETE}; the others wait for the lock and
     * reuse it. A template left half built by a JVM that died is dropped and built again. It belongs
     * to no JVM: it goes with the cluster.
     */
    private String sharedTemplate(MigrationSet set, Map<String, String> placeholders, boolean debug, String key) {
        String hash = migrationSetHash(set, placeholders, key);
        String name = "pgprop_tpl_" + hash;
        long lockKey = Long.parseUnsignedLong(hash, 16);
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
            try {
                ResultSet rs = s.executeQuery("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '"
                        + name + "'");
                if (rs.next()) {
                    if (COMPLETE.equals(rs.getString(1))) {
                        LOG.info("pgprop: reusing template {} for {} {}, built by another JVM", name, set.locations(), placeholders);
                        return name;
                    }
                    LOG.info("pgprop: dropping template {}, left half built by a JVM that is gone", name);
                    dropAnyDatabase(s, name);
                }
                migrateTemplate(set, placeholders, debug, name, false);
                s.execute("COMMENT ON DATABASE " + quote(name) + " IS '" + COMPLETE + "'");
                return name;
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
            }
        } catch (SQLException e) {
            throw new PgPropException("cannot build the shared template " + name + ": " + e.getMessage(), e);
        }
    }

    /** A stable hash of a migration set: the template key, and each resolved migration's script and checksum. */
    private String migrationSetHash(MigrationSet set, Map<String, String> placeholders, String key) {
        StringBuilder b = new StringBuilder(key).append('\n');
        try {
            // info() on the maintenance database, which has no schema history: every migration pending, with its checksum
            Flyway flyway = Flyway.configure(ServerRuntime.class.getClassLoader())
                    .dataSource(server.adminJdbcUrl(), server.user(), server.password())
                    .locations(Presets.flywayLocations(set).toArray(String[]::new))
                    .placeholders(placeholders)
                    .placeholderReplacement(!Presets.onlySupabase(set))
                    .failOnMissingLocations(true)
                    .connectRetries(0)
                    .load();
            for (org.flywaydb.core.api.MigrationInfo m : flyway.info().all()) {
                b.append(m.getScript()).append(' ').append(m.getChecksum()).append(' ').append(m.getVersion()).append('\n');
            }
        } catch (FlywayException | IllegalStateException e) {
            throw migrationFailure(set, placeholders, e, false);
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many templates this JVM migrated itself (a shared template another JVM built is not counted). */
    public int templatesMigrated() {
        return migrated.get();
    }

    private final AtomicInteger migrated = new AtomicInteger();

    private String migrateTemplate(MigrationSet set, Map<String, String> placeholders, boolean debug, String name, boolean own) {
        long t0 = System.nanoTime();
        if (own) {
            databases.add(name);
        }
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name));
            s.execute("COMMENT ON DATABASE " + quote(name) + " IS '" + (own ? ownerComment : BUILDING) + "'");
        } catch (SQLException e) {
            databases.remove(name);
            throw new PgPropException("cannot create template database " + name + ": " + e.getMessage(), e);
        }
        if (!set.preset().isEmpty()) {
            try (Connection c = connect(name)) {
                Presets.apply(set, c);
            } catch (SQLException | RuntimeException e) {
                dropDatabase(name);
                throw e instanceof PgPropException p ? p : new PgPropException("cannot prepare template " + name + " with the "
                        + set.preset() + " preset: " + e.getMessage(), e);
            }
        }
        org.flywaydb.core.api.logging.LogLevel level = org.flywaydb.core.api.logging.LogFactory.getLogLevel();
        try {
            if (debug) {
                // Flyway's own debug output, and the failing statement in its message
                org.flywaydb.core.api.logging.LogFactory.setLogLevel(org.flywaydb.core.api.logging.LogLevel.DEBUG);
            }
            List<String> locations = Presets.flywayLocations(set);
            Flyway flyway = Flyway.configure(ServerRuntime.class.getClassLoader())
                    .dataSource(jdbcUrl(name), server.user(), server.password())
                    .locations(locations.toArray(String[]::new))
                    .placeholders(placeholders)
                    .placeholderReplacement(!Presets.onlySupabase(set))
                    .failOnMissingLocations(true)
                    .cleanDisabled(true)
                    .connectRetries(0)
                    .load();
            checkPgvector(set, locations, flyway);
            flyway.migrate();
        } catch (MigrationException e) {
            dropDatabase(name);
            throw e;
        } catch (FlywayException | IllegalStateException e) {
            dropDatabase(name);
            throw migrationFailure(set, placeholders, e, debug);
        } finally {
            if (debug) {
                org.flywaydb.core.api.logging.LogFactory.setLogLevel(level);
            }
        }
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + quote(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
            // a connection left open (by Flyway or a user) would block every clone
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        } catch (SQLException e) {
            throw new PgPropException("cannot mark " + name + " as a template: " + e.getMessage(), e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        migrated.incrementAndGet();
        LOG.info("pgprop: migrated template {} for {} {} in {} ms ({} ms after JVM start)", name, set.locations(), placeholders,
                ms, sinceJvmStart);
        return name;
    }

    /** pgvector as the set's pending scripts need it, before Flyway runs any of them. */
    private void checkPgvector(MigrationSet set, List<String> locations, Flyway flyway) {
        List<String> scripts = java.util.Arrays.stream(flyway.info().pending()).map(org.flywaydb.core.api.MigrationInfo::getScript)
                .toList();
        PgvectorNeed need = PgvectorNeed.of(PgvectorNeed.read(locations, scripts, ServerRuntime.class.getClassLoader()));
        need.problem(server.provider() + " server (PostgreSQL " + version + ", " + server.description() + ")", pgvectorVersion,
                pgvectorVersions).ifPresent(problem -> {
                    throw new MigrationException(problem + " This is a configuration error: no property of this migration set"
                            + " ran a try.", set, null);
                });
    }

    /** Flyway's advice for its command line, which a pgprop user cannot follow. */
    private static final java.util.regex.Pattern FLYWAY_CLI_HINT = java.util.regex.Pattern.compile(
            "[^\\n]*Run Flyway with -X[^\\n]*\\n?");

    private MigrationException migrationFailure(MigrationSet set, Map<String, String> placeholders, RuntimeException e,
                                                boolean debug) {
        String msg = FLYWAY_CLI_HINT.matcher(String.valueOf(e.getMessage())).replaceAll("").strip();
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("vector.control") || lower.contains("extension \"vector\" is not available")
                || (lower.contains("extension \"vector\"") && lower.contains("not"))) {
            return new MigrationException("the migrations need pgvector, but the " + server.provider() + " server (PostgreSQL "
                    + version + ", " + server.description() + ") does not have it. Install it with docker/install-pgvector.sh "
                    + "(Debian/Ubuntu), use a Docker engine (image " + Provisioner.DEFAULT_IMAGE + "), or point PGPROP_JDBC_URL "
                    + "at a server with pgvector.", set, e);
        }
        return new MigrationException("Flyway could not migrate " + set.locations() + " with placeholders " + placeholders
                + " on PostgreSQL " + version + ": " + msg + "\nFix the migration named above, or choose other locations with "
                + "-Dpgprop.migrations=<comma-separated Flyway locations>."
                + (debug ? "" : " To see the failing statement and Flyway's own log, run again with -Dpgprop.flywayDebug=true.")
                + " This is a configuration error: no property of this migration set ran a try.", set, e);
    }

    private String databaseName(String label) {
        String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (clean.length() > 30) {
            clean = clean.substring(clean.length() - 30);
        }
        return "pgprop_" + clean + "_" + counter.incrementAndGet() + "_" + jvmTag;
    }

    /** Drops a database of ours, template or not, with its sessions. */
    private static void dropAnyDatabase(Statement s, String db) throws SQLException {
        s.execute("ALTER DATABASE " + quote(db) + " WITH IS_TEMPLATE false");
        s.execute("DROP DATABASE IF EXISTS " + quote(db) + " WITH (FORCE)");
    }

    static String quote(String identifier) {
        return Escape.sqlIdentifier(identifier);
    }

    // --- cleanup --------------------------------------------------------------------------------

    /** Drops databases that a killed pgprop JVM on this host left on a shared server (run at start for a server not our own). */
    public void dropStaleDatabases() {
        List<String> stale = new ArrayList<>();
        String host = hostName();
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                    + " WHERE datname LIKE 'pgprop\\_%'");
            while (rs.next()) {
                String comment = rs.getString(2);
                if (comment == null || !comment.startsWith(OWNER_PREFIX)) {
                    continue;
                }
                String[] parts = comment.substring(OWNER_PREFIX.length()).split(":");
                if (parts.length == 3 && parts[0].equals(host) && !alive(Long.parseLong(parts[1]), Long.parseLong(parts[2]))) {
                    stale.add(rs.getString(1));
                }
            }
            for (String db : stale) {
                dropAnyDatabase(s, db);
                LOG.info("pgprop: dropped database {} left behind by a JVM that is gone", db);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("pgprop: cannot clean up stale pgprop databases: {}", e.getMessage());
        }
    }

    private static boolean alive(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(h -> startMillis == 0 || h.info().startInstant().map(Instant::toEpochMilli).orElse(0L) == startMillis)
                .orElse(false);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(":", "_");
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Drops what this runtime created on a shared server and stops a server it started. */
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!server.provider().equals("local") || server.shared()) {
            // a local cluster of our own goes with its directory; a shared server keeps nothing of ours
            for (String db : List.copyOf(databases)) {
                try (Connection c = adminConnection(); Statement s = c.createStatement()) {
                    dropAnyDatabase(s, db);
                } catch (SQLException e) {
                    LOG.warn("pgprop: cannot drop {} at exit: {}", db, e.getMessage());
                }
            }
        }
        server.stopper().run();
    }

}

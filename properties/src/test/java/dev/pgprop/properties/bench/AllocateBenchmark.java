package dev.pgprop.properties.bench;

import static dev.pgprop.dsl.Invariants.noRows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.perf.Stats;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.report.Figure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The DSL's cost per try against the same statements without it (-Pbench). The property: load a
 * 10-row dataset (2 inventory rows, 8 allocations), call allocate once, check one noRows
 * invariant, in a committing scenario. Compared, in the same run and on the same server: each
 * isolation strategy through jqwik and the DSL; a plain JDBC loop issuing the same statements
 * plus the cleanup; pgbench running a script of the same statements. Prints and writes
 * target/pgprop/bench/allocate.csv and its figure spec; asserts no timing.
 */
class AllocateBenchmark {
    static final int TRIES = 2000;
    static final Dataset DATA;
    static final String LOAD_SQL;
    static final String ALLOCATE_SQL = "SELECT allocate('SKU-000001', 1)";
    static final String CHECK_SQL = "SELECT * FROM inventory WHERE allocated > on_hand";
    static final String CLEANUP_SQL = "DELETE FROM allocations; DELETE FROM inventory";

    static {
        Dataset d = Dataset.empty()
                .plus("inventory", Row.of("sku", "SKU-000001", "on_hand", 1000))
                .plus("inventory", Row.of("sku", "SKU-000002", "on_hand", 1000));
        for (int i = 0; i < 8; i++) {
            d = d.plus("allocations", Row.of("id", new UUID(0, i + 1), "sku", i % 2 == 0 ? "SKU-000001" : "SKU-000002",
                    "quantity", 1 + i, "status", "allocated"));
        }
        DATA = d;
        StringBuilder load = new StringBuilder("INSERT INTO inventory (sku, on_hand) VALUES ('SKU-000001', 1000), ('SKU-000002', 1000);");
        load.append("INSERT INTO allocations (id, sku, quantity, status) VALUES ");
        for (int i = 0; i < 8; i++) {
            load.append(i == 0 ? "" : ", ").append("('").append(new UUID(0, i + 1)).append("'::uuid, '")
                    .append(i % 2 == 0 ? "SKU-000001" : "SKU-000002").append("', ").append(1 + i).append(", 'allocated')");
        }
        LOAD_SQL = load.append(';').toString();
    }

    @PgProperties
    static class AllocateOnce {
        @Provide
        Arbitrary<Dataset> data() {
            return Arbitraries.just(DATA);
        }

        @Property(tries = TRIES, generation = net.jqwik.api.GenerationMode.RANDOMIZED)
        void allocateKeepsStock(@ForAll("data") Dataset data, Db db) {
            db.given(data).whenCommitted(tx -> tx.scalar(ALLOCATE_SQL)).then(noRows(CHECK_SQL));
        }
    }

    /** Plain JDBC inside a jqwik property, without the DSL: what jqwik alone adds per try. */
    static class PlainInJqwik {
        static Connection connection;

        @Provide
        Arbitrary<Dataset> data() {
            return Arbitraries.just(DATA);
        }

        @Property(tries = TRIES, generation = net.jqwik.api.GenerationMode.RANDOMIZED)
        void allocateKeepsStock(@ForAll("data") Dataset data) throws Exception {
            plainTry(connection);
        }
    }

    private static double engineTriesPerSecond(Class<?> type) {
        long t0 = System.nanoTime();
        EngineTestKit.engine("jqwik").configurationParameter("jqwik.database", "target/jqwik-database")
                .selectors(selectClass(type)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1));
        return TRIES / ((System.nanoTime() - t0) / 1e9);
    }

    private static double dslTriesPerSecond(String isolation) {
        System.setProperty("pgprop.isolation", isolation);
        System.setProperty("pgprop.context", "bench");
        try {
            return engineTriesPerSecond(AllocateOnce.class);
        } finally {
            System.clearProperty("pgprop.isolation");
            System.clearProperty("pgprop.context");
        }
    }

    static void plainTry(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute(LOAD_SQL);
            c.commit();
            s.execute(ALLOCATE_SQL);
            c.commit();
            c.setAutoCommit(true);
            try (var rs = s.executeQuery(CHECK_SQL)) {
                if (rs.next()) {
                    throw new IllegalStateException("oversold");
                }
            }
            s.execute(CLEANUP_SQL);
        }
    }

    private static double plainJdbcTriesPerSecond(Connection c) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < TRIES; i++) {
            plainTry(c);
        }
        return TRIES / ((System.nanoTime() - t0) / 1e9);
    }

    private static double pgbenchTps(TestDatabase db) throws Exception {
        Path script = Files.createTempFile("pgprop-allocate", ".sql");
        Files.writeString(script, "BEGIN;\n" + LOAD_SQL + "\nCOMMIT;\nBEGIN;\n" + ALLOCATE_SQL + ";\nCOMMIT;\n" + CHECK_SQL + ";\n"
                + "DELETE FROM allocations;\nDELETE FROM inventory;\n");
        script.toFile().setReadable(true, false);
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.+)").matcher(db.jdbcUrl());
        if (!m.matches()) {
            return Double.NaN;
        }
        String pgbench = findPgbench();
        if (pgbench == null) {
            return Double.NaN;
        }
        List<String> cmd = new ArrayList<>(List.of(pgbench, "-n", "-f", script.toString(), "-t", Integer.toString(TRIES), "-c", "1",
                "-h", m.group(1), "-p", m.group(2), "-U", db.user().orElse("postgres"), m.group(3)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        db.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!tps.find()) {
            System.out.println("pgbench said:\n" + out);
            return Double.NaN;
        }
        return Double.parseDouble(tps.group(1));
    }

    private static String findPgbench() {
        for (String dir : new String[] {"/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"}) {
            if (Files.isExecutable(Path.of(dir, "pgbench"))) {
                return dir + "/pgbench";
            }
        }
        return null;
    }

    /** Server-side execution (pg_stat_statements, whole server) of one measured run: ms and statements per try. */
    private static double[] serverPerTry(Connection admin, Run run) throws Exception {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        }
        run.triesPerSecond();
        try (Statement s = admin.createStatement(); var rs = s.executeQuery("SELECT sum(total_exec_time), sum(calls) FROM"
                + " pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'")) {
            rs.next();
            return new double[] {rs.getDouble(1) / TRIES, rs.getDouble(2) / TRIES};
        }
    }

    /** Median time of one empty round trip (SELECT 1), in ms. */
    private static double roundTripMs(Connection c) throws Exception {
        double[] t = new double[5000];
        try (var ps = c.prepareStatement("SELECT 1")) {
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                try (var rs = ps.executeQuery()) {
                    rs.next();
                }
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Stats.percentile(t, 50);
    }

    interface Run {
        double triesPerSecond() throws Exception;
    }

    /**
     * Medians of {@code REPS} rounds in which every runner runs once, after one warm-up round:
     * interleaved, so that load from elsewhere on the machine falls on all runners alike.
     */
    private static double[] interleavedMedians(Run... runs) throws Exception {
        double[][] r = new double[runs.length][REPS];
        for (Run run : runs) {
            run.triesPerSecond();
        }
        for (int rep = 0; rep < REPS; rep++) {
            for (int i = 0; i < runs.length; i++) {
                r[i][rep] = runs[i].triesPerSecond();
            }
        }
        double[] m = new double[runs.length];
        for (int i = 0; i < runs.length; i++) {
            m[i] = Stats.percentile(r[i], 50);
            System.out.println("runner " + i + ": " + java.util.Arrays.toString(r[i]));
        }
        return m;
    }

    static final int REPS = 3;

    @Test
    void dslAgainstPlainJdbcAndPgbench() throws Exception {
        double auto;
        double delete;
        double plain;
        double jqwikPlain;
        double pgbench;
        double[] autoServer;
        double[] plainServer;
        double[] pgbenchServer;
        double rtMs;
        try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "AllocateBenchmark");
             Connection c = db.openConnection()) {
            PlainInJqwik.connection = c;
            double[] m = interleavedMedians(() -> dslTriesPerSecond("auto"), () -> dslTriesPerSecond("delete"),
                    () -> plainJdbcTriesPerSecond(c), () -> engineTriesPerSecond(PlainInJqwik.class), () -> pgbenchTps(db));
            auto = m[0];
            delete = m[1];
            plain = m[2];
            jqwikPlain = m[3];
            pgbench = m[4];
            autoServer = serverPerTry(c, () -> dslTriesPerSecond("auto"));
            plainServer = serverPerTry(c, () -> plainJdbcTriesPerSecond(c));
            pgbenchServer = serverPerTry(c, () -> pgbenchTps(db));
            rtMs = roundTripMs(c);
        }
        StringBuilder csv = new StringBuilder("runner,tries_per_second,ratio_to_plain_jdbc,ratio_to_pgbench,server_ms_per_try,"
                + "statements_per_try\n");
        String na = "n/a";
        String[][] rows = {
            {"dsl auto (delete: the scenario commits)", fmt(auto), fmt(plain / auto), fmt(auto / pgbench), fmt(autoServer[0]),
                fmt(autoServer[1])},
            {"dsl delete", fmt(delete), fmt(plain / delete), fmt(delete / pgbench), na, na},
            {"plain jdbc loop", fmt(plain), "1.00", fmt(plain / pgbench), fmt(plainServer[0]), fmt(plainServer[1])},
            {"plain jdbc inside a jqwik property", fmt(jqwikPlain), fmt(plain / jqwikPlain), fmt(jqwikPlain / pgbench), na, na},
            {"pgbench (same statements)", fmt(pgbench), fmt(plain / pgbench), "1.00", fmt(pgbenchServer[0]), fmt(pgbenchServer[1])},
        };
        System.out.println("\nrunner                                   tries/s   plain/runner  runner/pgbench  server ms/try  statements/try");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-40s %8s %8s %8s %8s %8s%n", (Object[]) r);
            csv.append(String.join(",", r)).append('\n');
        }
        System.out.printf(Locale.ROOT, "DSL overhead (time per try, default strategy vs plain loop): %.2fx%n", plain / auto);
        // where a default try's time goes: jqwik's lifecycle (plain loop vs the same loop inside a
        // property), the server's execution (pg_stat_statements), JDBC and the network (round trips
        // of the DSL's try times an empty round trip), the DSL (the rest)
        double tryMs = 1000 / auto;
        double jqwikMs = 1000 / jqwikPlain - 1000 / plain;
        int roundTrips = 4; // load (with the previous cleanup), action, commit, check
        double jdbcMs = roundTrips * rtMs;
        double dslMs = tryMs - jqwikMs - autoServer[0] - jdbcMs;
        System.out.printf(Locale.ROOT, "per default try %.3f ms: jqwik %.3f, server %.3f, JDBC+network %.3f (%d round trips of %.3f),"
                + " DSL %.3f%n", tryMs, jqwikMs, autoServer[0], jdbcMs, roundTrips, rtMs, dslMs);
        Figure.of("allocate", "overhead", "Cost of a try").withBench()
                .withNote("The same try (load 10 rows, call allocate once, check one invariant) by each runner; median of " + REPS + " interleaved rounds of "
                        + TRIES + " tries. ratio_to_plain_jdbc: plain loop's tries/s over the runner's.")
                .withChart(Figure.Chart.bar("tries", "runner", "tries_per_second").withTitle("Tries per second: the DSL, the plain loop, pgbench")
                        .withAxisTitles("runner", "tries per second"))
                .write(csv.toString());
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.2f", d);
    }
}

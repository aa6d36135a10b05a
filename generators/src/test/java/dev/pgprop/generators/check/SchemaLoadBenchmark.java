package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.generators.corpus.Corpus;
import dev.pgprop.generators.schema.DatasetArbitrary;
import dev.pgprop.generators.schema.SchemaArbitraries;
import java.io.StringWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * A 10,000-row dataset for the 15-table film rental schema of the corpus: how long drawing it
 * takes, and how loading it through pgprop's loader (as a try calls it: SQL written from the rows,
 * keys checked in bulk) compares with {@code psql \copy} of the same rows. Runs only with {@code -Pbench}; prints figures, asserts sizes, never times.
 */
class SchemaLoadBenchmark {
    static final int RUNS = 7;
    /** Timed draws: a median over 15 is not moved by the odd draw the kernel or the JIT slows down. */
    static final int DRAWS = 15;
    static final int WARM_UPS = 40;
    static final int MAX_WARM_UPS = 200;
    static final int SETTLED = 3;

    @Test
    void tenThousandRowsForFifteenTables() throws Exception {
        JqwikSession.start();
        try (TestDatabase db = PgProp.server().createDatabase(Corpus.migrations("film_rental"), "SchemaLoadBenchmark");
             Connection c = db.openConnection()) {
            DatasetArbitrary all = SchemaArbitraries.from(db).withRows(720, 780);
            RandomGenerator<Dataset> gen = all.generator(1000, false);
            Random random = new Random(15);
            for (int i = 0; i < 2; i++) {
                gen.next(random).value();
            }
            // more untimed draws from another seed, so the JIT has compiled the hot paths before timing:
            // at least WARM_UPS, then until SETTLED draws in a row left the JIT (next to) nothing to
            // compile, at most MAX_WARM_UPS (on two busy cores its compiler threads lag far behind);
            // the timed draws still see the same random stream (and datasets) as before
            Random warmUp = new Random(16);
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            int warmUps = 0;
            int settled = 0;
            while (warmUps < MAX_WARM_UPS && (warmUps < WARM_UPS || settled < SETTLED)) {
                long compiling = jit.getTotalCompilationTime();
                gen.next(warmUp).value();
                warmUps++;
                settled = jit.getTotalCompilationTime() - compiling <= 5 ? settled + 1 : 0;
            }
            long[] genMs = new long[DRAWS];
            // the drawing thread's CPU time as well: beside other processes, wall time counts their turns on the cores
            long[] cpuMs = new long[DRAWS];
            // and its user time alone: the rest is the kernel's (page faults of a heap still growing were seen here)
            long[] userMs = new long[DRAWS];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Dataset d = null;
            for (int i = 0; i < DRAWS; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long u0 = threads.getCurrentThreadUserTime();
                long t0 = System.nanoTime();
                Dataset drawn = gen.next(random).value();
                genMs[i] = (System.nanoTime() - t0) / 1_000_000;
                // the seventh draw is the dataset loaded below (10,413 rows), as when seven draws were timed
                d = i == RUNS - 1 ? drawn : d;
                cpuMs[i] = (threads.getCurrentThreadCpuTime() - c0) / 1_000_000;
                userMs[i] = (threads.getCurrentThreadUserTime() - u0) / 1_000_000;
            }
            Arrays.sort(genMs);
            Arrays.sort(cpuMs);
            Arrays.sort(userMs);
            Dataset last = d;
            System.out.println("BENCH rows per table: " + String.join(", ", d.tables().stream().map(t -> t + " " + last.rows(t).size()).toList()));
            assertThat(d.tables()).hasSize(15);
            assertThat(d.rowCount()).isGreaterThanOrEqualTo(10_000);
            System.out.printf("BENCH schema generation: %d rows over %d tables: min %d ms, median %d ms, max %d ms (%d runs);"
                            + " CPU time of the drawing thread: min %d ms, median %d ms (user time median %d ms; after %d warm-up draws,"
                            + " JIT %s)%n",
                    d.rowCount(), d.tables().size(), genMs[0], genMs[DRAWS / 2], genMs[DRAWS - 1], DRAWS, cpuMs[0], cpuMs[DRAWS / 2],
                    userMs[DRAWS / 2], warmUps + 2, settled >= SETTLED ? "settled" : "still compiling");

            Catalog catalog = Catalog.read(c);
            List<String> order = Loader.order(catalog, d);
            String truncate = "TRUNCATE " + String.join(", ", order.stream().map(t -> catalog.table(t).qualified()).toList()) + " CASCADE";
            // the loader as a try calls it: SQL written from the rows each time, keys checked in bulk
            Dataset loaded = d;
            assertThat(Loader.loadSql(catalog, d)).as("a load this large checks its keys in bulk").contains("pgprop.load_keys");
            long[] loadMs = timedLoads(c, truncate, () -> Loader.load(c, catalog, loaded, false, Map.of()));
            // the same rows with a foreign-key check per row (the path of a small load, or of a role
            // that is not a superuser), SQL written beforehand
            String perRow = "BEGIN;" + Loader.sql(catalog, d) + "COMMIT;";
            long[] perRowMs = timedLoads(c, truncate, () -> execute(c, perRow));
            Arrays.sort(perRowMs);
            // the same rows as COPY text, one file per table, loaded by psql \\copy in one session
            Path dir = Files.createTempDirectory("pgprop-copy");
            // psql cannot close the staff/store cycle, so its session skips foreign-key triggers: a
            // baseline that does less work than pgprop's loader, which checks every key
            StringBuilder script = new StringBuilder("\\set ON_ERROR_STOP on\nBEGIN;\nSET session_replication_role = replica;\n");
            for (String t : order) {
                // a partitioned table cannot be copied out directly; generated columns cannot be copied in
                String columns = writableColumns(c, catalog.table(t).oid());
                StringWriter w = new StringWriter();
                ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                        .copyOut("COPY (SELECT " + columns + " FROM " + catalog.table(t).qualified() + ") TO STDOUT", w);
                Path f = dir.resolve(t + ".copy");
                Files.writeString(f, w.toString());
                script.append("\\copy ").append(catalog.table(t).qualified()).append(" (").append(columns).append(") FROM '").append(f)
                        .append("'\n");
            }
            script.append("COMMIT;\n");
            Path scriptFile = dir.resolve("load.sql");
            Files.writeString(scriptFile, script);
            dir.toFile().setReadable(true, false);
            URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
            long[] copyMs = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                try (Statement s = c.createStatement()) {
                    s.execute(truncate);
                }
                List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-h", u.getHost(), "-p", Integer.toString(u.getPort()),
                        "-d", u.getPath().substring(1), "-U", db.user().orElse("postgres"), "-f", scriptFile.toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                db.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
                long t0 = System.nanoTime();
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(out).isZero();
                copyMs[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(loadMs);
            Arrays.sort(copyMs);
            System.out.printf("BENCH schema load: %d rows: pgprop loader median %d ms (min %d), psql \\copy median %d ms (min %d):"
                            + " loader at %.2fx of \\copy (%d runs)%n", d.rowCount(), loadMs[RUNS / 2], loadMs[0], copyMs[RUNS / 2], copyMs[0],
                    (double) copyMs[RUNS / 2] / loadMs[RUNS / 2], RUNS);
            System.out.printf("BENCH schema load: the same rows with a foreign-key check per row (statements written beforehand):"
                    + " median %d ms (min %d), %.2fx of \\copy%n", perRowMs[RUNS / 2], perRowMs[0],
                    (double) copyMs[RUNS / 2] / perRowMs[RUNS / 2]);
        } finally {
            JqwikSession.finish();
        }
    }

    /** The table's columns a COPY can write (not generated, not dropped), quoted, in their order. */
    private static String writableColumns(Connection c, long oid) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")) {
            ps.setLong(1, oid);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Milliseconds of each of RUNS runs of {@code load}, each into tables emptied by {@code truncate}
     * (untimed), after three untimed runs that let the JIT compile the loader's Java side.
     */
    private static long[] timedLoads(Connection c, String truncate, SqlRunnable load) throws Exception {
        for (int i = 0; i < 3; i++) {
            execute(c, truncate);
            load.run();
        }
        long[] ms = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            execute(c, truncate);
            long t0 = System.nanoTime();
            load.run();
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        return ms;
    }

    private static void execute(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private interface SqlRunnable {
        void run() throws Exception;
    }
}

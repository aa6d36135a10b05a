package dev.pgprop.properties.perf;

import com.pgvector.PGvector;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.perf.BulkLoad;
import dev.pgprop.dsl.perf.Stats;
import dev.pgprop.dsl.report.Figure;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * COPY against psql's \copy (-Pbench): 100,000 narrow allocation rows (uuid, text, int, text,
 * timestamptz) and 100,000 rows of (int, vector(1536)), each loaded by binary COPY, text COPY
 * (BulkLoad), psql \copy of the same rows as a text file, a JDBC batch with
 * reWriteBatchedInserts; for vectors also binary COPY with the whole payload built in memory
 * first (the former encoder: a DataOutputStream on a ByteArrayOutputStream, PGvector.toBytes per
 * row). Every load goes into a fresh table in one transaction; the paths take turns in each round
 * (the order rotates), and the figure is the median of the rounds (7 narrow, 3 vector; both COPY
 * encoders run once on 20,000 rows first, untimed, so no round runs them cold). Prints and writes
 * target/pgprop/bench/copy.csv; asserts no timing.
 */
class CopyBenchmark {
    static final int N = Integer.getInteger("pgprop.bench.copyRows", 100_000);
    static final int ROUNDS = Integer.getInteger("pgprop.bench.copyRounds", 3);
    /** Narrow loads take a fraction of a second: more rounds for the median. */
    static final int NARROW_ROUNDS = Integer.getInteger("pgprop.bench.copyNarrowRounds", 7);
    /** Rows of the untimed warm-up load of each BulkLoad COPY path, so no timed round runs the encoders cold. */
    static final int WARMUP_ROWS = 20_000;

    interface Load {
        void run(Connection c) throws Exception;
    }

    record Shape(String name, String table, String ddl, String columns, List<Row> rows) {}

    static Shape narrow() {
        return new Shape("narrow (uuid, text, int, text, timestamptz)", "bulk_narrow",
                "create table bulk_narrow (like allocations including all)", "id, sku, quantity, status, allocated_at",
                Measurements.allocations(N).rows("allocations"));
    }

    static Shape vectors() {
        Random r = new Random(1536);
        List<Row> rows = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            float[] v = new float[1536];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            rows.add(Row.of("id", i + 1, "embedding", v));
        }
        return new Shape("vector(1536)", "bulk_vec", "create table bulk_vec (id int primary key, embedding vector(1536))",
                "id, embedding", rows);
    }

    @Test
    void copyAgainstPsql() throws Exception {
        StringBuilder csv = new StringBuilder("rows,path,rows_per_second,ratio_to_psql_copy\n");
        try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.fromConfig(), "CopyBenchmark")) {
            // pgprop.bench.copyShapes=narrow (or vector) measures one shape only
            String only = System.getProperty("pgprop.bench.copyShapes", "narrow,vector");
            List<Shape> shapes = new ArrayList<>();
            if (only.contains("narrow")) {
                shapes.add(narrow());
            }
            if (only.contains("vector")) {
                shapes.add(vectors());
            }
            for (Shape shape : shapes) {
                Map<String, Load> paths = new LinkedHashMap<>();
                paths.put("binary COPY (BulkLoad)", c -> BulkLoad.load(c, shape.table(), shape.rows(), BulkLoad.Path.COPY_BINARY));
                paths.put("text COPY (BulkLoad)", c -> BulkLoad.load(c, shape.table(), shape.rows(), BulkLoad.Path.COPY_TEXT));
                paths.put("JDBC batch (reWriteBatchedInserts)", c -> BulkLoad.load(c, shape.table(), shape.rows(), BulkLoad.Path.BATCH));
                if (shape.table().equals("bulk_vec")) {
                    paths.put("binary COPY, payload built first (former encoder)", c -> formerBinaryCopy(c, shape.rows()));
                }
                Path file = textFile(db, shape);
                paths.put("psql \\copy (text)", c -> psqlCopy(db, shape, file));
                warmUp(db, shape);
                int rounds = shape.table().equals("bulk_vec") ? ROUNDS : NARROW_ROUNDS;
                Map<String, double[]> rates = new LinkedHashMap<>();
                paths.keySet().forEach(k -> rates.put(k, new double[rounds]));
                List<String> names = new ArrayList<>(paths.keySet());
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < names.size(); k++) {
                        String name = names.get((k + round) % names.size());
                        rates.get(name)[round] = timed(db, shape, paths.get(name));
                    }
                }
                Files.deleteIfExists(file);
                double psql = Stats.percentile(rates.get("psql \\copy (text)"), 50);
                System.out.printf(Locale.ROOT, "%n%s, %d rows: median of %d rounds (rows/s, ratio to psql \\copy)%n", shape.name(), N, rounds);
                for (Map.Entry<String, double[]> e : rates.entrySet()) {
                    double m = Stats.percentile(e.getValue(), 50);
                    System.out.printf(Locale.ROOT, "  %-52s %10.0f  %5.2fx  %s%n", e.getKey(), m, m / psql, java.util.Arrays.toString(e.getValue()));
                    csv.append(String.format(Locale.ROOT, "%s,%s,%.0f,%.2f%n", shape.name().startsWith("vector") ? "vector(1536)" : "narrow",
                            e.getKey(), m, m / psql));
                }
                try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                    s.execute("drop table if exists " + shape.table());
                }
            }
        }
        Figure.of("copy", "bulk", "COPY against psql \\copy").withBench()
                .withNote("100,000 rows per load, median of " + NARROW_ROUNDS + " rounds (narrow) and " + ROUNDS + " (vector), after an untimed warm-up; each load into a fresh table in one transaction.")
                .withChart(Figure.Chart.bar("ratio", "path", "ratio_to_psql_copy").withSeries("rows")
                        .withTitle("Rows per second relative to psql \\copy").withAxisTitles("path", "× psql \\copy")
                        .withReference(1.0, "psql \\copy = 1.0"))
                .write(csv.toString());
    }

    /** Both BulkLoad COPY paths once on the first rows, untimed and rolled back: the JIT compiles the encoders here. */
    private static void warmUp(TestDatabase db, Shape shape) throws Exception {
        List<Row> some = shape.rows().subList(0, Math.min(WARMUP_ROWS, shape.rows().size()));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), credentials(db)); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("drop table if exists " + shape.table() + "; " + shape.ddl());
            BulkLoad.load(c, shape.table(), some, BulkLoad.Path.COPY_BINARY);
            s.execute("truncate " + shape.table());
            BulkLoad.load(c, shape.table(), some, BulkLoad.Path.COPY_TEXT);
            c.rollback();
        }
    }

    private static Properties credentials(TestDatabase db) {
        Properties p = new Properties();
        db.user().ifPresent(u -> p.setProperty("user", u));
        db.password().ifPresent(pw -> p.setProperty("password", pw));
        return p;
    }

    /** Rows per second of one load into a fresh table (the table's creation not timed). */
    private static double timed(TestDatabase db, Shape shape, Load load) throws Exception {
        Properties p = credentials(db);
        p.setProperty("reWriteBatchedInserts", "true");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + shape.table() + "; " + shape.ddl() + "; checkpoint");
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            load.run(c);
            c.commit();
            double rate = N / ((System.nanoTime() - t0) / 1e9);
            c.setAutoCommit(true);
            try (var rs = s.executeQuery("select count(*) from " + shape.table())) {
                rs.next();
                if (rs.getLong(1) != N) {
                    throw new IllegalStateException(shape.table() + " has " + rs.getLong(1) + " rows, not " + N);
                }
            }
            return rate;
        }
    }

    /** The rows as a COPY text file, written by the server from a loaded table (readable by psql). */
    private static Path textFile(TestDatabase db, Shape shape) throws Exception {
        Path file = Files.createTempFile("pgprop-copy", ".tsv");
        file.toFile().setWritable(true, false);
        file.toFile().setReadable(true, false);
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + shape.table() + "; " + shape.ddl());
            BulkLoad.load(c, shape.table(), shape.rows(), BulkLoad.Path.COPY_BINARY);
            try (var out = Files.newOutputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + shape.table() + " (" + shape.columns() + ") TO STDOUT", out);
            }
        }
        return file;
    }

    private static void psqlCopy(TestDatabase db, Shape shape, Path file) throws Exception {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.+)").matcher(db.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot read host and port from " + db.jdbcUrl());
        }
        String psql = null;
        for (String v : new String[] {"17", "16", "15"}) {
            if (Files.isExecutable(Path.of("/usr/lib/postgresql/" + v + "/bin/psql"))) {
                psql = "/usr/lib/postgresql/" + v + "/bin/psql";
                break;
            }
        }
        ProcessBuilder pb = new ProcessBuilder(psql, "-q", "-v", "ON_ERROR_STOP=1", "-h", m.group(1), "-p", m.group(2), "-U",
                db.user().orElse("postgres"), "-d", m.group(3), "-c", "\\copy " + shape.table() + " (" + shape.columns() + ") from '" + file + "'")
                .redirectErrorStream(true);
        db.password().ifPresent(pw -> pb.environment().put("PGPASSWORD", pw));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql \\copy failed: " + out);
        }
    }

    /** The former binary COPY: the whole payload in a ByteArrayOutputStream, PGvector.toBytes per row, then sent. */
    private static void formerBinaryCopy(Connection c, List<Row> rows) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("PGCOPY\n");
        out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        for (Row r : rows) {
            out.writeShort(2);
            out.writeInt(4);
            out.writeInt((Integer) r.get("id"));
            PGvector v = new PGvector((float[]) r.get("embedding"));
            byte[] b = new byte[v.lengthInBytes()];
            v.toBytes(b, 0);
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeShort(-1);
        out.flush();
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bulk_vec (id, embedding) FROM STDIN (FORMAT binary)",
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
    }
}

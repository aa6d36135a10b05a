package dev.pgprop.properties.perf;

import dev.pgprop.dsl.perf.BulkLoad;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.report.Figure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements behind the report's bulk and concurrency figures, shared by the short run of
 * the default suite and the full run under -Pbench. They record figures; they assert none.
 */
final class Measurements {
    private Measurements() {}

    static Path reportDir() throws IOException {
        Path dir = Path.of(System.getProperty("pgprop.outputDir", "target/pgprop")).resolve("report");
        Files.createDirectories(dir);
        return dir;
    }

    /** n allocation rows on 10 SKUs, with the SKUs first (a dataset with parents first). */
    static Dataset allocations(int n) {
        Dataset d = Dataset.empty();
        for (int s = 1; s <= 10; s++) {
            d = d.plus("inventory", Row.of("sku", String.format("SKU-%06d", s), "on_hand", 100_000_000));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Row.of("id", new UUID(0x1000, i), "sku", String.format("SKU-%06d", 1 + i % 10), "quantity", 1 + i % 1000,
                    "status", i % 7 == 0 ? "cancelled" : "allocated", "allocated_at",
                    java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i)));
        }
        return d.with("allocations", rows);
    }

    record BulkFigure(String path, int rows, double rowsPerSecond) {}

    /**
     * Loads n allocation rows by each path (and psql's \copy of the same text file) into {@code
     * bulk_allocations}, a copy of allocations' columns, checks and primary key without its trigger
     * and foreign key: the figures are the paths' own. (Into allocations itself, every row's trigger
     * updates one of a few inventory rows inside one transaction, and each update walks a longer
     * chain of that row's versions: a 100k-row load there grows quadratically.)
     */
    static List<BulkFigure> bulk(TestDatabase db, int n, int repetitions) throws Exception {
        Dataset data = allocations(n);
        List<Row> rows = data.rows("allocations");
        List<BulkFigure> out = new ArrayList<>();
        Properties batchProps = new Properties();
        batchProps.setProperty("reWriteBatchedInserts", "true");
        for (BulkLoad.Path path : BulkLoad.Path.values()) {
            if (path == BulkLoad.Path.ROW_BY_ROW && n > 10_000) {
                continue; // row by row at 100k would take minutes and tell nothing new
            }
            double best = 0;
            for (int rep = 0; rep < repetitions; rep++) {
                try (Connection c = path == BulkLoad.Path.BATCH ? connect(db, batchProps) : db.openConnection()) {
                    freshBulkTable(c);
                    c.setAutoCommit(false);
                    long t0 = System.nanoTime();
                    BulkLoad.load(c, "bulk_allocations", rows, path);
                    c.commit();
                    best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
                }
            }
            out.add(new BulkFigure(path.name().toLowerCase(Locale.ROOT).replace('_', ' '), n, best));
        }
        double psql = psqlCopy(db, data, repetitions);
        if (!Double.isNaN(psql)) {
            out.add(new BulkFigure("psql \\copy (text)", n, psql));
        }
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists bulk_allocations");
        }
        return out;
    }

    private static Connection connect(TestDatabase db, Properties extra) throws Exception {
        Properties p = new Properties();
        db.user().ifPresent(u -> p.setProperty("user", u));
        db.password().ifPresent(pw -> p.setProperty("password", pw));
        p.putAll(extra);
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), p);
    }

    /** A fresh, empty bulk_allocations table. */
    private static void freshBulkTable(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("drop table if exists bulk_allocations; create table bulk_allocations (like allocations including all)");
        }
    }

    private static double psqlCopy(TestDatabase db, Dataset data, int repetitions) throws Exception {
        String psql = null;
        for (String v : new String[] {"17", "16", "15"}) {
            if (Files.isExecutable(Path.of("/usr/lib/postgresql/" + v + "/bin/psql"))) {
                psql = "/usr/lib/postgresql/" + v + "/bin/psql";
                break;
            }
        }
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.+)").matcher(db.jdbcUrl());
        if (psql == null || !m.matches()) {
            return Double.NaN;
        }
        Path file = Files.createTempFile("pgprop-bulk", ".tsv");
        StringBuilder b = new StringBuilder();
        for (Row r : data.rows("allocations")) {
            b.append(r.get("id")).append('\t').append(r.get("sku")).append('\t').append(r.get("quantity")).append('\t')
                    .append(r.get("status")).append('\t').append(r.get("allocated_at")).append('\n');
        }
        Files.writeString(file, b.toString());
        file.toFile().setReadable(true, false);
        double best = 0;
        for (int rep = 0; rep < repetitions; rep++) {
            try (Connection c = db.openConnection()) {
                freshBulkTable(c);
            }
            ProcessBuilder pb = new ProcessBuilder(psql, "-q", "-h", m.group(1), "-p", m.group(2), "-U", db.user().orElse("postgres"),
                    "-d", m.group(3), "-c", "\\copy bulk_allocations (id, sku, quantity, status, allocated_at) from '" + file + "'")
                    .redirectErrorStream(true);
            db.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                System.out.println("psql \\copy failed: " + out);
                return Double.NaN;
            }
            best = Math.max(best, data.rowCount("allocations") / ((System.nanoTime() - t0) / 1e9));
        }
        Files.deleteIfExists(file);
        return best;
    }

    static final Figure BULK = Figure.of("bulk", "bulk", "Bulk loading")
            .withNote("Each path loads the same allocation rows into a fresh table (best of the repetitions); "
                    + "psql \\copy reads the same rows from a text file, and its time includes starting psql, which weighs most at small n.")
            .withChart(Figure.Chart.line("rate", "rows", "rows_per_second").withTitle("Rows per second by load path").withSeries("path")
                    .withLogX().withLogY().withAxisTitles("rows loaded", "rows per second"))
            .withChart(Figure.Chart.line("ratio", "rows", "ratio_to_psql_copy").withTitle("Speed relative to psql \\copy")
                    .withSeries("path").withLogX().withLogY().withAxisTitles("rows loaded", "speed × psql \\copy's")
                    .withReference(1.0, "psql \\copy = 1.0"));

    static final Figure CONCURRENCY = Figure.of("concurrency", "concurrency", "Concurrent allocate")
            .withNote("allocate(sku, qty) from each session on 4 SKUs with stock for every call; then oversold rows and drift "
                    + "(allocated against the sum of allocations) are counted.")
            .withChart(Figure.Chart.line("rate", "sessions", "allocations_per_second").withTitle("allocate calls per second against sessions")
                    .withAxisTitles("concurrent sessions", "allocate calls per second").withCounts("calls", "oversold", "drift"));

    static void writeBulkCsv(List<BulkFigure> figures, boolean bench) throws IOException {
        StringBuilder csv = new StringBuilder("path,rows,rows_per_second,ratio_to_psql_copy\n");
        for (BulkFigure f : figures) {
            double psql = figures.stream().filter(g -> g.rows() == f.rows() && g.path().startsWith("psql"))
                    .mapToDouble(BulkFigure::rowsPerSecond).findFirst().orElse(Double.NaN);
            csv.append(String.format(Locale.ROOT, "%s,%d,%.0f,%s%n", f.path(), f.rows(), f.rowsPerSecond(),
                    Double.isNaN(psql) ? "" : String.format(Locale.ROOT, "%.2f", f.rowsPerSecond() / psql)));
        }
        (bench ? BULK.withBench() : BULK).write(csv.toString());
    }

    record ConcurrencyFigure(int sessions, long calls, double allocationsPerSecond, long oversold, long drift) {}

    /**
     * Calls allocate from {@code sessions} sessions, {@code callsPerSession} times each, on 4 SKUs
     * with more stock than all calls together; then counts oversold rows and drift.
     */
    static ConcurrencyFigure allocateThroughput(TestDatabase db, int sessions, int callsPerSession) throws Exception {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute("truncate payments, allocations, inventory cascade;"
                    + " insert into inventory (sku, on_hand) select format('SKU-%s', lpad(g::text, 6, '0')), 10000000"
                    + " from generate_series(1, 4) g");
        }
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong calls = new AtomicLong();
        List<Future<Void>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < sessions; t++) {
                int session = t;
                futures.add(pool.submit(() -> {
                    try (Connection c = db.openConnection();
                         PreparedStatement ps = c.prepareStatement("select allocate(?, ?)")) {
                        start.await();
                        for (int i = 0; i < callsPerSession; i++) {
                            ps.setString(1, String.format("SKU-%06d", 1 + (session + i) % 4));
                            ps.setInt(2, 1 + i % 5);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                            calls.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<Void> f : futures) {
                f.get();
            }
            double rate = calls.get() / ((System.nanoTime() - t0) / 1e9);
            try (Connection c = db.openConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select (select count(*) from inventory where allocated > on_hand),"
                         + " (select count(*) from inventory i where allocated <> (select coalesce(sum(quantity), 0)"
                         + " from allocations a where a.sku = i.sku and a.status <> 'cancelled'))")) {
                rs.next();
                return new ConcurrencyFigure(sessions, calls.get(), rate, rs.getLong(1), rs.getLong(2));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void writeConcurrencyCsv(List<ConcurrencyFigure> figures, boolean bench) throws IOException {
        StringBuilder csv = new StringBuilder("sessions,calls,allocations_per_second,oversold,drift\n");
        for (ConcurrencyFigure f : figures) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.0f,%d,%d%n", f.sessions(), f.calls(), f.allocationsPerSecond(), f.oversold(),
                    f.drift()));
        }
        (bench ? CONCURRENCY.withBench() : CONCURRENCY).write(csv.toString());
    }
}

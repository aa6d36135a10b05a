package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import dev.pgprop.dsl.jqwik.Jqwik;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.Test;

/**
 * The soak ({@code mvn test -Psoak -pl dsl -am}; not in the default run): 10,000 tries, bounded
 * by {@code pgprop.soak.tries} and {@code pgprop.soak.minutes} (20), of committed, rolled-back,
 * concurrent, interleaved, failing (an allowed error), abandoned (the try given up halfway, a
 * prepared transaction and an unclosed handle left behind) scenarios, 1,000 tries per run of one
 * of four property classes in turn. After each run of 1,000 it measures what must not grow: rows
 * a try found at its start, client sessions on the server, prepared transactions, the heap after
 * a full GC, the JVM's open file descriptors; and tries per second, with the CPU time per try of
 * the JVM and of the server (which other work on the machine does not stretch, as it does tries
 * per second). The table is printed and written to {@code target/pgprop/soak.csv}.
 */
class ReliabilitySoak {
    static final AtomicLong DIRTY_STARTS = new AtomicLong();
    static final AtomicLong TRIES = new AtomicLong();

    abstract static class Mixed {
        @Property(tries = 1000, generation = GenerationMode.RANDOMIZED)
        void mixed(@ForAll @IntRange(min = 0, max = 7) int kind, @ForAll @IntRange(min = 1, max = 4) int n, Db db) {
            TRIES.incrementAndGet();
            long seen = (Long) db.rows("select (select count(*) from widget) + (select count(*) from part) as n").get(0).get("n");
            if (seen != 0) {
                DIRTY_STARTS.incrementAndGet();
            }
            Dataset data = Dataset.empty();
            for (int i = 1; i <= n; i++) {
                data = data.plus("widget", Row.of("id", i, "label", "w" + i)).plus("part", Row.of("id", i, "widget_id", i, "weight", i));
            }
            switch (kind) {
                case 0 -> db.given(data).whenCommitted(tx -> tx.execute("insert into widget (id, label) values (100, 'c')")).run();
                case 1 -> db.given(data).whenRolledBack(tx -> tx.execute("insert into widget (id, label) values (100, 'rb')")).run();
                case 2 -> db.given(data).whenConcurrently(2, tx ->
                        tx.execute("insert into widget (id, label) values (?, 'cc')", 200 + tx.session())).run();
                case 3 -> db.given(data).whenInterleaved(Interleaving.of(TransactionIsolationLevel.READ_COMMITTED, "T1", "T2")
                        .step("T1", "update widget set label = 't1' where id = 1")
                        .step("T2", "update widget set label = 't2' where id = 1")
                        .commit("T1")
                        .commit("T2")).run();
                case 4 -> db.given(data).whenCommitted(tx -> tx.execute("insert into widget (id, label) values (1, 'dup')"))
                        .allowing(ErrorClass.UNIQUE_VIOLATION).run();
                case 5 -> {
                    // abandoned: a prepared transaction and an open handle left behind, the try given up
                    db.given(data).whenHandle(h -> {
                        h.execute("begin");
                        h.execute("insert into widget (id, label) values (300, 'prepared')");
                        h.execute("prepare transaction 'soak_" + TRIES.get() + "'");
                    }).run();
                    db.jdbi().open().execute("insert into widget (id, label) values (301, 'open handle')");
                    Assume.that(false);
                }
                case 6 -> db.given(data).whenHandle(h -> h.execute("insert into part (id, widget_id, weight) values (400, 1, 1)")).run();
                default -> db.given(data).whenCommitted(tx -> tx.execute("update part set weight = weight + 1")).run();
            }
        }
    }

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class A extends Mixed {}

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class B extends Mixed {}

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class C extends Mixed {}

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class D extends Mixed {}

    record Checkpoint(long tries, double seconds, double triesPerSecond, long dirtyStarts, long sessions, long prepared,
                      long heapMb, long fds, double jvmCpuMsPerTry, double serverCpuMsPerTry) {}

    @Test
    void tenThousandMixedTriesLeakNothing() throws Exception {
        long maxTries = Long.getLong("pgprop.soak.tries", 10_000);
        long maxMillis = Long.getLong("pgprop.soak.minutes", 20) * 60_000;
        List<Class<?>> classes = List.of(A.class, B.class, C.class, D.class);
        List<Checkpoint> table = new ArrayList<>();
        long t0 = System.nanoTime();
        long lastTries = 0;
        long lastNanos = t0;
        long lastJvmCpu = jvmCpuMs();
        long lastServerCpu = serverCpuMs();
        for (int run = 0; TRIES.get() < maxTries && (System.nanoTime() - t0) / 1_000_000 < maxMillis; run++) {
            Jqwik.run(classes.get(run % classes.size())).testEvents().assertStatistics(s -> s.failed(0).succeeded(1));
            long now = System.nanoTime();
            long tries = TRIES.get();
            long jvmCpu = jvmCpuMs();
            long serverCpu = serverCpuMs();
            table.add(new Checkpoint(tries, (now - t0) / 1e9, (tries - lastTries) / ((now - lastNanos) / 1e9),
                    DIRTY_STARTS.get(), count("select count(*) from pg_stat_activity where backend_type = 'client backend'"
                            + " and pid <> pg_backend_pid()"), count("select count(*) from pg_prepared_xacts"), heapMb(), fds(),
                    (jvmCpu - lastJvmCpu) / (double) (tries - lastTries),
                    serverCpu < 0 ? Double.NaN : (serverCpu - lastServerCpu) / (double) (tries - lastTries)));
            lastTries = tries;
            lastNanos = now;
            lastJvmCpu = jvmCpu;
            lastServerCpu = serverCpu;
            System.out.println("soak " + table.get(table.size() - 1));
        }
        StringBuilder csv = new StringBuilder("tries,seconds,tries_per_second,dirty_starts,sessions,prepared_xacts,heap_mb,open_fds,"
                + "jvm_cpu_ms_per_try,server_cpu_ms_per_try\n");
        for (Checkpoint c : table) {
            csv.append(String.format(Locale.ROOT, "%d,%.1f,%.1f,%d,%d,%d,%d,%d,%.2f,%.2f%n", c.tries(), c.seconds(), c.triesPerSecond(),
                    c.dirtyStarts(), c.sessions(), c.prepared(), c.heapMb(), c.fds(), c.jvmCpuMsPerTry(), c.serverCpuMsPerTry()));
        }
        Path out = Path.of(System.getProperty("pgprop.outputDir", "target/pgprop"), "soak.csv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, csv);
        System.out.println("soak figures in " + out + "\n" + csv);

        assertThat(TRIES.get()).as("tries run").isGreaterThanOrEqualTo(Math.min(maxTries, 1000));
        assertThat(table).allSatisfy(c -> {
            assertThat(c.dirtyStarts()).as("tries that started on rows of an earlier try").isZero();
            assertThat(c.sessions()).as("client sessions left on the server").isZero();
            assertThat(c.prepared()).as("prepared transactions left").isZero();
        });
        if (table.size() >= 3) {
            // the first run warms up (classes, the template); after it the heap and the descriptors stay flat
            List<Checkpoint> steady = table.subList(1, table.size());
            long heapSpread = steady.stream().mapToLong(Checkpoint::heapMb).max().orElse(0)
                    - steady.stream().mapToLong(Checkpoint::heapMb).min().orElse(0);
            long fdSpread = steady.stream().mapToLong(Checkpoint::fds).max().orElse(0)
                    - steady.stream().mapToLong(Checkpoint::fds).min().orElse(0);
            assertThat(heapSpread).as("heap after a full GC, max - min over the runs after the first (MB)").isLessThanOrEqualTo(HEAP_BOUND_MB);
            assertThat(fdSpread).as("open file descriptors, max - min over the runs after the first").isLessThanOrEqualTo(FD_BOUND);
        }
    }

    static final long HEAP_BOUND_MB = 16;
    static final long FD_BOUND = 8;

    private static long count(String sql) throws Exception {
        try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** CPU time of this JVM (ms): unlike tries/s, not stretched by other work on the machine. */
    private static long jvmCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /**
     * CPU time of the server (ms): the postmaster, the backends it reaped and those still running,
     * from /proc; -1 when the server is not a process of this machine that can be read.
     */
    private static long serverCpuMs() {
        try {
            Path dataDir;
            try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_setting('data_directory')")) {
                rs.next();
                dataDir = Path.of(rs.getString(1));
            }
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            long ticks = cpuTicks(pid, true);
            for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
                try {
                    ticks += cpuTicks(child.pid(), false);
                } catch (java.io.IOException | RuntimeException gone) {
                    // a backend that ended meanwhile: its time goes to the postmaster's reaped children
                }
            }
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /** utime + stime (+ cutime + cstime: children waited for) from /proc/PID/stat, in clock ticks. */
    private static long cpuTicks(long pid, boolean withReapedChildren) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after "(comm) ": state is index 0, utime is field 14 of stat, so index 11 here
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return withReapedChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    }

    private static long heapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private static long fds() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}

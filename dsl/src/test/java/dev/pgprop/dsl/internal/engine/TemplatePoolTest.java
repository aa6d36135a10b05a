package dev.pgprop.dsl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The template pool: clones ready ahead of use up to its size, never more databases than its
 * bound, each take a fresh database, given-back clones dropped in the background, nothing left
 * after close; a clone left by a killed JVM is dropped by the next run's cleanup.
 */
class TemplatePoolTest {
    static final MigrationSet TINY = MigrationSet.of("classpath:pgprop-test/tiny");
    static final EngineConfig CONFIG = new EngineConfig(Isolation.TEMPLATE, "30s", "10s", false);

    private static Set<String> databases(String prefix) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select datname from pg_database where datname like '" + prefix + "%'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void clonesAheadWithinItsBoundAndLeavesNothingBehind() throws Exception {
        String label = "pooltest";
        String prefix = "pgprop_" + label + "_try";
        List<String> used = new ArrayList<>();
        int most = 0;
        try (TemplatePool pool = new TemplatePool(TINY, label, CONFIG, 2, 3)) {
            for (int i = 0; i < 8; i++) {
                TemplatePool.Clone c = pool.take();
                used.add(c.database().name());
                try (Statement s = c.session().createStatement()) {
                    try (ResultSet rs = s.executeQuery("select count(*) from widget")) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("a fresh clone").isZero();
                    }
                    s.execute("insert into widget (id, label) values (1, 'leftover')");
                }
                c.session().close();
                pool.giveBack(c.database());
                most = Math.max(most, databases(prefix).size());
                assertThat(pool.awaitReady(2, 60_000)).as("two clones ready again").isTrue();
                most = Math.max(most, databases(prefix).size());
            }
            assertThat(pool.takes()[0]).as("warm takes").isGreaterThanOrEqualTo(7);
        }
        assertThat(used).doesNotHaveDuplicates().hasSize(8);
        assertThat(most).as("databases of the pool at once").isBetween(2, 3);
        assertThat(databases(prefix)).as("after close").isEmpty();
    }

    @Test
    void quietMeansTheGivenBackCloneIsDroppedAndTheReadyOnesAreThere() throws Exception {
        String prefix = "pgprop_poolquiet_try";
        try (TemplatePool pool = new TemplatePool(TINY, "poolquiet", CONFIG, 2, 4)) {
            for (int i = 0; i < 3; i++) {
                TemplatePool.Clone c = pool.take();
                c.session().close();
                pool.giveBack(c.database());
                assertThat(pool.awaitQuiet(2, 60_000)).as("quiet after give-back %d", i).isTrue();
                // nothing in flight: exactly the two ready clones exist, the given-back one is gone
                assertThat(databases(prefix)).as("databases when quiet").hasSize(2).doesNotContain(c.database().name());
                assertThat(pool.readyCount()).isEqualTo(2);
            }
        }
        assertThat(databases(prefix)).isEmpty();
    }

    @Test
    void aPoolOfSizeZeroClonesOnTheTrysPath() throws Exception {
        try (TemplatePool pool = new TemplatePool(TINY, "poolcold", CONFIG, 0, 1)) {
            TemplatePool.Clone c = pool.take();
            assertThat(pool.readyCount()).isZero();
            c.session().close();
            pool.giveBack(c.database());
            assertThat(pool.takes()).containsExactly(0, 1);
        }
        assertThat(databases("pgprop_poolcold_try")).isEmpty();
    }

    @Test
    void aCloneLeftByAKilledProcessIsDroppedByTheNextCleanup() throws Exception {
        // the owner: a process killed by SIGKILL, as a JVM killed in the middle of a run would be
        Process owner = new ProcessBuilder("sleep", "600").start();
        long pid = owner.pid();
        long started = owner.info().startInstant().orElseThrow().toEpochMilli();
        owner.destroyForcibly().waitFor();
        String leftover = "pgprop_pooltest_try_1_" + Long.toString(pid, 36) + "zz";
        String host = InetAddress.getLocalHost().getHostName().replace(":", "_");
        try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + leftover);
            s.execute("comment on database " + leftover + " is 'pgprop:" + host + ":" + pid + ":" + started + "'");
        }
        assertThat(databases(leftover)).containsExactly(leftover);
        ServerRuntime.get().dropStaleDatabases();
        assertThat(databases(leftover)).as("dropped: its owner is gone").isEmpty();
    }
}

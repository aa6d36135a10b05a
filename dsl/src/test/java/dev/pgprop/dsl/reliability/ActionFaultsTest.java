package dev.pgprop.dsl.reliability;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import dev.pgprop.dsl.jqwik.Jqwik;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * What an action does wrong: a statement past statement_timeout is a classified error of the
 * action (SQLSTATE 57014, STATEMENT_TIMEOUT, the setting named); a server backend out of memory is
 * the named fault (53200), not a counterexample; a connection the property opened and never closed
 * is found after the property, terminated, and fails the property naming it.
 */
class ActionFaultsTest {
    static final List<Connection> LEAKED = new ArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class SlowAction {
        @Property(tries = 3)
        void sleeps(@ForAll @IntRange(min = 1, max = 3) int n, Db db) {
            db.given(Dataset.of("widget", List.of(Row.of("id", n, "label", "w"))))
                    .whenCommitted(tx -> tx.execute("select pg_sleep(5)")).then(constraintsHold());
        }
    }

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class LeaksAConnection {
        @Property(tries = 3)
        void leaks(@ForAll @IntRange(min = 1, max = 3) int n, Db db) throws Exception {
            Properties p = new Properties();
            ServerRuntime rt = ServerRuntime.get();
            if (rt.user() != null) {
                p.setProperty("user", rt.user());
            }
            if (rt.password() != null) {
                p.setProperty("password", rt.password());
            }
            p.setProperty("ApplicationName", "leaky-property");
            Connection c = DriverManager.getConnection(db.database().jdbcUrl(), p);
            c.createStatement().execute("select 1");
            LEAKED.add(c); // never closed
            db.given(Dataset.of("widget", List.of(Row.of("id", n, "label", "w")))).then(constraintsHold());
        }
    }

    /**
     * Runs its server's backend out of memory: the backend's address space is capped (prlimit, as
     * the local cluster's user {@code postgres}) a little above what it maps, and the action asks
     * for 400 MB.
     */
    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class RunsTheServerOutOfMemory {
        @Property(tries = 2)
        void outOfMemory(@ForAll @IntRange(min = 1, max = 3) int n, Db db) {
            db.given(Dataset.of("widget", List.of(Row.of("id", n, "label", "w")))).whenCommitted(tx -> {
                long pid = ((Number) java.util.Objects.requireNonNull(tx.scalar("select pg_backend_pid()"))).longValue();
                java.nio.file.Path proc = java.nio.file.Path.of("/proc", Long.toString(pid));
                boolean capped = Files.readAllLines(proc.resolve("limits")).stream()
                        .anyMatch(l -> l.startsWith("Max address space") && !l.contains("unlimited"));
                if (!capped) { // a session of an earlier try is capped already (a limit can be lowered, not raised)
                    long vmKb = Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("VmSize:"))
                            .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
                    // as the backend's own user: lowering one's own limit needs no capability
                    Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "prlimit", "--pid", Long.toString(pid),
                            "--as=" + (vmKb + 64 * 1024) * 1024).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (p.waitFor() != 0) {
                        throw new AssertionError("prlimit on the backend (as user postgres; the tests run as root) failed: " + out);
                    }
                }
                tx.execute("select length(repeat('x', 400000000))");
            }).then(constraintsHold());
        }
    }

    @BeforeEach
    void output() throws Exception {
        System.setProperty("pgprop.outputDir", Files.createTempDirectory("pgprop-action-faults").toString());
    }

    @AfterEach
    void clear() throws Exception {
        System.clearProperty("pgprop.outputDir");
        System.clearProperty("pgprop.statementTimeout");
        for (Connection c : LEAKED) {
            c.close();
        }
        LEAKED.clear();
    }

    private static List<Throwable> failures(Class<?> type) {
        return Jqwik.run(type).testEvents().failed().list().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow()).toList();
    }

    @Test
    void aStatementPastStatementTimeoutIsClassifiedAndNamesTheSetting() {
        System.setProperty("pgprop.statementTimeout", "200ms");
        List<Throwable> failures = failures(SlowAction.class);
        assertThat(failures).singleElement().isInstanceOf(ScenarioException.class).satisfies(t -> {
            ScenarioException se = (ScenarioException) t;
            assertThat(se.error()).isNotNull();
            assertThat(se.error().errorClass()).isEqualTo(ErrorClass.STATEMENT_TIMEOUT);
            assertThat(se.error().sqlState()).isEqualTo("57014");
            assertThat(se.getMessage()).startsWith(Seen.STATEMENT_TIMEOUT).contains("pgprop.statementTimeout");
        });
    }

    @Test
    void aServerOutOfMemoryIsTheNamedFaultNotACounterexample() {
        List<Throwable> failures = failures(RunsTheServerOutOfMemory.class);
        assertThat(failures).singleElement().isInstanceOf(FaultException.class).satisfies(t -> {
            assertThat(t.getMessage()).startsWith(Seen.SERVER_OUT_OF_MEMORY).contains("RESOURCES_EXHAUSTED [53200] out of memory")
                    .contains("Give the server more memory").contains("Server log: ").contains("; its last lines:");
            assertThat(((FaultException) t).error()).isNotNull();
            assertThat(((FaultException) t).error().sqlState()).isEqualTo("53200");
        });
    }

    @Test
    void aConnectionTheActionLeaksIsCaughtAndReclaimed() throws Exception {
        List<Throwable> failures = failures(LeaksAConnection.class);
        assertThat(LEAKED).hasSizeGreaterThanOrEqualTo(3);
        assertThat(failures).singleElement().isInstanceOf(PgPropException.class)
                .satisfies(t -> assertThat(t.getMessage()).startsWith(Seen.CONNECTION_LEAK)
                        .contains("application_name 'leaky-property'").contains("pgprop terminated them"));
        long left = 0;
        for (int i = 0; i < 50; i++) {
            try (Connection c = ServerRuntime.get().adminConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where application_name = 'leaky-property'")) {
                rs.next();
                left = rs.getLong(1);
            }
            if (left == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(left).as("leaked sessions still on the server").isZero();
    }
}

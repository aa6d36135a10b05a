package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The postmaster killed with SIGKILL mid-property (in a JVM of its own, on its own ephemeral
 * cluster): pgprop says once that the server is gone, naming its log and last lines; that
 * property fails with the fault (not shrunk, no sample, no failure file) and every later class
 * fails at once with the same fault. Nothing is left running and the cluster folder is removed.
 */
class ServerDeathTest {
    @Test
    void aKilledPostmasterIsOneNamedFaultAndTheRestFailFast() throws Exception {
        ChildRun run = ChildRun.of(Map.of("pgprop.provider", "local"), Map.of(), Probes.AfterTheKill.names());
        String postmaster = run.output().lines().filter(l -> l.startsWith("CHILD POSTMASTER ")).findFirst().orElseThrow();
        long pid = Long.parseLong(postmaster.split(" ")[2]);
        Path dataDir = Path.of(postmaster.split(" ")[3]);
        String database = run.output().lines().filter(l -> l.startsWith("CHILD DATABASE ")).findFirst().orElseThrow().substring(15);

        assertThat(run.results()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("CHILD FAILED")
                .contains("dev.pgprop.dsl.FaultException: " + Seen.SERVER_GONE));
        assertThat(run.output().lines().filter(l -> l.contains("ERROR ServerRuntime - pgprop: the PostgreSQL server is gone")))
                .as("said once").hasSize(1);
        assertThat(run.output()).contains("Server log: " + dataDir.getParent().resolve("postgres.log"))
                .contains("fail at once with this fault")
                .doesNotContain("minimal dataset").doesNotContain("Shrunk Sample").doesNotContain("replay:");
        assertThat(run.outputDir().resolve("failures")).doesNotExist();
        assertThat(run.resultsFile()).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"status\":\"fault\""));

        // nothing left behind: no postmaster, no backend of its databases, no cluster folder
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(database))).isEmpty();
        assertThat(dataDir.getParent()).doesNotExist();
        assertThat(Files.exists(run.outputDir().resolve("server"))).as("the log is kept").isTrue();
    }
}

package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A setup that is wrong is a configuration error: checked before any try, raised once per JVM
 * (the second property meets the same one), never shrunk, no sample, seed or replay printed, no
 * failure file; {@code results.jsonl} says {@code configuration-error}. Each case runs in a JVM of
 * its own, since a JVM provisions its server once.
 */
class ConfigurationErrorsTest {
    static final List<String> WITH_DATA = List.of(Probes.WithData.class.getName());

    static void assertConfigurationError(ChildRun run) throws Exception {
        assertThat(run.results()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("CHILD FAILED"));
        assertThat(run.output()).contains("pgprop: configuration error (no try ran; nothing shrunk; no sample, no failure file)")
                .contains("not run: the same configuration error as above")
                .doesNotContain("minimal dataset").doesNotContain("Shrunk Sample").doesNotContain("Original Sample")
                .doesNotContain("replay:").doesNotContain("seed:        ");
        assertThat(run.outputDir().resolve("failures")).doesNotExist();
        assertThat(run.resultsFile()).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"status\":\"configuration-error\"")
                .contains("\"tries\":0").contains("\"replayCommand\":null"));
    }

    @Test
    void aPgBinThatDoesNotExistNamesTheInstallationThatDoes() throws Exception {
        ChildRun run = ChildRun.of(Map.of("pgprop.pgBin", "/opt/no-such-postgresql/bin", "pgprop.provider", "local"), Map.of(),
                WITH_DATA);
        assertConfigurationError(run);
        String first = run.lineAfter("pgprop: configuration error");
        assertThat(first).startsWith(Seen.PG_BIN_MISSING).contains("PostgreSQL is installed in /usr/lib/postgresql/")
                .doesNotContain("no PostgreSQL installation");
    }

    @Test
    void aRefusedPortIsAConfigurationError() throws Exception {
        ChildRun run = ChildRun.of(Map.of("pgprop.jdbcUrl", "jdbc:postgresql://127.0.0.1:9/postgres"), Map.of(), WITH_DATA);
        assertConfigurationError(run);
        assertThat(run.lineAfter("pgprop: configuration error")).startsWith(Seen.CONNECTION_REFUSED);
    }

    @Test
    void aRoleWithoutCreatedbIsToldTheFixBeforeTheServerIsReady() throws Exception {
        ServerRuntime server = ServerRuntime.get();
        try (Connection c = server.adminConnection(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgprop_no_createdb') THEN"
                    + " CREATE ROLE pgprop_no_createdb LOGIN NOSUPERUSER NOCREATEDB; END IF; END $$");
        }
        ChildRun run = ChildRun.of(Map.of("pgprop.jdbcUrl", server.jdbcUrl("postgres"), "pgprop.user", "pgprop_no_createdb"),
                Map.of(), WITH_DATA);
        assertConfigurationError(run);
        assertThat(run.lineAfter("pgprop: configuration error")).startsWith(Seen.NO_CREATEDB)
                .contains("ALTER ROLE \"pgprop_no_createdb\" CREATEDB");
        assertThat(run.output()).doesNotContain("ready in");
    }

    @Test
    void aSuiteThatMayOpenMoreSessionsThanTheServerAcceptsIsToldWhatToRaiseOrLower() throws Exception {
        ServerRuntime server = ServerRuntime.get();
        ChildRun run = ChildRun.of(Map.of("pgprop.jdbcUrl", server.jdbcUrl("postgres"), "pgprop.user", "postgres",
                "pgprop.jvms", "20"), Map.of(), WITH_DATA);
        assertConfigurationError(run);
        assertThat(run.lineAfter("pgprop: configuration error")).startsWith(Seen.TOO_MANY_SESSIONS)
                .contains("max_connections = 200").contains("ALTER SYSTEM SET max_connections = ")
                .contains("lower pgprop.jvms, pgprop.concurrentSessions or pgprop.templatePool.bound");
        assertThat(run.output()).doesNotContain("ready in");
    }

    @Test
    void migrationsThatAskForAPgvectorTheServerLacksAreToldBeforeFlywayRuns() throws Exception {
        ServerRuntime server = ServerRuntime.get();
        ChildRun run = ChildRun.of(Map.of("pgprop.jdbcUrl", server.jdbcUrl("postgres"), "pgprop.user", "postgres"), Map.of(),
                List.of(Probes.NeedsAnotherPgvector.class.getName()));
        assertConfigurationError(run);
        assertThat(run.lineAfter("pgprop: configuration error")).startsWith(Seen.PGVECTOR_VERSION)
                .contains("offers pgvector " + server.pgvectorVersion().orElseThrow()).contains("docker/install-pgvector.sh")
                .doesNotContain("does not have it");
        assertThat(run.output()).doesNotContain("Flyway could not migrate");
    }
}

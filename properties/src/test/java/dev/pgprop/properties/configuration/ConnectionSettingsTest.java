package dev.pgprop.properties.configuration;

import static dev.pgprop.properties.configuration.ConfigurationProperties.NO_DOCKER;
import static dev.pgprop.properties.configuration.ConfigurationProperties.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgprop.dsl.MigrationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.ProvisioningException;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The documented, actionable messages for what a user gets wrong: a URL that is not a PostgreSQL
 * JDBC URL, a server that does not answer, a wrong password, a server without pgvector. One
 * example each: these are single configurations, not a space of inputs.
 */
class ConnectionSettingsTest {

    @Test
    void aUrlThatIsNotAPostgresJdbcUrlIsNamedWithAnExample() {
        assertThatThrownBy(() -> ServerRuntime.start(settings("jdbcUrl", "jdbc:mysql://db:3306/app?password=s3cret"), NO_DOCKER))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("pgprop.jdbcUrl is 'jdbc:mysql://db:3306/app?password=")
                .hasMessageContaining("it must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/postgres")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aServerThatDoesNotAnswerNamesTheSettingsToCheck() {
        assertThatThrownBy(() -> ServerRuntime.start(settings("jdbcUrl",
                "jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2&password=s3cret"), NO_DOCKER))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("cannot connect to the external server (existing server jdbc:postgresql://127.0.0.1:1/postgres")
                .hasMessageContaining("Connection to 127.0.0.1:1 refused")
                .hasMessageEndingWith("Check PGPROP_JDBC_URL, PGPROP_USER and PGPROP_PASSWORD.")
                .hasMessageNotContaining("s3cret");
    }

    /**
     * The local cluster trusts every connection, so for this one test a role of its own is made to
     * need a password (a pg_hba.conf line for it alone, removed afterwards).
     */
    @Test
    void aWrongPasswordNamesTheSettingsToCheck() throws Exception {
        ServerRuntime server = ServerRuntime.get();
        assumeTrue(server.provider().equals("local"), "needs the local cluster, whose pg_hba.conf the test may change");
        String role = "pgprop_password_test";
        try (Connection c = server.adminConnection(); Statement s = c.createStatement()) {
            s.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = '" + role + "') then"
                    + " create role " + role + " login password 'right'; end if; end $$");
            String hbaFile;
            String original;
            try (ResultSet rs = s.executeQuery("select current_setting('hba_file'), pg_read_file(current_setting('hba_file'))")) {
                rs.next();
                hbaFile = rs.getString(1);
                original = rs.getString(2);
            }
            try {
                writeLines(s, hbaFile, "host all " + role + " 127.0.0.1/32 scram-sha-256\n"
                        + "host all " + role + " ::1/128 scram-sha-256\n" + original);
                String url = server.jdbcUrl("postgres");
                assertThatThrownBy(() -> ServerRuntime.start(settings("jdbcUrl", url, "user", role, "password", "wrong"), NO_DOCKER))
                        .isInstanceOf(ProvisioningException.class)
                        .hasMessageContaining("cannot connect to the external server")
                        .hasMessageContaining("password authentication failed for user \"" + role + "\"")
                        .hasMessageEndingWith("Check PGPROP_JDBC_URL, PGPROP_USER and PGPROP_PASSWORD.")
                        .hasMessageNotContaining("wrong");
            } finally {
                writeLines(s, hbaFile, original);
            }
        }
    }

    /** Writes a file on the server, line by line and verbatim (CSV with delimiter and quote that no line has). */
    private static void writeLines(Statement s, String file, String text) throws Exception {
        s.execute("copy (select line from unnest(string_to_array(" + literal(text) + ", E'\\n')) with ordinality as l(line, n)"
                + " where line <> '' order by n) to " + literal(file) + " with (format csv, delimiter E'\\x02', quote E'\\x01')");
        s.execute("select pg_reload_conf()");
        Thread.sleep(300); // the postmaster rereads pg_hba.conf on SIGHUP
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Test
    void aServerWithoutPgvectorNamesTheInstallScript() {
        assertThatThrownBy(() -> PgProp.server().createDatabase(MigrationSet.of("classpath:config-test/no_pgvector"), "NoPgvector"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("the migrations need pgvector, but the")
                .hasMessageContaining("does not have it. Install it with docker/install-pgvector.sh (Debian/Ubuntu),"
                        + " use a Docker engine (image pgvector/pgvector:pg17), or point PGPROP_JDBC_URL at a server with pgvector.");
    }
}

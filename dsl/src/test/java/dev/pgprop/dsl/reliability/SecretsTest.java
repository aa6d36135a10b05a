package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A password given in each of its three forms (-Dpgprop.password, PGPROP_PASSWORD, inside
 * PGPROP_JDBC_URL) reaches no file a Maven run writes under target/ (Surefire's XML reports
 * included, which record the test JVM's system properties) and not its console, for a failing
 * and a passing property. The run is a Maven build of its own (this module's compiled classes,
 * its own target directory) against this JVM's server, as an external one.
 */
class SecretsTest {
    static final String D_SECRET = "pgpropSecretDashD4711";
    static final String ENV_SECRET = "pgpropSecretEnv4712";
    static final String URL_SECRET = "pgpropSecretUrl4713";

    @Test
    void aPasswordInAnyFormReachesNoFileAndNoConsole() throws Exception {
        ServerRuntime server = ServerRuntime.get();
        // the child connects as a role of its own; the local cluster trusts local connections, so the
        // planted passwords are carried by pgprop without being checked
        try (Connection c = server.adminConnection(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgprop_secret_probe') THEN"
                    + " CREATE ROLE pgprop_secret_probe LOGIN SUPERUSER; END IF; END $$");
        }
        Path module = Path.of(System.getProperty("user.dir"));
        Path project = Files.createTempDirectory("pgprop-secrets");
        String pom = Files.readString(module.resolve("pom.xml"), StandardCharsets.UTF_8)
                .replace("<version>0.1.0-SNAPSHOT</version>\n  </parent>",
                        "<version>0.1.0-SNAPSHOT</version>\n    <relativePath>" + module.resolve("../pom.xml").normalize() + "</relativePath>\n  </parent>")
                .replace("<artifactId>pgprop-dsl</artifactId>\n  <name>", "<artifactId>pgprop-secret-probe</artifactId>\n  <name>")
                .replace("</project>", "<build><outputDirectory>" + module.resolve("target/classes") + "</outputDirectory>"
                        + "<testOutputDirectory>" + module.resolve("target/test-classes") + "</testOutputDirectory></build></project>");
        assertThat(pom).contains("pgprop-secret-probe").contains("<relativePath>");
        Files.writeString(project.resolve("pom.xml"), pom);

        String url = server.jdbcUrl("postgres") + "?password=" + URL_SECRET;
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-o", "surefire:test", "-Dtest=SecretProbe",
                "-Dsurefire.failIfNoSpecifiedTests=false", "-Dpgprop.password=" + D_SECRET, "-Dpgprop.user=pgprop_secret_probe",
                "-Dpgprop.earlyStart=true"));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        Child.Result r = Child.run(cmd, Map.of("PGPROP_JDBC_URL", url, "PGPROP_PASSWORD", ENV_SECRET), project, 600);

        assertThat(r.output()).as("the run happened: one property failed, one passed")
                .contains("Tests run: 2, Failures: 1").contains("pgprop: SecretProbe.fails failed");
        Path target = project.resolve("target");
        assertThat(target.resolve("surefire-reports")).isDirectoryContaining("glob:**TEST-*.xml");
        assertThat(target.resolve("pgprop/results.jsonl")).exists();
        assertThat(target.resolve("pgprop/failures")).isDirectoryContaining("glob:**.sql");
        List<String> leaks = new ArrayList<>();
        for (String secret : List.of(D_SECRET, ENV_SECRET, URL_SECRET)) {
            if (r.output().contains(secret)) {
                leaks.add("console: " + secret);
            }
            try (Stream<Path> files = Files.walk(target)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (contains(f, secret)) {
                        leaks.add(project.relativize(f) + ": " + secret);
                    }
                }
            }
        }
        assertThat(leaks).as("where a planted password was found").isEmpty();
        deleteTree(project);
    }

    private static boolean contains(Path f, String secret) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(secret);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replay command fits how the property was run. */
class ReplayCommandTest {
    static final String JSON = "{\"format\":2,\"property\":\"p\",\"parameters\":[]}";

    private static Path pom(Path dir, String modules) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), "<project><modules>" + modules + "</modules></project>");
        return dir;
    }

    @Test
    void mavenInAReactorSelectsTheModuleFromTheRoot() throws Exception {
        Path root = pom(Files.createTempDirectory("reactor"), "<module>dsl</module><module>properties</module>");
        Path module = pom(root.resolve("properties"), "");
        String c = ReplayCommand.of(ReplayCommand.Runner.MAVEN, module, ReplayCommandTest.class, "m",
                Optional.of(MigrationSet.of("classpath:pgprop/reference")), JSON, module.resolve("target/x.json"));
        assertThat(c).startsWith("mvn -pl properties -am test -Dtest='ReplayCommandTest#m'")
                .contains("'-Dpgprop.migrations=classpath:pgprop/reference'").contains(" -Dpgprop.replay=inline:");
    }

    @Test
    void mavenInAProjectOfItsOwnHasNoModuleSelection() throws Exception {
        // a user's project that happens to sit inside another project's directory: not one of its modules
        Path outer = pom(Files.createTempDirectory("outer"), "<module>dsl</module>");
        Path project = pom(outer.resolve("my-schema-tests"), "");
        String c = ReplayCommand.of(ReplayCommand.Runner.MAVEN, project, ReplayCommandTest.class, "m", Optional.empty(), JSON,
                project.resolve("target/x.json"));
        assertThat(c).startsWith("mvn test -Dtest='ReplayCommandTest#m' -Dsurefire.failIfNoSpecifiedTests=false -Dpgprop.replay=inline:")
                .doesNotContain("-pl").doesNotContain("-am");
    }

    @Test
    void anIdeOrConsoleRunGetsTheSystemProperty() throws Exception {
        Path project = Files.createTempDirectory("ide");
        String c = ReplayCommand.of(ReplayCommand.Runner.PLAIN, project, ReplayCommandTest.class, "m", Optional.empty(), JSON,
                project.resolve("target/x.json"));
        assertThat(c).startsWith("run " + ReplayCommandTest.class.getName() + "#m with the JVM system properties -Dpgprop.replay=inline:")
                .contains("VM options").contains("--select-method '" + ReplayCommandTest.class.getName() + "#m'")
                .doesNotContain("mvn");
    }
}

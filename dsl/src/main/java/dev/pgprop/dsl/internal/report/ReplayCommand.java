package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.MigrationSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command that replays a failure, for the way this run was started: Maven (in a reactor,
 * {@code -pl <module> -am} from its root; in a project of one module, plain {@code mvn test}),
 * or anything else (an IDE, the JUnit Platform console launcher), where the replay is a JVM
 * system property to add to the run.
 */
final class ReplayCommand {
    enum Runner { MAVEN, PLAIN }

    private ReplayCommand() {}

    /** The command for this JVM: Maven when Surefire started it, else the system-property form. */
    static String forThisRun(Class<?> type, String method, Optional<MigrationSet> migrations, String json, Path jsonFile) {
        Runner runner = System.getProperty("surefire.test.class.path") != null ? Runner.MAVEN : Runner.PLAIN;
        return of(runner, Path.of(System.getProperty("user.dir")), type, method, migrations, json, jsonFile);
    }

    static String of(Runner runner, Path moduleDirectory, Class<?> type, String method, Optional<MigrationSet> migrations,
                     String json, Path jsonFile) {
        Path moduleDir = moduleDirectory.toAbsolutePath().normalize();
        Path root = reactorRoot(moduleDir);
        StringBuilder options = new StringBuilder();
        migrations.ifPresent(m -> m.systemPropertyArgs().forEach(a -> options.append(" '").append(a).append("'")));
        String inline = SampleCodec.compress(json);
        String replay = inline.length() <= FailureReport.INLINE_LIMIT ? "inline:" + inline
                : runner == Runner.MAVEN ? root.relativize(jsonFile.toAbsolutePath()).toString() : jsonFile.toAbsolutePath().toString();
        options.append(" -Dpgprop.replay=").append(replay);
        if (runner == Runner.PLAIN) {
            return "run " + type.getName() + "#" + method + " with the JVM system properties" + options
                    + " (in an IDE: the run configuration's VM options; with the JUnit Platform console launcher: java"
                    + options + " -jar junit-platform-console-standalone.jar execute --class-path <test classpath>"
                    + " --select-method '" + type.getName() + "#" + method + "')";
        }
        StringBuilder c = new StringBuilder("mvn");
        String module = root.relativize(moduleDir).toString();
        if (!module.isEmpty()) {
            c.append(" -pl ").append(module).append(" -am");
        }
        String testClass = type.getName().substring(type.getName().lastIndexOf('.') + 1);
        c.append(" test -Dtest='").append(testClass).append('#').append(method).append("'");
        c.append(" -Dsurefire.failIfNoSpecifiedTests=false");
        return c.append(options).toString();
    }

    /**
     * The top of the Maven reactor this module belongs to: up the directories while the parent's
     * pom.xml names the child as a module. A project that merely sits under another's directory
     * is its own root.
     */
    static Path reactorRoot(Path moduleDir) {
        Path root = moduleDir;
        while (root.getParent() != null && listsModule(root.getParent().resolve("pom.xml"), root.getFileName().toString())) {
            root = root.getParent();
        }
        return root;
    }

    private static boolean listsModule(Path pom, String name) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            String text = Files.readString(pom);
            for (String form : List.of(name, "./" + name, name + "/", "./" + name + "/")) {
                if (text.contains("<module>" + form + "</module>")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}

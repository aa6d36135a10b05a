package dev.pgprop.dsl.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A child JVM that ran property classes: its output, its output directory, its pid. */
record ChildRun(String output, Path outputDir, long pid) {
    static ChildRun of(Map<String, String> properties, Map<String, String> env, List<String> classes) {
        try {
            Path outputDir = Files.createTempDirectory("pgprop-child-out");
            return of(outputDir, outputDir, properties, env, classes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A child JVM in {@code workDir} whose pgprop output goes to {@code outputDir}. */
    static ChildRun of(Path outputDir, Path workDir, Map<String, String> properties, Map<String, String> env, List<String> classes) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Dpgprop.outputDir=" + outputDir);
        properties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        Child.Result r = Child.jvm(jvm, ChildMain.class, classes, env, workDir);
        long pid = r.output().lines().filter(l -> l.startsWith("CHILD PID ")).map(l -> Long.parseLong(l.substring(10).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("the child JVM did not start:\n" + r.output()));
        System.out.println(r.output());
        return new ChildRun(r.output(), outputDir, pid);
    }

    /** The {@code CHILD <STATUS> <name> ...} lines. */
    List<String> results() {
        return output.lines().filter(l -> l.startsWith("CHILD SUCCESSFUL") || l.startsWith("CHILD FAILED")
                || l.startsWith("CHILD ABORTED")).toList();
    }

    List<String> resultsFile() throws IOException {
        Path f = outputDir.resolve("results.jsonl");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** The lines following {@code marker} in the output: what the user reads first. */
    String lineAfter(String marker) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith(marker)) {
                return lines.get(i + 1);
            }
        }
        throw new AssertionError("no line starts with '" + marker + "' in:\n" + output);
    }
}

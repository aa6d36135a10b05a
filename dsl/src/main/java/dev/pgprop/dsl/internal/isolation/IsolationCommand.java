package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.internal.engine.Views;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.concurrency.IsolationRun;
import dev.pgprop.dsl.concurrency.IsolationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./pgprop isolation DIR [--out OUTDIR] [--migrations LOCATIONS]}: runs every {@code .spec}
 * in DIR (sorted by name) on a fresh database, writes {@code OUTDIR/<spec>.out} (default
 * target/pgprop/isolation) and {@code OUTDIR/isolation.csv} (spec, permutation, steps,
 * blocked_steps, serialization_failures, deadlocks, matches_expected), and compares each output
 * with {@code DIR/expected/<spec>.out} where there is one. Exit status 0 when every spec ran and
 * every expected output matched, 1 otherwise, 2 for bad arguments.
 */
public final class IsolationCommand {
    private IsolationCommand() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path outDir = Path.of("target/pgprop/isolation");
        String migrations = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
                case "--migrations" -> migrations = value(args, ++i, "--migrations");
                default -> {
                    if (dir != null || args[i].startsWith("-")) {
                        usage("unexpected argument " + args[i]);
                    }
                    dir = Path.of(args[i]);
                }
            }
        }
        if (dir == null) {
            usage("name a folder of .spec files");
        }
        if (!Files.isDirectory(dir)) {
            usage(dir + " is not a folder");
        }
        List<Path> specs;
        try (Stream<Path> files = Files.list(dir)) {
            specs = files.filter(p -> p.getFileName().toString().endsWith(".spec")).sorted().toList();
        }
        if (specs.isEmpty()) {
            usage(dir + " has no .spec file");
        }
        Files.createDirectories(outDir);
        Path empty = Files.createTempDirectory("pgprop-isolation-no-migrations");
        MigrationSet set = migrations == null ? MigrationSet.of("filesystem:" + empty)
                : MigrationSet.of(List.of(migrations.split(",")));
        List<String> csv = new ArrayList<>();
        csv.add("spec,permutation,steps,blocked_steps,serialization_failures,deadlocks,matches_expected");
        boolean ok = true;
        try (TestDatabase db = Views.createDatabase(set, "isolation")) {
            for (Path file : specs) {
                ok &= runOne(db, dir, file, outDir, csv);
            }
        } finally {
            Files.deleteIfExists(empty);
        }
        Path csvFile = outDir.resolve("isolation.csv");
        Files.write(csvFile, csv, StandardCharsets.UTF_8);
        System.out.println("pgprop isolation: " + specs.size() + " spec(s); outputs and " + csvFile + " written; "
                + (ok ? "all as expected" : "SOME DIFFER OR FAILED"));
        System.exit(ok ? 0 : 1);
    }

    private static boolean runOne(TestDatabase db, Path dir, Path file, Path outDir, List<String> csv) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.spec$", "");
        IsolationRun run;
        try {
            run = IsolationSpec.load(file).run(db);
        } catch (RuntimeException e) {
            System.out.println(name + ": FAILED: " + e.getMessage());
            csv.add(csvField(name) + ",,,,,,false");
            return false;
        }
        Files.writeString(outDir.resolve(name + ".out"), run.output(), StandardCharsets.UTF_8);
        Path expectedFile = dir.resolve("expected").resolve(name + ".out");
        String expected = Files.isRegularFile(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : null;
        List<Boolean> blocks = expected == null ? null : run.blockMatches(expected);
        for (int i = 0; i < run.permutations().size(); i++) {
            IsolationRun.PermutationOutcome p = run.permutations().get(i);
            csv.add(String.join(",", csvField(name), csvField(p.permutation().toString()), String.valueOf(p.steps().size()),
                    String.valueOf(p.blockedSteps().size()), String.valueOf(p.serializationFailures().size()),
                    String.valueOf(p.deadlocks().size()), blocks == null ? "" : String.valueOf(blocks.get(i))));
        }
        if (expected == null) {
            System.out.println(name + ": " + run.permutations().size() + " permutation(s), no expected output");
            return true;
        }
        boolean same = run.matches(expected);
        System.out.println(name + ": " + run.permutations().size() + " permutation(s), "
                + (same ? "matches expected" : "DIFFERS from " + expectedFile + " at " + run.firstDifference(expected).orElse("?")));
        return same;
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("pgprop isolation: " + problem + "\nusage: ./pgprop isolation DIR [--out OUTDIR] [--migrations LOCATIONS]");
        System.exit(2);
    }
}

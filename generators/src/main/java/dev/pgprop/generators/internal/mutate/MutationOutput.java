package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.generators.mutate.Mutant;
import dev.pgprop.generators.mutate.MutationResult;
import java.nio.file.Path;
import java.util.Locale;

/** {@code mutation/mutants.csv}, {@code ddl.csv} (every mutant's DDL), {@code notes.csv} (why equivalent, broken, undecided; how a kill differs) and the minimal datasets. */
final class MutationOutput {
    static final String HEADER = "id,operator,table,object,description,status,killed_by,minimal_rows,seconds";

    private MutationOutput() {}

    static void write(MutationResult r, Path dir) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        StringBuilder notes = new StringBuilder("id,status,note\n");
        StringBuilder ddl = new StringBuilder("id,ddl\n");
        for (MutationResult.Outcome o : r.mutants()) {
            Mutant m = o.mutant();
            b.append(csv(m.id())).append(',').append(csv(m.operator())).append(',').append(csv(m.table())).append(',')
                    .append(csv(m.object())).append(',').append(csv(m.description())).append(',').append(o.status().word()).append(',')
                    .append(csv(o.killedBy())).append(',').append(o.minimalRows() < 0 ? "" : Integer.toString(o.minimalRows())).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", o.seconds())).append('\n');
            notes.append(csv(m.id())).append(',').append(o.status().word()).append(',').append(csv(o.note())).append('\n');
            ddl.append(csv(m.id())).append(',').append(csv(m.ddl())).append('\n');
        }
        MutationRun.write(dir.resolve("mutants.csv"), b.toString());
        MutationRun.write(dir.resolve("notes.csv"), notes.toString());
        MutationRun.write(dir.resolve("ddl.csv"), ddl.toString());
    }

    static Path killed(Path dir, Mutant m, Catalog catalog, Dataset minimal, String[] difference) {
        Path file = killedFile(dir, m.id());
        MutationRun.write(file, "-- mutant " + m.id() + ": " + m.description() + "\n-- " + m.ddl().replace("\n", "\n-- ")
                + "\n-- the original: " + difference[0] + "\n-- the mutant:   " + difference[1] + "\n" + Loader.sql(catalog, minimal));
        return file;
    }

    static Path killedFile(Path dir, String id) {
        return dir.resolve("killed").resolve(safe(id) + ".sql");
    }

    static String safe(String id) {
        return id.replace("<>", "ne").replace("<", "lt").replace(">", "gt").replaceAll("[^A-Za-z0-9_.=+-]+", "_");
    }

    static String csv(String s) {
        String one = s.replace("\r", " ").replace("\n", " ");
        return one.contains(",") || one.contains("\"") ? "\"" + one.replace("\"", "\"\"") + "\"" : one;
    }
}

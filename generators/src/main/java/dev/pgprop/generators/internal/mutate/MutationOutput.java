package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.internal.engine.Catalog;
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
        try {
            java.nio.file.Files.deleteIfExists(dir.resolve("killed").resolve(safe(m.id()) + ".behaviour")); // of an earlier run
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        MutationRun.write(file, "-- mutant " + m.id() + ": " + m.description() + "\n-- " + m.ddl().replace("\n", "\n-- ")
                + "\n-- the original: " + difference[0] + "\n-- the mutant:   " + difference[1] + "\n" + LoadSql.of(catalog, minimal));
        return file;
    }

    /** What a behavioural check needs to show a kill again: the check, its table and object, and the minimal dataset. */
    record StoredBehaviour(String check, String table, String object, Dataset dataset) {}

    /**
     * A kill by a behavioural check: {@code killed/<id>.sql} (the minimal dataset as SQL, the
     * disagreement in comments) and {@code killed/<id>.behaviour} (the check and the dataset, for
     * the replay); the SQL file, or null when the dataset cannot be stored.
     */
    static @org.jspecify.annotations.Nullable Path behaviourKilled(Path dir, Mutant m, Catalog catalog,
                                                                   dev.pgprop.generators.check.SchemaCheck.BehaviourResult r, Dataset minimal) {
        java.util.LinkedHashMap<String, java.util.ArrayList<java.util.LinkedHashMap<String, Object>>> rows = new java.util.LinkedHashMap<>();
        for (String t : minimal.tables()) {
            java.util.ArrayList<java.util.LinkedHashMap<String, Object>> list = new java.util.ArrayList<>();
            minimal.rows(t).forEach(row -> list.add(new java.util.LinkedHashMap<>(row.values())));
            rows.put(t, list);
        }
        Path stored = dir.resolve("killed").resolve(safe(m.id()) + ".behaviour");
        try {
            java.nio.file.Files.createDirectories(stored.getParent());
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(java.nio.file.Files.newOutputStream(stored))) {
                o.writeUTF(r.check());
                o.writeUTF(r.table());
                o.writeUTF(r.object());
                o.writeObject(rows);
            }
        } catch (java.io.IOException e) { // a value that is not serializable: no replay
            try {
                java.nio.file.Files.deleteIfExists(stored);
            } catch (java.io.IOException ignored) {
                // nothing left to clean
            }
            return null;
        }
        Path file = killedFile(dir, m.id());
        MutationRun.write(file, "-- mutant " + m.id() + ": " + m.description() + "\n-- " + m.ddl().replace("\n", "\n-- ")
                + "\n-- killed by the behavioural check " + r.check() + " on " + r.table() + " (" + r.object() + "):\n-- "
                + r.problem().replace("\n", "\n-- ") + "\n-- its minimal dataset (the replay runs the check on it, in the original and in the"
                + " mutant):\n" + LoadSql.of(catalog, minimal));
        return file;
    }

    /** The stored behavioural kill of a mutant; null when it was killed otherwise (or not at all). */
    @SuppressWarnings("unchecked")
    static @org.jspecify.annotations.Nullable StoredBehaviour storedBehaviour(Path dir, String id) {
        Path stored = dir.resolve("killed").resolve(safe(id) + ".behaviour");
        if (!java.nio.file.Files.exists(stored)) {
            return null;
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(java.nio.file.Files.newInputStream(stored))) {
            String check = in.readUTF();
            String table = in.readUTF();
            String object = in.readUTF();
            var rows = (java.util.Map<String, java.util.List<java.util.Map<String, Object>>>) in.readObject();
            Dataset d = Dataset.empty();
            for (var e : rows.entrySet()) {
                d = d.with(e.getKey(), e.getValue().stream().map(dev.pgprop.dsl.Row::of).toList());
            }
            return new StoredBehaviour(check, table, object, d);
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new dev.pgprop.dsl.PgPropException("cannot read the stored behavioural kill " + stored + ": " + e.getMessage(), e);
        }
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

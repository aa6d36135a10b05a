package dev.pgprop.generators.corpus;

import dev.pgprop.dsl.MigrationSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus of schemas under {@code src/test/resources/corpus/<name>/}: one folder of Flyway
 * migrations per schema, each of a different shape (a film rental store, a multi-tenant SaaS,
 * an org chart, a ledger, a partitioned event log, bookings with exclusion constraints, …); a
 * folder holding {@code supabase/migrations} is a Supabase CLI project, run with the Supabase preset.
 *
 * <pre>{@code
 * for (String name : Corpus.names()) {
 *     try (TestDatabase db = PgProp.server().createDatabase(Corpus.migrations(name), name)) { ... }
 * }
 * }</pre>
 */
public final class Corpus {
    /** The corpus folder in the source tree (tests run with the module as working directory). */
    public static final Path ROOT = Path.of("src", "test", "resources", "corpus");

    private Corpus() {}

    /** The schema names, sorted. */
    public static List<String> names() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the schema corpus in " + ROOT.toAbsolutePath(), e);
        }
    }

    /** The folder of one schema's migrations. */
    public static Path folder(String name) {
        Path dir = ROOT.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no corpus schema '" + name + "' in " + ROOT.toAbsolutePath() + "; the schemas are " + names());
        }
        return dir;
    }

    /**
     * The migration set of one schema, as a {@code filesystem:} location; a Supabase CLI project
     * (a {@code supabase/migrations} folder) as a {@code supabase:} location with the Supabase preset.
     */
    public static MigrationSet migrations(String name) {
        Path dir = folder(name).toAbsolutePath();
        if (Files.isDirectory(dir.resolve("supabase").resolve("migrations"))) {
            return MigrationSet.of("supabase:" + dir).withPreset("supabase");
        }
        return MigrationSet.of("filesystem:" + dir);
    }
}

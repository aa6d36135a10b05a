package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgPropException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a template needs before and around Flyway: a preset's shim ({@code supabase}), and the
 * Supabase CLI layout turned into Flyway names ({@code 20240101120000_init.sql} becomes {@code
 * V20240101120000__init.sql} in a copy, so that timestamp order is version order).
 */
public final class Presets {
    private static final Pattern SUPABASE_FILE = Pattern.compile("(\\d{14})_(.+)\\.sql");

    private Presets() {}

    /** Runs the set's preset on a new, empty database. */
    public static void apply(MigrationSet set, Connection c) {
        if (set.preset().isEmpty()) {
            return;
        }
        String resource = set.preset() + "-shim.sql";
        try (InputStream in = Presets.class.getResourceAsStream(resource); Statement s = c.createStatement()) {
            if (in == null) {
                throw new PgPropException("the " + set.preset() + " preset's script " + resource + " is missing from pgprop-dsl");
            }
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new PgPropException("the " + set.preset() + " preset could not prepare the template: " + e.getMessage(), e);
        }
    }

    /** The set's locations as Flyway takes them: each {@code supabase:DIR} as a folder of renamed copies. */
    public static List<String> flywayLocations(MigrationSet set) {
        List<String> out = new ArrayList<>();
        for (String l : set.locations()) {
            out.add(l.startsWith("supabase:") ? "filesystem:" + supabaseCopy(Path.of(l.substring("supabase:".length()))) : l);
        }
        return out;
    }

    /** Only Supabase locations: their SQL is Supabase's, where {@code ${…}} is no Flyway placeholder. */
    public static boolean onlySupabase(MigrationSet set) {
        return set.locations().stream().allMatch(l -> l.startsWith("supabase:"));
    }

    /** {@code DIR/supabase/migrations}, {@code DIR/migrations} or {@code DIR}: where the timestamped files are. */
    public static Path supabaseMigrations(Path dir) {
        for (Path p : List.of(dir.resolve("supabase").resolve("migrations"), dir.resolve("migrations"), dir)) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new PgPropException("no Supabase migrations folder in " + dir.toAbsolutePath() + ": expected " + dir.resolve("supabase/migrations")
                + " with files named <14-digit timestamp>_<name>.sql, as the Supabase CLI writes them");
    }

    private static Path supabaseCopy(Path dir) {
        Path from = supabaseMigrations(dir);
        try {
            Path to = Files.createTempDirectory("pgprop-supabase-");
            to.toFile().deleteOnExit();
            List<String> skipped = new ArrayList<>();
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.sorted().toList()) {
                    Matcher m = SUPABASE_FILE.matcher(f.getFileName().toString());
                    if (!m.matches()) {
                        skipped.add(f.getFileName().toString());
                        continue;
                    }
                    Path copy = to.resolve("V" + m.group(1) + "__" + m.group(2).replaceAll("[^A-Za-z0-9_]", "_") + ".sql");
                    Files.copy(f, copy);
                    copy.toFile().deleteOnExit();
                }
            }
            if (!skipped.isEmpty()) {
                org.slf4j.LoggerFactory.getLogger(Presets.class).warn("pgprop: {} files in {} are not Supabase migrations"
                        + " (<14-digit timestamp>_<name>.sql) and are not applied: {}", skipped.size(), from, skipped);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Supabase migrations of " + from, e);
        }
    }
}

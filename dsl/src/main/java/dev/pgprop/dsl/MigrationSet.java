package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A set of Flyway migrations: locations plus placeholders. pgprop migrates one template database
 * per distinct set, once per JVM, and clones every test class's database from it.
 *
 * <p>Each location may carry defaults for its placeholders in a {@code placeholders.properties}
 * file beside its migrations; placeholders given here override them. Immutable: every {@code
 * withX} returns a new instance.
 *
 * <pre>{@code
 * MigrationSet global = MigrationSet.fromConfig();               // -Dpgprop.migrations, default classpath:db/migration
 * MigrationSet small = global.withPlaceholder("embedding_dim", "8");
 * MigrationSet mutant = MigrationSet.of("classpath:db/migration", "classpath:mutants/drop_check");
 * MigrationSet app = MigrationSet.of("supabase:.").withPreset("supabase");   // a Supabase CLI project
 * }</pre>
 *
 * <p>A location is {@code classpath:<path>}, {@code filesystem:<dir>} or {@code supabase:<dir>}: the
 * Supabase CLI's layout, timestamped {@code <14 digits>_<name>.sql} files under {@code
 * <dir>/supabase/migrations} (or {@code <dir>/migrations}, or {@code <dir>} itself), applied in
 * timestamp order. A preset ({@code -Dpgprop.preset}, {@link #withPreset}) creates what the
 * migrations assume before they run: {@code supabase} creates the {@code auth} schema, its
 * functions, Supabase's roles and default grants (see the README for its limits).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class MigrationSet {
    /**
     * The default Flyway location: Flyway's (and Spring Boot's) own default, where a project keeps
     * its migrations. No pgprop jar puts anything there (pgprop's reference schema is at {@code
     * classpath:pgprop/reference}).
     */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private static final Pattern PLACEHOLDER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    /** The presets {@link #withPreset} knows. */
    public static final List<String> PRESETS = List.of("supabase");

    private final List<String> locations;
    private final Map<String, String> placeholders;
    private final String preset;

    private MigrationSet(List<String> locations, Map<String, String> placeholders) {
        this(locations, placeholders, "");
    }

    private MigrationSet(List<String> locations, Map<String, String> placeholders, String preset) {
        this.locations = List.copyOf(locations);
        this.placeholders = Collections.unmodifiableMap(new TreeMap<>(placeholders));
        this.preset = preset;
    }

    /** Flyway locations, in order, such as {@code classpath:db/migration} or {@code filesystem:/path}. */
    public static MigrationSet of(String... locations) {
        return of(List.of(locations));
    }

    public static MigrationSet of(List<String> locations) {
        return new MigrationSet(validLocations(locations), Map.of());
    }

    /**
     * The global set: {@code pgprop.migrations} (comma-separated, default {@value #DEFAULT_LOCATION})
     * and every {@code pgprop.placeholders.<name>}.
     */
    public static MigrationSet fromConfig() {
        return fromSettings(Settings.fromEnvironment());
    }

    static MigrationSet fromSettings(Settings settings) {
        String raw = settings.get("migrations", DEFAULT_LOCATION);
        List<String> locations = new ArrayList<>();
        for (String part : raw.split(",")) {
            if (!part.isBlank()) {
                locations.add(part.trim());
            }
        }
        MigrationSet set = new MigrationSet(validLocations(locations), Map.of());
        String preset = settings.get("preset", "");
        return (preset.isBlank() ? set : set.withPreset(preset.trim())).withPlaceholders(settings.withPrefix("placeholders"));
    }

    private static List<String> validLocations(List<String> locations) {
        if (locations.isEmpty()) {
            throw new IllegalArgumentException(
                    "a migration set needs at least one Flyway location, such as " + DEFAULT_LOCATION);
        }
        for (String l : locations) {
            Objects.requireNonNull(l, "location");
            if (l.isBlank()) {
                throw new IllegalArgumentException("a Flyway location is blank in " + locations
                        + "; give locations such as classpath:db/migration or filesystem:/path/to/dir");
            }
            if (l.contains(":") && !l.startsWith("classpath:") && !l.startsWith("filesystem:") && !l.startsWith("supabase:")) {
                throw new IllegalArgumentException("Flyway location '" + l + "' has an unknown prefix; use classpath:<package path>,"
                        + " filesystem:<directory> or supabase:<directory> (a Supabase CLI project)");
            }
        }
        return locations;
    }

    /** A new set with these locations and the same placeholders. */
    public MigrationSet withLocations(String... newLocations) {
        return new MigrationSet(validLocations(List.of(newLocations)), placeholders, preset);
    }

    /** A new set with these locations appended, for example one mutant migration. */
    public MigrationSet plusLocations(String... more) {
        List<String> all = new ArrayList<>(locations);
        all.addAll(validLocations(List.of(more)));
        return new MigrationSet(all, placeholders, preset);
    }

    /** A new set with this placeholder set (overriding the locations' defaults). */
    public MigrationSet withPlaceholder(String name, String value) {
        Objects.requireNonNull(value, "value");
        if (!PLACEHOLDER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("placeholder name '" + name
                    + "' is not a Flyway placeholder name; use letters, digits, '_' and '.'");
        }
        Map<String, String> p = new TreeMap<>(placeholders);
        p.put(name, value);
        return new MigrationSet(locations, p, preset);
    }

    /**
     * A new set whose template is prepared by a preset before the migrations run: {@code
     * "supabase"} (the {@code auth} schema, {@code auth.uid()}, Supabase's roles and grants), or
     * {@code ""} for none.
     */
    public MigrationSet withPreset(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.isEmpty() && !PRESETS.contains(name)) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; the presets are " + PRESETS
                    + " (or none: -Dpgprop.preset= left empty)");
        }
        return new MigrationSet(locations, placeholders, name);
    }

    /** The preset's name, empty for none. */
    public String preset() {
        return preset;
    }

    public MigrationSet withPlaceholders(Map<String, String> more) {
        MigrationSet s = this;
        for (Map.Entry<String, String> e : new TreeMap<>(more).entrySet()) {
            s = s.withPlaceholder(e.getKey(), e.getValue());
        }
        return s;
    }

    public List<String> locations() {
        return locations;
    }

    /** The placeholders given explicitly, sorted by name (defaults from the locations excluded). */
    public Map<String, String> placeholders() {
        return placeholders;
    }

    /**
     * The Maven system properties that select this set, as a replay command carries them:
     * {@code -Dpgprop.migrations=... -Dpgprop.placeholders.x=y}.
     */
    public List<String> systemPropertyArgs() {
        List<String> args = new ArrayList<>();
        args.add("-Dpgprop.migrations=" + String.join(",", locations));
        if (!preset.isEmpty()) {
            args.add("-Dpgprop.preset=" + preset);
        }
        placeholders.forEach((k, v) -> args.add("-Dpgprop.placeholders." + k + "=" + v));
        return args;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MigrationSet m && m.locations.equals(locations) && m.placeholders.equals(placeholders)
                && m.preset.equals(preset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(locations, placeholders, preset);
    }

    @Override
    public String toString() {
        return "MigrationSet" + locations + (placeholders.isEmpty() ? "" : " " + placeholders)
                + (preset.isEmpty() ? "" : " preset " + preset);
    }
}

package dev.pgprop.dsl.internal.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a migration set needs of pgvector, read from its SQL before Flyway runs it: the extension
 * ({@code CREATE EXTENSION vector}, a {@code vector(n)} column), the version its features need
 * ({@code halfvec}, {@code sparsevec}, {@code binary_quantize} and bit indexes 0.7.0; HNSW 0.5.0)
 * or the version it names ({@code CREATE EXTENSION vector VERSION '…'}). Checked against what the
 * server offers, so a server without it, or with an older one, is a configuration error that says
 * what to install instead of a failing migration.
 */
public record PgvectorNeed(@Nullable String script, String minimum, String feature, @Nullable String exact) {
    static final String NONE = "0";
    private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern CREATE = Pattern.compile(
            "create\\s+extension\\s+(?:if\\s+not\\s+exists\\s+)?\"?vector\"?(?:\\s+with)?(?:\\s+schema\\s+\\S+)?"
                    + "(?:\\s+version\\s+'([^']+)')?", Pattern.CASE_INSENSITIVE);
    /** A feature, the pgvector version that brought it, and how it reads in SQL. */
    private record Feature(String name, String since, Pattern sql) {}

    private static final List<Feature> FEATURES = List.of(
            new Feature("halfvec", "0.7.0", Pattern.compile("\\bhalfvec\\b", Pattern.CASE_INSENSITIVE)),
            new Feature("sparsevec", "0.7.0", Pattern.compile("\\bsparsevec\\b", Pattern.CASE_INSENSITIVE)),
            new Feature("binary_quantize", "0.7.0", Pattern.compile("\\bbinary_quantize\\s*\\(", Pattern.CASE_INSENSITIVE)),
            new Feature("bit indexes (bit_hamming_ops, bit_jaccard_ops)", "0.7.0",
                    Pattern.compile("\\bbit_(?:hamming|jaccard)_ops\\b", Pattern.CASE_INSENSITIVE)),
            new Feature("HNSW indexes", "0.5.0", Pattern.compile("\\busing\\s+hnsw\\b", Pattern.CASE_INSENSITIVE)),
            new Feature("the vector type", NONE, Pattern.compile("\\bvector\\s*\\(\\s*(?:\\d|\\$\\{)", Pattern.CASE_INSENSITIVE)));

    /** A set that does not touch pgvector. */
    static final PgvectorNeed NOTHING = new PgvectorNeed(null, NONE, "", null);

    public boolean needed() {
        return script != null;
    }

    /** The need of these scripts (name -> SQL): the highest version any feature asks for. */
    public static PgvectorNeed of(Map<String, String> scripts) {
        PgvectorNeed need = NOTHING;
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            String sql = COMMENTS.matcher(e.getValue()).replaceAll(" ");
            Matcher create = CREATE.matcher(sql);
            while (create.find()) {
                need = need.max(new PgvectorNeed(e.getKey(), NONE, "CREATE EXTENSION vector", create.group(1)));
            }
            for (Feature f : FEATURES) {
                if (f.sql().matcher(sql).find()) {
                    need = need.max(new PgvectorNeed(e.getKey(), f.since(), f.name(), null));
                }
            }
        }
        return need;
    }

    private PgvectorNeed max(PgvectorNeed other) {
        String ex = exact != null ? exact : other.exact;
        if (!needed() || compare(other.minimum, minimum) > 0) {
            return new PgvectorNeed(other.script, other.minimum, other.feature, ex);
        }
        return new PgvectorNeed(script, minimum, feature, ex);
    }

    /**
     * What is wrong on a server whose pgvector default version is {@code available} (null: none)
     * and which offers {@code versions}; empty when it is what the migrations need.
     */
    public Optional<String> problem(String server, @Nullable String available, List<String> versions) {
        if (!needed()) {
            return Optional.empty();
        }
        String install = "Install pgvector " + (NONE.equals(minimum) ? "" : minimum + " or newer ")
                + "with docker/install-pgvector.sh (Debian/Ubuntu; it installs 0.8.0), use a Docker engine (image "
                + Provisioner.DEFAULT_IMAGE + "), or point PGPROP_JDBC_URL at a server with pgvector.";
        if (available == null) {
            return Optional.of("the migrations need pgvector (" + script + ": " + feature + "), but the " + server
                    + " does not have it. " + install);
        }
        if (exact != null && !versions.contains(exact)) {
            return Optional.of("the migrations ask for pgvector " + exact + " (" + script + ": CREATE EXTENSION vector VERSION '"
                    + exact + "'), but the " + server + " offers pgvector " + String.join(", ", versions) + ". Ask for one of"
                    + " those, or install " + exact + " on the server (docker/install-pgvector.sh installs 0.8.0).");
        }
        String installed = exact != null ? exact : available;
        if (compare(installed, minimum) < 0) {
            return Optional.of("the migrations use " + feature + " (" + script + "), which needs pgvector " + minimum
                    + " or newer, but the " + server + " has pgvector " + installed + ". " + install
                    + " A database that already has the extension takes the new version with ALTER EXTENSION vector UPDATE.");
        }
        return Optional.empty();
    }

    /** Dotted versions compared number by number ({@code 0.10.0} is newer than {@code 0.9.1}). */
    static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(number(i < x.length ? x[i] : "0"), number(i < y.length ? y[i] : "0"));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long number(String part) {
        String digits = part.replaceAll("\\D.*$", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /**
     * The SQL of the given scripts (names as Flyway reports them, relative to a location), found
     * in the first of the Flyway locations ({@code classpath:} or {@code filesystem:}) that has them.
     */
    public static Map<String, String> read(List<String> locations, List<String> scripts, ClassLoader loader) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String script : scripts) {
            if (!script.toLowerCase(Locale.ROOT).endsWith(".sql")) {
                continue;
            }
            for (String location : locations) {
                String text = readOne(location, script, loader);
                if (text != null) {
                    out.put(script, text);
                    break;
                }
            }
        }
        return out;
    }

    private static @Nullable String readOne(String location, String script, ClassLoader loader) {
        try {
            if (location.startsWith("filesystem:")) {
                Path p = Path.of(location.substring("filesystem:".length())).resolve(script);
                return Files.isReadable(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
            }
            String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            path = path.replaceAll("^/+|/+$", "");
            try (InputStream in = loader.getResourceAsStream(path.isEmpty() ? script : path + "/" + script)) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script + " in " + location, e);
        }
    }

    /** Versions as {@code pg_available_extension_versions} lists them, comma-separated. */
    static List<String> versions(@Nullable String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String v : list.split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }
}

package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stored minimal sample: which property, with which parameters. {@code -Dpgprop.replay} names
 * a replay file ({@code .json}) or carries the sample inline ({@code inline:<gzip+base64url>}).
 */
public record Replay(String property, List<@Nullable Object> parameters) {
    /** Marks a parameter that pgprop injects (a {@code Db}): the replay keeps the injected one. */
    public static final Object INJECTED = new Object() {
        @Override
        public String toString() {
            return "<injected>";
        }
    };

    /** The replay requested by {@code pgprop.replay}, if any. */
    public static Optional<Replay> fromSettings(Settings settings) {
        Optional<Settings.Found> f = settings.lookup("replay");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        String value = f.get().value();
        String json;
        if (value.startsWith("inline:")) {
            json = SampleCodec.decompress(value.substring("inline:".length()));
        } else {
            Path p = Path.of(value);
            if (!Files.isReadable(p) && !p.isAbsolute()) {
                // relative to the repository root when run from a module directory
                Path up = Path.of(System.getProperty("user.dir")).getParent();
                if (up != null && Files.isReadable(up.resolve(value))) {
                    p = up.resolve(value);
                }
            }
            try {
                json = Files.readString(p);
            } catch (IOException e) {
                throw new ConfigurationException("pgprop.replay is '" + value + "' (from " + f.get().source()
                        + "), but that file cannot be read: " + e.getMessage()
                        + ". Give the .json file the failure report named, or the inline: form of its replay command.");
            }
        }
        return Optional.of(parse(json));
    }

    /** A replay file written by a failure report. */
    public static Replay parseFile(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static Replay parse(String json) {
        Object o = JsonReader.parse(json);
        if (!(o instanceof Map<?, ?> m) || !(m.get("property") instanceof String property) || !(m.get("parameters") instanceof List<?>)) {
            throw new ConfigurationException("a replay file is a JSON object with \"property\" and \"parameters\"; this one is not");
        }
        List<@Nullable Object> params = new java.util.ArrayList<>();
        for (Object p : (List<Object>) m.get("parameters")) {
            if (p instanceof Map<?, ?> pm && pm.containsKey("injected")) {
                params.add(INJECTED);
            } else {
                params.add(SampleCodec.decode(p));
            }
        }
        return new Replay(property, params);
    }
}

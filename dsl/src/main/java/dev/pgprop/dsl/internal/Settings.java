package dev.pgprop.dsl.internal;

import dev.pgprop.dsl.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Every knob is {@code -Dpgprop.<key>}, env {@code PGPROP_<KEY>} or {@code pgprop.<key>} in
 * {@code junit-platform.properties}, in that order of precedence. Env names are the key in upper
 * snake case: {@code jdbcUrl} is {@code PGPROP_JDBC_URL}, {@code placeholders.embedding_dim} is
 * {@code PGPROP_PLACEHOLDERS_EMBEDDING_DIM}.
 *
 * <p>Secrets given as system properties ({@code -Dpgprop.password}, and {@code -Dpgprop.jdbcUrl}
 * when it carries a password) are taken out of the system properties the first time settings
 * are read, and kept here: Surefire writes every system property of the test JVM into its XML
 * reports, which CI jobs upload.
 */
public final class Settings {
    public static final String PREFIX = "pgprop.";
    /** Secret system properties read once and removed: key without prefix -> value. */
    private static final Map<String, String> SCRUBBED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern URL_SECRET = java.util.regex.Pattern.compile(
            "(?i)[?&;](?:password|sslpassword)=|//[^/:@?]+:[^@/?]*@");

    private final Properties systemProperties;
    private final Map<String, String> env;
    private final Properties platform;

    public Settings(Properties systemProperties, Map<String, String> env, Properties platform) {
        this.systemProperties = systemProperties;
        this.env = env;
        this.platform = platform;
    }

    /** Settings of this JVM: system properties, the environment and junit-platform.properties. */
    public static Settings fromEnvironment() {
        scrubSecrets();
        return new Settings(System.getProperties(), System.getenv(), loadPlatformProperties());
    }

    /**
     * Moves the secret {@code pgprop.*} system properties out of the system properties (so no
     * report that records them can leak them); their values stay readable through settings.
     */
    public static synchronized void scrubSecrets() {
        for (String key : new String[] {"password", "jdbcUrl"}) {
            String v = System.getProperty(PREFIX + key);
            if (v != null && (key.equals("password") || URL_SECRET.matcher(v).find())) {
                SCRUBBED.put(key, v);
                System.clearProperty(PREFIX + key);
            }
        }
    }

    private static Properties loadPlatformProperties() {
        Properties p = new Properties();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Settings.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read junit-platform.properties", e);
        }
        return p;
    }

    /** {@code jdbcUrl} -> {@code PGPROP_JDBC_URL}. */
    public static String envName(String key) {
        StringBuilder b = new StringBuilder("PGPROP_");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(key.charAt(i - 1))) {
                b.append('_');
            }
            b.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return b.toString();
    }

    public Optional<String> get(String key) {
        return lookup(key).map(Found::value);
    }

    /** The value and where it came from, for error messages. */
    public Optional<Found> lookup(String key) {
        String v = systemProperties.getProperty(PREFIX + key);
        if ((v == null || v.isBlank()) && systemProperties == System.getProperties()) {
            v = SCRUBBED.get(key);
        }
        if (v != null && !v.isBlank()) {
            return Optional.of(new Found(key, v.trim(), "-D" + PREFIX + key));
        }
        String envName = envName(key);
        v = env.get(envName);
        if (v != null && !v.isBlank()) {
            return Optional.of(new Found(key, v.trim(), "env " + envName));
        }
        v = platform.getProperty(PREFIX + key);
        if (v != null && !v.isBlank()) {
            return Optional.of(new Found(key, v.trim(), PREFIX + key + " in junit-platform.properties"));
        }
        return Optional.empty();
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Optional<Found> f = lookup(key);
        if (f.isEmpty()) {
            return defaultValue;
        }
        String v = f.get().value().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw f.get().invalid("true or false");
    }

    /** A whole number from {@code min} to {@code max}, or the default. */
    public int getInt(String key, int defaultValue, int min, int max) {
        Optional<Found> f = lookup(key);
        if (f.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(f.get().value());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw f.get().invalid("a whole number from " + min + " to " + max);
    }

    /** One of the allowed values (case-insensitive), or the default. */
    public String getChoice(String key, String defaultValue, String... allowed) {
        Optional<Found> f = lookup(key);
        if (f.isEmpty()) {
            return defaultValue;
        }
        String v = f.get().value().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw f.get().invalid("one of " + String.join(", ", allowed));
    }

    /**
     * Every setting under {@code pgprop.<prefix>.}: system properties override env, env overrides
     * junit-platform.properties. Env names map back to lower case ({@code
     * PGPROP_PLACEHOLDERS_EMBEDDING_DIM} -> {@code embedding_dim}).
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        String full = PREFIX + prefix + ".";
        for (String name : platform.stringPropertyNames()) {
            if (name.startsWith(full)) {
                out.put(name.substring(full.length()), platform.getProperty(name).trim());
            }
        }
        String envPrefix = envName(prefix) + "_";
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(envPrefix)) {
                out.put(e.getKey().substring(envPrefix.length()).toLowerCase(Locale.ROOT), e.getValue().trim());
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(full)) {
                out.put(name.substring(full.length()), systemProperties.getProperty(name).trim());
            }
        }
        return out;
    }

    /** A setting's value and its source. */
    public record Found(String key, String value, String source) {
        public ConfigurationException invalid(String expected) {
            return new ConfigurationException(
                    PREFIX + key + " is '" + value + "' (from " + source + "), but it must be " + expected
                            + ". Fix the value or remove the setting to use the default.");
        }
    }
}

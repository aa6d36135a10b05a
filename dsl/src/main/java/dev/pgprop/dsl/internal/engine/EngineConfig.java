package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.internal.Settings;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The engine's settings: isolation override, timeouts, keep-on-failure, and session defaults
 * ({@code pgprop.session.<setting>=<value>}, or {@code @PgProperties(session = ...)}) passed in
 * the {@code options} of every session.
 */
public record EngineConfig(Isolation isolation, String statementTimeout, String lockTimeout, boolean keepDatabaseOnFailure,
                           Map<String, String> session) {
    private static final Pattern DURATION = Pattern.compile("[0-9]+(us|ms|s|min|h|d)?");
    private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:+-]+");

    public EngineConfig {
        session = Map.copyOf(new TreeMap<>(session));
        session.forEach(EngineConfig::checkSetting);
    }

    public EngineConfig(Isolation isolation, String statementTimeout, String lockTimeout, boolean keepDatabaseOnFailure) {
        this(isolation, statementTimeout, lockTimeout, keepDatabaseOnFailure, Map.of());
    }

    public static EngineConfig from(Settings s) {
        Isolation iso = Isolation.valueOf(s.getChoice("isolation", "auto", "auto", "rollback", "delete", "template")
                .toUpperCase(Locale.ROOT));
        return new EngineConfig(iso, duration(s, "statementTimeout", "30s"), duration(s, "lockTimeout", "10s"),
                s.getBoolean("keepDatabaseOnFailure", false), s.withPrefix("session"));
    }

    /** The same configuration with more session defaults (these win over existing ones). */
    public EngineConfig withSession(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(session);
        all.putAll(more);
        return new EngineConfig(isolation, statementTimeout, lockTimeout, keepDatabaseOnFailure, all);
    }

    /** Checks a session setting's name and value (they go unquoted into the {@code options} string). */
    public static void checkSetting(String name, String value) {
        if (!SETTING.matcher(name).matches()) {
            throw new ConfigurationException("session setting '" + name + "' is not a PostgreSQL setting name;"
                    + " write it like hnsw.iterative_scan or work_mem");
        }
        if (!VALUE.matcher(value).matches()) {
            throw new ConfigurationException("session setting " + name + "='" + value + "' has characters a session"
                    + " default cannot carry (letters, digits and _ . : + - only); write it like strict_order or 64MB");
        }
    }

    private static String duration(Settings s, String key, String def) {
        return s.lookup(key).map(f -> {
            String v = f.value().replace(" ", "");
            if (!DURATION.matcher(v).matches()) {
                throw f.invalid("a PostgreSQL duration such as 30s, 500ms or 2min");
            }
            return v;
        }).orElse(def);
    }

    /**
     * The {@code options} connection property that sets the timeouts and the session defaults in
     * every session. A setting of an extension that is not loaded yet (such as pgvector's {@code
     * hnsw.iterative_scan}) is kept as a placeholder by the server and takes effect when the
     * extension loads in that session.
     */
    public String connectionOptions() {
        StringBuilder sb = new StringBuilder("-c statement_timeout=" + statementTimeout + " -c lock_timeout=" + lockTimeout);
        session.forEach((k, v) -> sb.append(" -c ").append(k).append('=').append(v));
        return sb.toString();
    }
}

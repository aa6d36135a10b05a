package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.internal.Settings;
import java.util.Locale;
import java.util.regex.Pattern;

/** The engine's settings: isolation override, timeouts, keep-on-failure. */
public record EngineConfig(Isolation isolation, String statementTimeout, String lockTimeout, boolean keepDatabaseOnFailure) {
    private static final Pattern DURATION = Pattern.compile("[0-9]+(us|ms|s|min|h|d)?");

    public static EngineConfig from(Settings s) {
        Isolation iso = Isolation.valueOf(s.getChoice("isolation", "auto", "auto", "rollback", "delete", "template")
                .toUpperCase(Locale.ROOT));
        return new EngineConfig(iso, duration(s, "statementTimeout", "30s"), duration(s, "lockTimeout", "10s"),
                s.getBoolean("keepDatabaseOnFailure", false));
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

    /** The {@code options} connection property that sets the timeouts in every session. */
    public String connectionOptions() {
        return "-c statement_timeout=" + statementTimeout + " -c lock_timeout=" + lockTimeout;
    }
}

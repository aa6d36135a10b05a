package dev.pgprop.dsl.schema;

import java.util.Objects;

/**
 * A user trigger on a table ({@code definition} is {@code pg_get_triggerdef}).
 *
 * <pre>{@code
 * boolean audited = table.triggers().stream().anyMatch(t -> t.function().equals("audit"));
 * }</pre>
 *
 * @param enabled {@code O} (origin), {@code D} (disabled), {@code R} (replica), {@code A} (always)
 */
public record Trigger(String name, String function, String definition, String enabled) {
    public Trigger {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(enabled, "enabled");
    }
}

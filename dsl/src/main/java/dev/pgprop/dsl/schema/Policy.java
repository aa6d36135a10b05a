package dev.pgprop.dsl.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A row-level security policy.
 *
 * <pre>{@code
 * table.policies().stream().filter(p -> p.command().equals("SELECT")).forEach(p -> System.out.println(p.using()));
 * }</pre>
 *
 * @param command {@code ALL}, {@code SELECT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
 * @param roles the roles it applies to ({@code public} for all)
 */
public record Policy(String name, String command, boolean permissive, List<String> roles, Optional<String> using,
                     Optional<String> withCheck) {
    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        roles = List.copyOf(roles);
        Objects.requireNonNull(using, "using");
        Objects.requireNonNull(withCheck, "withCheck");
    }
}

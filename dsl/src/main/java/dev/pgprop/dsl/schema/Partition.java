package dev.pgprop.dsl.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One partition of a partitioned table, with its bound as PostgreSQL prints it ({@code FOR
 * VALUES FROM ('2025-01-01') TO ('2025-02-01')}, {@code DEFAULT}). A partition that is itself
 * partitioned has a {@code partitionKey} and partitions of its own.
 *
 * <pre>{@code
 * table.partitions().forEach(p -> System.out.println(p.name() + " " + p.bound()));
 * }</pre>
 */
public record Partition(String schema, String name, String bound, Optional<String> partitionKey,
                        List<Partition> partitions) {
    public Partition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(partitionKey, "partitionKey");
        partitions = List.copyOf(partitions);
    }

    /** {@code FOR VALUES …} of a DEFAULT partition. */
    public boolean isDefault() {
        return bound.equals("DEFAULT");
    }
}

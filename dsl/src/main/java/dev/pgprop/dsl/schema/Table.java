package dev.pgprop.dsl.schema;

import dev.pgprop.dsl.PgPropException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user table (or a partitioned table; its partitions are listed, not tables of their own):
 * columns in order, constraints, partitions, row-level security, triggers and grants.
 *
 * <pre>{@code
 * Table rental = schema.table("rental");
 * rental.foreignKeys().forEach(fk -> System.out.println(fk.columns() + " -> " + fk.referencedTable()));
 * Column c = rental.column("return_date");
 * }</pre>
 *
 * @param partitionKey {@code pg_get_partkeydef} of a partitioned table ({@code RANGE (paid_at)})
 */
public record Table(String schema, String name, List<Column> columns, List<Constraint> constraints,
                    Optional<String> partitionKey, List<Partition> partitions, boolean rowSecurity,
                    boolean forceRowSecurity, List<Policy> policies, List<Trigger> triggers, List<Grant> grants) {
    public Table {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        Objects.requireNonNull(partitionKey, "partitionKey");
        partitions = List.copyOf(partitions);
        policies = List.copyOf(policies);
        triggers = List.copyOf(triggers);
        grants = List.copyOf(grants);
    }

    /** A table with no grants to other roles than its owner. */
    public Table(String schema, String name, List<Column> columns, List<Constraint> constraints, Optional<String> partitionKey,
                 List<Partition> partitions, boolean rowSecurity, boolean forceRowSecurity, List<Policy> policies,
                 List<Trigger> triggers) {
        this(schema, name, columns, constraints, partitionKey, partitions, rowSecurity, forceRowSecurity, policies, triggers,
                List.of());
    }

    /** {@code schema.name}. */
    public String qualifiedName() {
        return schema + "." + name;
    }

    /** The name a {@link dev.pgprop.dsl.Dataset} uses: bare in {@code public}, qualified elsewhere. */
    public String datasetName() {
        return schema.equals("public") ? name : qualifiedName();
    }

    /** The column of that name. */
    public Column column(String column) {
        for (Column c : columns) {
            if (c.name().equals(column)) {
                return c;
            }
        }
        throw new PgPropException("table " + qualifiedName() + " has no column '" + column + "'; it has "
                + columns.stream().map(Column::name).toList());
    }

    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    public boolean isPartitioned() {
        return partitionKey.isPresent();
    }

    public Optional<Constraint.PrimaryKey> primaryKey() {
        return constraints.stream().filter(Constraint.PrimaryKey.class::isInstance).map(Constraint.PrimaryKey.class::cast)
                .findFirst();
    }

    /** UNIQUE constraints and unique indexes (the primary key is not among them). */
    public List<Constraint.Unique> uniques() {
        return only(Constraint.Unique.class);
    }

    public List<Constraint.ForeignKey> foreignKeys() {
        return only(Constraint.ForeignKey.class);
    }

    public List<Constraint.Check> checks() {
        return only(Constraint.Check.class);
    }

    public List<Constraint.Exclusion> exclusions() {
        return only(Constraint.Exclusion.class);
    }

    /** The constraint of that name. */
    public Constraint constraint(String constraintName) {
        return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst().orElseThrow(() ->
                new PgPropException("table " + qualifiedName() + " has no constraint '" + constraintName + "'; it has "
                        + constraints.stream().map(Constraint::name).toList()));
    }

    private <T extends Constraint> List<T> only(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Constraint c : constraints) {
            if (type.isInstance(c)) {
                out.add(type.cast(c));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}

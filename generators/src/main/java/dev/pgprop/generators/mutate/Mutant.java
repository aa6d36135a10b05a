package dev.pgprop.generators.mutate;

import java.util.Objects;

/**
 * One planted schema bug: a DDL change (one statement, or a short script) applied to a clone of
 * the migrated database. Its id is stable: the operator, the object and the variant, so that the
 * same bug keeps its id when the schema grows.
 *
 * <pre>{@code
 * Mutant m = analysis.mutants().get(0);
 * m.id();           // check.bound/allocations.allocations_quantity_range/quantity>=0
 * m.description();  // allocations_quantity_range: (quantity >= 1) becomes (quantity >= 0), a bound widened by one
 * m.ddl();          // ALTER TABLE public.allocations DROP CONSTRAINT …, ADD CONSTRAINT … CHECK (…)
 * }</pre>
 *
 * @param id operator/table.object[/variant]
 * @param operator the operator ({@code notnull.drop}, {@code check.bound}, {@code fk.on-delete}, …)
 * @param table the table, as a dataset names it
 * @param object the constraint, column, policy, trigger, index or privilege changed
 * @param description the change in words
 * @param ddl the SQL that makes the mutant
 * @param equivalence what is known before running about its equivalence to the original
 */
public record Mutant(String id, String operator, String table, String object, String description, String ddl,
                     Equivalence equivalence) {
    public Mutant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(ddl, "ddl");
        Objects.requireNonNull(equivalence, "equivalence");
    }

    @Override
    public String toString() {
        return id;
    }
}

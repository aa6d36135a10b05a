package dev.pgprop.dsl.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table constraint (or a unique index) as the catalog declares it. {@link #definition()} is
 * {@code pg_get_constraintdef} (or {@code pg_get_indexdef} for a unique index that is no
 * constraint). NOT NULL is a property of the {@link Column}.
 *
 * <pre>{@code
 * for (Constraint c : table.constraints()) {
 *     if (c instanceof Constraint.ForeignKey fk) {
 *         System.out.println(fk.name() + " -> " + fk.referencedTable() + fk.referencedColumns());
 *     }
 * }
 * }</pre>
 */
public sealed interface Constraint {
    /** The constraint's (or unique index's) name, as error messages name it. */
    String name();

    /** The columns it covers, in key order (expression keys of an index are left out). */
    List<String> columns();

    /** Its definition as PostgreSQL prints it. */
    String definition();

    /** A PRIMARY KEY. */
    record PrimaryKey(String name, List<String> columns, String definition) implements Constraint {
        public PrimaryKey {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(definition, "definition");
        }
    }

    /**
     * A UNIQUE constraint, or a unique index: partial ({@code predicate}), over expressions
     * ({@code expressionKeys}), with NULLS NOT DISTINCT.
     *
     * @param indexOnly a unique index that is not a constraint ({@code CREATE UNIQUE INDEX})
     */
    record Unique(String name, List<String> columns, String definition, boolean nullsNotDistinct,
                  Optional<String> predicate, boolean expressionKeys, boolean indexOnly) implements Constraint {
        public Unique {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(predicate, "predicate");
        }
    }

    /** A FOREIGN KEY, with its actions and deferrability. Action codes as {@code pg_constraint}: a, r, c, n, d. */
    record ForeignKey(String name, List<String> columns, String definition, String referencedSchema,
                      String referencedTable, List<String> referencedColumns, Action onUpdate, Action onDelete,
                      boolean matchFull, boolean deferrable, boolean initiallyDeferred, boolean validated)
            implements Constraint {
        public ForeignKey {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(definition, "definition");
            referencedColumns = List.copyOf(referencedColumns);
        }

        /** The referenced table as {@code schema.table}. */
        public String referencedQualifiedName() {
            return referencedSchema + "." + referencedTable;
        }
    }

    /** What a foreign key does when its parent row changes. */
    enum Action {
        NO_ACTION, RESTRICT, CASCADE, SET_NULL, SET_DEFAULT;

        /** From {@code pg_constraint.confupdtype}/{@code confdeltype}. */
        public static Action fromCode(String code) {
            return switch (code) {
                case "r" -> RESTRICT;
                case "c" -> CASCADE;
                case "n" -> SET_NULL;
                case "d" -> SET_DEFAULT;
                default -> NO_ACTION;
            };
        }
    }

    /**
     * A CHECK. {@code expression} is the boolean expression alone ({@code pg_get_expr}); a
     * domain's CHECK names its value {@code VALUE}.
     */
    record Check(String name, List<String> columns, String definition, String expression, boolean validated,
                 boolean noInherit) implements Constraint {
        public Check {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(definition, "definition");
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** An EXCLUDE constraint: {@code operators.get(i)} applies to {@code columns.get(i)}. */
    record Exclusion(String name, List<String> columns, String definition, List<String> operators,
                     Optional<String> predicate) implements Constraint {
        public Exclusion {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
            Objects.requireNonNull(definition, "definition");
            operators = List.copyOf(operators);
            Objects.requireNonNull(predicate, "predicate");
        }
    }
}

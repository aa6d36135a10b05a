package dev.pgprop.generators.internal.schema;

import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.schema.ColumnRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** How one table's rows are drawn and resolved. Built once per arbitrary; shared by its draws. */
final class TablePlan {
    final Table table;
    final int index;
    /** Columns the dataset carries, in table order. */
    final List<Column> output = new ArrayList<>();
    /** Columns drawn by a generator, in seed order. */
    final List<Column> drawn = new ArrayList<>();
    final List<Gen> gens = new ArrayList<>();
    /** Drawn columns that are pinned or overridden: never varied to repair a collision. */
    final Set<String> fixed = new java.util.HashSet<>();
    final Map<String, ColumnRule> rules = new LinkedHashMap<>();
    final List<Fk> fks = new ArrayList<>();
    final List<Check> checks = new ArrayList<>();
    final List<Constraint> uniques = new ArrayList<>();
    /** The columns each unique key computes from, by the key's place in {@link #uniques}. */
    final List<List<String>> uniqueColumns = new ArrayList<>();
    final List<Constraint.Exclusion> exclusions = new ArrayList<>();
    @Nullable PartitionRule partition;
    int minRows;
    int maxRows;
    final AtomicLong seedMisses = new AtomicLong();
    final AtomicLong seedHits = new AtomicLong();
    final Map<String, AtomicLong> rowMisses = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong rowHits = new AtomicLong();

    /** Each column's type by name (the first column of a name, as {@link Table#column} finds it). */
    private final Map<String, PgType> types = new java.util.HashMap<>();

    TablePlan(Table table, int index) {
        this.table = table;
        this.index = index;
        for (Column c : table.columns()) {
            types.putIfAbsent(c.name(), c.type());
        }
    }

    int drawnIndex(String column) {
        for (int i = 0; i < drawn.size(); i++) {
            if (drawn.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    PgType type(String column) {
        return types.get(column);
    }

    /**
     * A foreign key to a table of the plan. {@code later}: the parent is drawn after this table
     * (a cycle broken here): then the key is NULL, or filled after all tables when it is
     * initially deferred.
     */
    record Fk(Constraint.ForeignKey constraint, TablePlan parent, boolean self, boolean nullable, boolean later,
              boolean deferredFill) {}

    /**
     * A CHECK (a table's, or a column's domain's with VALUE bound to the column), parsed when
     * pgprop understands its shape, else evaluated by the server.
     */
    record Check(String name, String expression, @Nullable Expr parsed, List<String> columns, @Nullable String domainColumn) {}
}

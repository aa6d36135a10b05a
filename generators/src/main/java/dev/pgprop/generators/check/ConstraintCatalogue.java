package dev.pgprop.generators.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.internal.check.Violator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The invalid-row catalogue of any schema, read from its catalog: one entry per PRIMARY KEY,
 * UNIQUE (constraint or unique index), FOREIGN KEY, CHECK and EXCLUDE constraint, per NOT NULL
 * column, per domain CHECK and domain NOT NULL on a column, and per enum column. Given a valid
 * dataset, {@link #violate} changes it so that it breaks one entry and nothing else.
 *
 * <p>An entry that no single change can break alone is classified rather than left out: a CHECK
 * implied by another (PostgreSQL checks CHECKs in name order and names the first it finds
 * broken), a CHECK implied by a NOT NULL (checked before any CHECK), a NOT NULL on an identity
 * column GENERATED ALWAYS (no INSERT can give it a value). The {@link SchemaViolation} says what
 * PostgreSQL names then.
 *
 * <pre>{@code
 * ConstraintCatalogue catalogue = ConstraintCatalogue.of(Schema.read(db));
 * for (CatalogueEntry e : catalogue.entries()) {
 *     Optional<SchemaViolation> v = catalogue.violate(e, validDataset, connection);
 *     // load v.invalid(): expect v.sqlState() naming v.raisedConstraint()
 * }
 * }</pre>
 */
public final class ConstraintCatalogue {
    private final Schema schema;
    private final Map<String, CatalogueEntry> entries;
    private final Violator violator;

    private ConstraintCatalogue(Schema schema) {
        this.schema = schema;
        this.entries = new LinkedHashMap<>();
        for (Table t : schema.tables()) {
            for (CatalogueEntry e : Violator.entries(t)) {
                CatalogueEntry prev = entries.putIfAbsent(e.name(), e);
                if (prev != null) { // a constraint name used on two tables: qualify the later one
                    entries.put(e.table() + ":" + e.name(), new CatalogueEntry(e.table() + ":" + e.name(), e.kind(), e.table(),
                            e.constraint(), e.column(), e.datatype(), e.sqlState(), e.unreachable()));
                }
            }
        }
        this.violator = new Violator(schema);
    }

    /** The catalogue of every table of the schema model. */
    public static ConstraintCatalogue of(Schema schema) {
        return new ConstraintCatalogue(schema);
    }

    public Schema schema() {
        return schema;
    }

    /** Every entry: per table (in the model's order), its constraints, then its columns' entries. */
    public List<CatalogueEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entries of one table (as a dataset names it). */
    public List<CatalogueEntry> entries(String table) {
        List<CatalogueEntry> out = new ArrayList<>();
        entries.values().forEach(e -> {
            if (e.table().equals(table)) {
                out.add(e);
            }
        });
        return out;
    }

    /** The entry of this name: a constraint's name, {@code table.column NOT NULL}, … */
    public CatalogueEntry entry(String name) {
        CatalogueEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no catalogue entry is named '" + name + "'; the entries are " + entries.keySet());
        }
        return e;
    }

    /**
     * {@code valid} changed so that it breaks {@code entry} and, unless the entry is implied by
     * others, nothing else: checked on the server by loading the change with that constraint
     * dropped, in a transaction that is rolled back. Empty when this dataset offers no such change
     * (too few rows of the table, say): draw another.
     */
    public Optional<SchemaViolation> violate(CatalogueEntry entry, Dataset valid, Connection connection) {
        try {
            return violator.violate(entry, valid, connection);
        } catch (SQLException e) {
            throw new PgPropException("drawing a violation of " + entry.name() + " failed: " + e.getMessage(), e);
        }
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "ConstraintCatalogue[" + entries.size() + " entries over " + schema.tables().size() + " tables]";
    }
}

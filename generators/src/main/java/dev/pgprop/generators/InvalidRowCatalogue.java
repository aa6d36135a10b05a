package dev.pgprop.generators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Every named CHECK, FOREIGN KEY, UNIQUE and PRIMARY KEY constraint and every NOT NULL column of
 * the reference schema, each with rows that break it. Properties iterate over {@link #entries()};
 * adding a constraint to the schema means adding one entry (a test compares the catalogue with the
 * migrated schema and names what is missing).
 *
 * <pre>{@code
 * InvalidRowCatalogue catalogue = ReferenceArbitraries.invalidRows(1536);
 * ViolationCase fk = catalogue.entry("allocations_sku_fk");
 * ViolationCase nn = catalogue.entry("payments.currency NOT NULL");
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class InvalidRowCatalogue {
    private final Map<String, ViolationCase> entries;
    private final int embeddingDimension;

    /** A catalogue of these entries (names unique), for vectors of this dimension. */
    public InvalidRowCatalogue(List<ViolationCase> entries, int embeddingDimension) {
        Map<String, ViolationCase> m = new LinkedHashMap<>();
        for (ViolationCase c : entries) {
            if (m.put(c.name(), c) != null) {
                throw new IllegalArgumentException("two catalogue entries are named " + c.name());
            }
        }
        this.entries = m;
        this.embeddingDimension = embeddingDimension;
    }

    /** All entries: named constraints first, then NOT NULL columns, each in table order. */
    public List<ViolationCase> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry of this constraint name, or of {@code table.column NOT NULL}. */
    public ViolationCase entry(String name) {
        ViolationCase c = entries.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no catalogue entry is named '" + name + "'; the entries are " + entries.keySet());
        }
        return c;
    }

    /** The names of the named constraints covered. */
    public List<String> constraintNames() {
        List<String> names = new ArrayList<>();
        entries.values().forEach(c -> {
            if (c.constraint() != null) {
                names.add(c.constraint());
            }
        });
        return names;
    }

    /** The NOT NULL columns covered, as {@code table.column}. */
    public List<String> notNullColumns() {
        List<String> names = new ArrayList<>();
        entries.values().forEach(c -> {
            if (c.column() != null) {
                names.add(c.table() + "." + c.column());
            }
        });
        return names;
    }

    /** The embedding dimension the vectors entries are drawn for. */
    public int embeddingDimension() {
        return embeddingDimension;
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "InvalidRowCatalogue[" + entries.size() + " entries, embedding dimension " + embeddingDimension + "]";
    }
}

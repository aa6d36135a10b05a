package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.schema.DatasetArbitrary;
import dev.pgprop.generators.schema.SchemaArbitraries;

/**
 * Valid datasets for the check, derived from the catalog: a table with 2 to 4 rows (two at least,
 * so that a duplicate key or an overlap can be made of two of them), and every table it references.
 */
public final class DerivedSource {
    private DerivedSource() {}

    public static SchemaCheck.DatasetSource of(TestDatabase db, String... schemas) {
        DatasetArbitrary all = SchemaArbitraries.from(db, schemas);
        return t -> all.tables(t.datasetName()).withRows(t.datasetName(), 2, 4);
    }
}

package dev.pgprop.generators.schema;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.generators.internal.schema.ServerEval;
import dev.pgprop.generators.internal.schema.TypeValues;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitrary;

/**
 * Arbitraries of valid {@link dev.pgprop.dsl.Dataset}s for any schema, derived from its catalog:
 * every table drawn in foreign-key order, keys pointing at parents drawn in the same dataset,
 * unique keys distinct, CHECKs, domains, enums and partition bounds respected. Shrinking keeps
 * every dataset valid: fewer rows first (a parent goes with its children), then simpler values.
 *
 * <pre>{@code
 * @PgProperties
 * class RentalProperties {
 *     @Provide
 *     Arbitrary<Dataset> rentals() {
 *         return SchemaArbitraries.fromConfig()           // the migrations pgprop runs
 *                 .tables("rental")                      // and every table rental references
 *                 .withRows("rental", 1, 5);
 *     }
 *
 *     @Property
 *     void returnedAfterRented(@ForAll("rentals") Dataset data, Db db) {
 *         db.given(data).then(Invariants.noRows("select * from rental where return_date < rental_date"));
 *     }
 * }
 * }</pre>
 */
public final class SchemaArbitraries {
    private static final Map<List<Object>, DatasetArbitrary> BY_MIGRATIONS = new ConcurrentHashMap<>();

    private SchemaArbitraries() {}

    /**
     * Datasets for a schema model. CHECKs of a shape pgprop does not parse need a database to
     * evaluate them: use {@link #from(TestDatabase, String...)} for those.
     */
    public static DatasetArbitrary from(Schema schema) {
        return DatasetArbitrary.of(schema, null);
    }

    /** Datasets for the named schemas of a database (every user schema when none is named). */
    public static DatasetArbitrary from(TestDatabase db, String... schemas) {
        return DatasetArbitrary.of(Schema.read(db, schemas), new ServerEval(db::openConnection));
    }

    /** Datasets for the named schemas of a try's database. */
    public static DatasetArbitrary from(Db db, String... schemas) {
        return from(db.database(), schemas);
    }

    /**
     * Datasets for a migration set: pgprop migrates it (once per JVM), reads the catalog of a
     * database of its own, and keeps that database for the server-side CHECKs until the JVM ends.
     */
    public static DatasetArbitrary from(MigrationSet migrations, String... schemas) {
        return BY_MIGRATIONS.computeIfAbsent(List.of(migrations, List.of(schemas)), k -> {
            TestDatabase db = PgProp.server().createDatabase(migrations, "schema");
            return from(db, schemas);
        });
    }

    /** Datasets for the configured migrations ({@code pgprop.migrations}). */
    public static DatasetArbitrary fromConfig(String... schemas) {
        return from(MigrationSet.fromConfig(), schemas);
    }

    /**
     * Values of one column type as pgprop draws them (boundaries included): arrays as Java
     * arrays, composites and ranges in their text form.
     */
    public static Arbitrary<Object> values(PgType type) {
        return TypeValues.of(type);
    }
}

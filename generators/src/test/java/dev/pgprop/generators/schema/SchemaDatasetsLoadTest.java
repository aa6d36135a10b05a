package dev.pgprop.generators.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import dev.pgprop.generators.corpus.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;

/** Every dataset drawn for a schema of many shapes loads with no error, deferred keys included. */
class SchemaDatasetsLoadTest {
    /** Draws per schema in the default run (the schema check draws more: {@code ./pgprop check}). */
    static final int TRIES = Integer.getInteger("pgprop.test.schemaTries", 60);

    /** Draws datasets the way a property does (a generator of growing size), outside a property. */
    static List<Dataset> draw(Arbitrary<Dataset> a, int n, long seed) {
        List<Dataset> out = new ArrayList<>();
        JqwikSession.run(Long.toString(seed), () -> {
            RandomGenerator<Dataset> g = a.generator(1000);
            Random r = new Random(seed);
            for (int i = 0; i < n; i++) {
                out.add(g.next(r).value());
            }
        });
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rental", "tenants", "graph", "booking", "ledger", "types"})
    void everyDrawLoads(String schema) throws Exception {
        drawAndLoad(SchemaDb.of(schema), schema);
    }

    /** The schemas of the test corpus ({@code corpus/<name>/} on the test classpath), when it is there. */
    static Stream<String> corpus() throws Exception {
        java.net.URL root = SchemaDatasetsLoadTest.class.getClassLoader().getResource("corpus");
        if (root == null) {
            return Stream.empty();
        }
        try (Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(java.nio.file.Path.of(root.toURI()))) {
            return dirs.filter(java.nio.file.Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void everyDrawOfTheCorpusLoads(String schema) throws Exception {
        drawAndLoad(new SchemaDb(Corpus.migrations(schema), schema), schema);
    }

    /**
     * A nullable key that closes a cycle (a store's manager, who works in a store) is drawn as a
     * reference in most rows, not always NULL, and the datasets still load; its unique index
     * holds in every draw.
     */
    @org.junit.jupiter.api.Test
    void aNullableKeyThatClosesACycleReferencesItsParent() throws Exception {
        try (SchemaDb db = new SchemaDb(Corpus.migrations("film_rental"), "film_rental")) {
            DatasetArbitrary a = SchemaArbitraries.from(db.db).withRows(1, 5);
            int stores = 0;
            int managed = 0;
            for (Dataset d : draw(a, 40, 7)) {
                db.load(d);
                List<Object> managers = d.rows("store").stream().map(r -> r.get("manager_staff_id"))
                        .filter(java.util.Objects::nonNull).toList();
                assertThat(managers).doesNotHaveDuplicates();
                stores += d.rows("store").size();
                managed += managers.size();
            }
            assertThat(stores).isGreaterThan(40);
            assertThat(managed).as("stores with a manager, of " + stores).isGreaterThan(stores / 3);
        }
    }

    /**
     * A table asked for rows gets them: each table it must reference (payment: rental, customer,
     * staff; and their own NOT NULL keys up to country) gets a row too, where the default row
     * count would often leave one empty and every payment then has no parent to point at.
     */
    @org.junit.jupiter.api.Test
    void aTableAskedForRowsGetsThemWithTheRowsItNeeds() throws Exception {
        try (SchemaDb db = new SchemaDb(Corpus.migrations("film_rental"), "film_rental")) {
            DatasetArbitrary a = SchemaArbitraries.from(db.db).tables("payment").withRows("payment", 2, 4);
            for (Dataset d : draw(a, 30, 5)) {
                db.load(d);
                assertThat(d.rows("payment")).as(d.toSql()).hasSizeBetween(2, 4);
                for (String needed : List.of("rental", "customer", "staff", "inventory", "film", "language", "address", "city",
                        "country")) {
                    assertThat(d.rows(needed)).as(needed).isNotEmpty();
                }
            }
        }
    }

    /**
     * A large dataset of every schema (enough rows for the loader's bulk path) stores, column for
     * column the dataset wrote, the same rows as the per-row INSERTs of the same dataset, both
     * loaded in one transaction (so {@code now()} is the same); and where nothing of the schema
     * needs the per-row checks, it took the bulk path and sent rows by COPY.
     */
    @ParameterizedTest
    @MethodSource("corpus")
    void aLargeDrawStoresWhatPerRowInsertsStore(String schema) throws Exception {
        try (SchemaDb db = new SchemaDb(Corpus.migrations(schema), schema)) {
            Dataset d = null;
            for (int rows = 40; d == null || d.rowCount() < Loader.BULK_KEY_CHECK_ROWS; rows *= 2) {
                assertThat(rows).as("rows per table for a dataset of " + Loader.BULK_KEY_CHECK_ROWS + " rows").isLessThan(1000);
                d = draw(SchemaArbitraries.from(db.db).withRows(rows, rows + 10), 1, 11).get(0);
            }
            Connection c = db.connection();
            Catalog catalog = Catalog.read(c);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT compare");
                Loader.load(c, catalog, d, true, Map.of());
                String keys = setting(s, "pgprop.load_keys");
                String copied = setting(s, "pgprop.load_copied");
                Map<String, List<String>> loaded = written(s, catalog, d);
                s.execute("ROLLBACK TO SAVEPOINT compare");
                s.execute(Loader.sql(catalog, d));
                Map<String, List<String>> inserted = written(s, catalog, d);
                System.out.printf("%s: %d rows, keys checked %s, %s rows by COPY%n", schema, d.rowCount(), keys, copied);
                assertThat(loaded).isEqualTo(inserted);
                // what keeps the per-row checks: a trigger of the schema's own, a key checked at
                // commit, a deferrable unique or exclusion constraint (its recheck is a trigger)
                boolean perRow;
                try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid"
                        + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'"
                        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema'))"
                        + " OR EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND condeferred"
                        + " OR contype IN ('u', 'p', 'x') AND condeferrable)")) {
                    rs.next();
                    perRow = rs.getBoolean(1);
                }
                if (!perRow) {
                    assertThat(keys).isEqualTo("bulk");
                    assertThat(Long.parseLong(copied)).isPositive();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "', true)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Per table of the dataset, the columns every one of its rows wrote, as sorted row texts. */
    private static Map<String, List<String>> written(Statement s, Catalog catalog, Dataset d) throws SQLException {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (String t : d.tables()) {
            List<Row> rows = d.rows(t);
            if (rows.isEmpty()) {
                continue;
            }
            java.util.Set<String> cols = new java.util.LinkedHashSet<>(rows.get(0).columns());
            rows.forEach(r -> cols.retainAll(r.columns()));
            if (cols.isEmpty()) {
                continue;
            }
            String list = cols.stream().map(dev.pgprop.dsl.internal.SqlLiterals::identifier).collect(Collectors.joining(", "));
            List<String> texts = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT ROW(" + list + ")::text FROM " + catalog.table(t).qualified() + " ORDER BY 1")) {
                while (rs.next()) {
                    texts.add(rs.getString(1));
                }
            }
            out.put(t, texts);
        }
        return out;
    }

    private static void drawAndLoad(SchemaDb schemaDb, String schema) throws Exception {
        try (SchemaDb db = schemaDb) {
            DatasetArbitrary a = SchemaArbitraries.from(db.db).withRows(0, 6);
            List<String> errors = new ArrayList<>();
            int rows = 0;
            for (Dataset d : draw(a, TRIES, 42)) {
                rows += d.rowCount();
                try {
                    db.load(d);
                } catch (RuntimeException e) {
                    errors.add(e.getMessage() + "\n" + d.toSql());
                }
            }
            System.out.printf("%s: %d datasets, %d rows, %d load errors%n", schema, TRIES, rows, errors.size());
            assertThat(errors).as(errors.stream().limit(3).collect(Collectors.joining("\n---\n"))).isEmpty();
            assertThat(rows).isGreaterThan(TRIES);
        }
    }
}

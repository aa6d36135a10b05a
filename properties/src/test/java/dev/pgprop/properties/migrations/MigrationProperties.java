package dev.pgprop.properties.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The reference migrations: from an empty database, in one go or in steps, they give the same
 * catalog, and a second migrate does nothing; a migration that fails halfway leaves schema and
 * Flyway's history as they were; data of the previous version survives the latest migration (V7,
 * allocations.updated_at) with every invariant intact.
 */
@PgProperties
public class MigrationProperties {
    static final String LATEST = "8";
    static final String V7 = "pgprop/reference/V7__allocations_updated_at.sql";

    static String oneShot;
    static String atLatest;
    static String atPrevious;
    static List<String> expectedSnapshot;

    @BeforeContainer
    static void databases() throws SQLException {
        oneShot = MigrationDatabases.create("oneshot");
        MigrationDatabases.migrate(oneShot, "latest");
        expectedSnapshot = MigrationDatabases.snapshot(oneShot);
        atLatest = MigrationDatabases.create("latest");
        MigrationDatabases.migrate(atLatest, "latest");
        atPrevious = MigrationDatabases.create("previous");
        MigrationDatabases.migrate(atPrevious, "6");
    }

    @AfterContainer
    static void dropDatabases() {
        for (String name : new String[] {oneShot, atLatest, atPrevious}) {
            if (name != null) {
                MigrationDatabases.drop(name);
            }
        }
    }

    /**
     * Migrating an empty database to version k first and to the latest afterwards gives the same
     * catalog as migrating it in one go (k = 0 is "in one go"), and as the database pgprop migrated
     * for this class; a second migrate applies nothing and leaves the catalog alone. Every k from
     * 0 to the latest is tried once (9 tries, not 100: there are 9 stops, and each try migrates
     * a database of its own).
     */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyPathToTheLatestVersionGivesTheSameCatalog(@ForAll @IntRange(min = 0, max = 8) int firstStop, Db db)
            throws SQLException {
        String name = MigrationDatabases.create("steps");
        try {
            int applied = 0;
            if (firstStop > 0) {
                applied += MigrationDatabases.migrate(name, Integer.toString(firstStop)).migrationsExecuted;
            }
            applied += MigrationDatabases.migrate(name, "latest").migrationsExecuted;
            assertThat(applied).isEqualTo(Integer.parseInt(LATEST));
            List<String> snapshot = MigrationDatabases.snapshot(name);
            assertThat(snapshot).containsExactlyElementsOf(expectedSnapshot);
            assertThat(snapshot).contains("column | allocations.updated_at timestamp with time zone default now()");

            MigrateResult again = MigrationDatabases.migrate(name, "latest");
            assertThat(again.migrationsExecuted).as("a second migrate").isZero();
            assertThat(MigrationDatabases.snapshot(name)).containsExactlyElementsOf(expectedSnapshot);
        } finally {
            MigrationDatabases.drop(name);
        }
        List<String> classDatabase = new ArrayList<>();
        db.rows(MigrationDatabases.SNAPSHOT).forEach(r -> classDatabase.add(r.get("kind") + " | " + r.get("what")));
        assertThat(classDatabase).as("the database pgprop migrated for this class").containsExactlyElementsOf(expectedSnapshot);
    }

    /** Statements that succeed on the reference schema, to run before the one that fails. */
    static final List<String> GOOD_STATEMENTS = List.of(
            "create table half_done_%d (id integer primary key)",
            "alter table inventory add column half_done_%d text",
            "create index half_done_%d on allocations (status)",
            "insert into inventory (sku, on_hand) values ('SKU-9%05d', 1)",
            "comment on table payments is 'half done %d'",
            "create function half_done_%d() returns integer language sql as 'select 1'",
            "drop policy payments_owner_select on payments; -- %d");

    static final List<String> FAILING_STATEMENTS = List.of(
            "select 1 / 0",
            "insert into inventory (sku, on_hand) values ('bad sku', 1)",
            "alter table no_such_table_%d add column x integer",
            "create table allocations (id integer)");

    @Provide
    Arbitrary<List<Integer>> goodPrefixes() {
        return Arbitraries.integers().between(0, GOOD_STATEMENTS.size() - 1).list().ofMaxSize(5);
    }

    /**
     * A migration that runs some good statements and then a failing one is refused, and leaves the
     * catalog and Flyway's history exactly as they were (PostgreSQL runs each migration in one
     * transaction). 30 tries, not 100: each one starts Flyway, which scans and validates every
     * migration (about 0.35 s a try); 30 draws of up to five statements cover each of the 7 good
     * statements and the 4 failures several times.
     */
    @Property(tries = 30, generation = GenerationMode.RANDOMIZED)
    void aMigrationThatFailsHalfwayLeavesSchemaAndHistoryAsTheyWere(@ForAll("goodPrefixes") List<Integer> good,
            @ForAll @IntRange(min = 0, max = 3) int failing) throws Exception {
        List<String> before = MigrationDatabases.snapshot(atLatest);
        List<String> historyBefore = MigrationDatabases.history(atLatest);
        Path dir = Files.createTempDirectory("pgprop-failing-migration");
        try {
            StringBuilder sql = new StringBuilder("-- a test migration that fails halfway\n");
            for (int i = 0; i < good.size(); i++) {
                sql.append(String.format(GOOD_STATEMENTS.get(good.get(i)), i)).append(";\n");
            }
            sql.append(String.format(FAILING_STATEMENTS.get(failing), 0)).append(";\n");
            Files.writeString(dir.resolve("V100__fails_halfway.sql"), sql.toString());
            assertThatThrownBy(() -> MigrationDatabases.flyway(atLatest, "latest", "filesystem:" + dir).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("V100__fails_halfway.sql");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        assertThat(MigrationDatabases.snapshot(atLatest)).containsExactlyElementsOf(before);
        assertThat(MigrationDatabases.history(atLatest)).containsExactlyElementsOf(historyBefore);
        try (Connection c = MigrationDatabases.connect(atLatest)) {
            assertThat(MigrationDatabases.rows(c, "select count(*) from inventory")).containsExactly("0");
        }
    }

    @Provide
    Arbitrary<Dataset> previousVersionData() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults());
    }

    static String v7() throws IOException {
        try (InputStream in = Objects.requireNonNull(MigrationProperties.class.getClassLoader().getResourceAsStream(V7), V7)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Any dataset written at version 6 survives V7: every row is still there, each allocation's
     * updated_at is its allocated_at, allocated is still the sum of live allocations and never above
     * on hand, every constraint still validates, and allocate() still works. Runs V7's SQL in a
     * transaction on a version-6 database and rolls it back, so every try starts at version 6.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void dataOfTheVersionBeforeSurvivesTheMigration(@ForAll("previousVersionData") Dataset data) throws Exception {
        String migration = v7();
        try (Connection c = MigrationDatabases.connect(atPrevious)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(data.toSql());
                List<String> before = MigrationDatabases.rows(c, "select sku, on_hand, allocated from inventory order by sku");
                s.execute(migration);
                assertThat(MigrationDatabases.rows(c, "select sku, on_hand, allocated from inventory order by sku"))
                        .containsExactlyElementsOf(before);
                assertThat(MigrationDatabases.rows(c, "select (select count(*) from allocations), (select count(*) from payments)"))
                        .containsExactly(data.rowCount("allocations") + " | " + data.rowCount("payments"));
                assertThat(MigrationDatabases.rows(c, "select id from allocations where updated_at is distinct from allocated_at"))
                        .as("allocations whose updated_at is not their allocated_at").isEmpty();
                assertThat(MigrationDatabases.rows(c, "select i.sku from inventory i left join allocations a on a.sku = i.sku"
                        + " group by i.sku, i.allocated, i.on_hand having i.allocated"
                        + " <> coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0) or i.allocated > i.on_hand"))
                        .as("SKUs whose allocated is off").isEmpty();
                for (String check : MigrationDatabases.rows(c, "select 'select count(*) from ' || conrelid::regclass"
                        + " || ' where not ' || substr(pg_get_constraintdef(oid), 7) from pg_constraint"
                        + " where connamespace = 'public'::regnamespace and contype = 'c'")) {
                    assertThat(MigrationDatabases.rows(c, check)).as(check).containsExactly("0");
                }
                for (Row item : data.rows("inventory")) {
                    int free = (Integer) item.get("on_hand") - (Integer) MigrationDatabases.rows(c,
                            "select allocated from inventory where sku = '" + item.get("sku") + "'").stream()
                            .map(Integer::valueOf).findFirst().orElseThrow();
                    if (free > 0) {
                        s.execute("select allocate('" + item.get("sku") + "', 1)");
                        assertThat(MigrationDatabases.rows(c, "select count(*) from allocations where sku = '" + item.get("sku")
                                + "' and updated_at is null")).containsExactly("0");
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }
}

package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.migrations.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema check on the reference schema (valid datasets from its own arbitraries): it passes
 * as migrated; a constraint that is declared but not enforced (a trigger swallowing the rows that
 * break it, a foreign key whose triggers are disabled) fails it with a minimal dataset; a table
 * pgprop cannot draw for fails it, named with the reason.
 */
class SchemaCheckTest {
    static final int TRIES = 10;
    static final int SAMPLES = 2;

    static TestDatabase reference(String label) {
        return PgProp.server().createDatabase(MigrationSet.of(Migrations.LOCATION)
                .withPlaceholders(Migrations.placeholders(ReferenceCatalogueTest.DIM)), label);
    }

    static void execute(TestDatabase db, String... sql) throws Exception {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    @Test
    void passesOnTheReferenceSchemaAndWritesBothCsvs(@TempDir Path out) throws Exception {
        try (TestDatabase db = reference("SchemaCheckPasses")) {
            SchemaCheck.Result r = SchemaCheck.run(db, t -> ReferenceCatalogueTest.valid(), TRIES, SAMPLES, 1L, out);
            assertThat(r.tables()).extracting(SchemaCheck.TableResult::table)
                    .containsExactlyInAnyOrder("inventory", "allocations", "payments", "vectors");
            assertThat(r.tables()).allMatch(t -> t.loaded() == TRIES && t.loadErrors() == 0);
            assertThat(r.entries()).filteredOn(e -> !e.passed()).isEmpty();
            assertThat(r.passed()).isTrue();
            List<String> tables = Files.readAllLines(out.resolve("schema/tables.csv"));
            assertThat(tables.get(0)).isEqualTo("table,columns,tries,loaded,load_errors,first_error");
            assertThat(tables).hasSize(5).anyMatch(l -> l.startsWith("payments,8," + TRIES + "," + TRIES + ",0,"));
            List<String> constraints = Files.readAllLines(out.resolve("schema/constraints.csv"));
            assertThat(constraints.get(0))
                    .isEqualTo("table,constraint,kind,violation_drawn,refused,sqlstate,expected_sqlstate,named_correctly,note");
            assertThat(constraints).anyMatch(l -> l.startsWith("allocations,allocations_sku_fk,FOREIGN_KEY,true,true,23503,23503,true,\""
                    + SAMPLES + " drawn, " + SAMPLES + " refused, " + SAMPLES + " named as declared\""));
            assertThat(constraints).anyMatch(l -> l.startsWith("inventory,inventory_on_hand_nonneg,CHECK,") && l.contains("implied")
                    && l.contains("inventory_not_oversold"));
        }
    }

    @Test
    void aConstraintThatIsNotEnforcedFailsTheCheckWithAMinimalDataset(@TempDir Path out) throws Exception {
        try (TestDatabase db = reference("SchemaCheckPlanted")) {
            execute(db, "CREATE FUNCTION swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                    "CREATE TRIGGER payments_swallow_bad BEFORE INSERT ON payments FOR EACH ROW"
                            + " WHEN (NEW.amount_cents <= 0) EXECUTE FUNCTION swallow()");
            SchemaCheck.Result r = SchemaCheck.run(db, t -> ReferenceCatalogueTest.valid(), TRIES, SAMPLES, 1L, out);
            assertThat(r.passed()).isFalse();
            assertThat(r.entries()).filteredOn(e -> !e.passed()).extracting(SchemaCheck.EntryResult::constraint)
                    .containsExactly("payments_amount_positive");
            SchemaCheck.EntryResult e = r.entries().stream().filter(x -> x.constraint().equals("payments_amount_positive"))
                    .findFirst().orElseThrow();
            assertThat(e.violationDrawn()).isEqualTo(SAMPLES);
            assertThat(e.refused()).isZero();
            // the trigger drops the row before any constraint sees it, so the payment alone is accepted
            assertThat(e.note()).contains("not enforced").contains("amount_cents").contains("minimal dataset of 1 rows");
            String sql = Files.readString(out.resolve("schema/failures/payments_amount_positive.sql"));
            assertThat(sql.lines().filter(l -> l.startsWith("INSERT")).toList()).hasSize(1)
                    .allMatch(l -> l.startsWith("INSERT INTO payments"));
        }
    }

    @Test
    void aForeignKeyWhoseTriggersAreDisabledFailsTheCheckWithTheOneRowThatDangles(@TempDir Path out) throws Exception {
        try (TestDatabase db = reference("SchemaCheckFkOff")) {
            execute(db, "ALTER TABLE payments DISABLE TRIGGER ALL");
            SchemaCheck.Result r = SchemaCheck.run(db, t -> ReferenceCatalogueTest.valid(), TRIES, SAMPLES, 1L, out);
            assertThat(r.passed()).isFalse();
            assertThat(r.entries()).filteredOn(e -> !e.passed()).extracting(SchemaCheck.EntryResult::constraint)
                    .containsExactly("payments_allocation_fk");
            String sql = Files.readString(out.resolve("schema/failures/payments_allocation_fk.sql"));
            assertThat(sql.lines().filter(l -> l.startsWith("INSERT")).toList()).hasSize(1)
                    .allMatch(l -> l.startsWith("INSERT INTO payments"));
        }
    }

    @Test
    void aTableThatCannotBeDrawnFailsTheCheckNamingTheTableAndWhy(@TempDir Path out) throws Exception {
        try (TestDatabase db = reference("SchemaCheckNoDraw")) {
            SchemaCheck.Result r = SchemaCheck.run(db, t -> {
                if (t.name().equals("vectors")) {
                    throw new PgPropException("column vectors.embedding has type vector(8), which nothing here draws");
                }
                return ReferenceCatalogueTest.valid();
            }, 3, 1, 1L, out);
            assertThat(r.passed()).isFalse();
            SchemaCheck.TableResult v = r.tables().stream().filter(t -> t.table().equals("vectors")).findFirst().orElseThrow();
            assertThat(v.loaded()).isZero();
            assertThat(v.firstError()).contains("cannot draw for vectors").contains("vector(8)");
            assertThat(Files.readString(out.resolve("schema/tables.csv"))).contains("cannot draw for vectors");
        }
    }
}

package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The invalid-row catalogue against the migrated reference schema: it covers every constraint and
 * NOT NULL column; each entry's rows are rejected with its SQLSTATE and constraint; and each
 * entry's rows break nothing else, since they load once that one constraint is dropped.
 */
class InvalidRowCatalogueTest {
    private static final int SAMPLES = 10;
    private static final InvalidRowCatalogue CATALOGUE = ReferenceArbitraries.invalidRows(ReferenceDb.DIM);
    private static ReferenceDb db;

    @BeforeContainer
    static void database() {
        db = new ReferenceDb("InvalidRowCatalogueTest");
    }

    @AfterContainer
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    /** What the schema has and the catalogue lacks, and the other way round. */
    record Comparison(List<String> missing, List<String> extra) {}

    static Comparison compare(Connection c, InvalidRowCatalogue catalogue) throws SQLException {
        TreeSet<String> schema = new TreeSet<>();
        for (List<Object> r : ReferenceDb.rows(c, """
                select con.conname
                  from pg_constraint con
                  join pg_class cl on cl.oid = con.conrelid
                 where cl.relnamespace = 'public'::regnamespace
                   and cl.relname <> 'flyway_schema_history'
                   and con.contype in ('c', 'f', 'u', 'p')
                """)) {
            schema.add((String) r.get(0));
        }
        for (List<Object> r : ReferenceDb.rows(c, """
                select cl.relname || '.' || a.attname || ' NOT NULL'
                  from pg_attribute a
                  join pg_class cl on cl.oid = a.attrelid
                 where cl.relnamespace = 'public'::regnamespace
                   and cl.relkind in ('r', 'p')
                   and cl.relname <> 'flyway_schema_history'
                   and a.attnum > 0 and not a.attisdropped and a.attnotnull
                """)) {
            schema.add((String) r.get(0));
        }
        TreeSet<String> covered = new TreeSet<>();
        catalogue.entries().forEach(e -> covered.add(e.name()));
        List<String> missing = new ArrayList<>(schema);
        missing.removeAll(covered);
        List<String> extra = new ArrayList<>(covered);
        extra.removeAll(schema);
        return new Comparison(missing, extra);
    }

    @Example
    void theCatalogueHasAnEntryForEveryConstraintAndNotNullColumn() {
        db.inRollback(c -> {
            Comparison cmp = compare(c, CATALOGUE);
            assertThat(cmp.missing()).as("constraints and NOT NULL columns of the schema without a catalogue entry").isEmpty();
            assertThat(cmp.extra()).as("catalogue entries for nothing in the schema").isEmpty();
        });
        assertThat(CATALOGUE.constraintNames()).hasSize(17);
        assertThat(CATALOGUE.notNullColumns()).hasSize(20);
    }

    @Example
    void aConstraintOrNotNullColumnWithoutAnEntryIsNamed() {
        db.inRollback(c -> {
            ReferenceDb.execute(c, "alter table payments add constraint payments_owner_not_nil"
                    + " check (owner_id <> '00000000-0000-0000-0000-000000000000')");
            ReferenceDb.execute(c, "alter table vectors add column note text not null default ''");
            ReferenceDb.execute(c, "alter table inventory drop constraint inventory_on_hand_nonneg");
            Comparison cmp = compare(c, CATALOGUE);
            assertThat(cmp.missing()).containsExactly("payments_owner_not_nil", "vectors.note NOT NULL");
            assertThat(cmp.extra()).containsExactly("inventory_on_hand_nonneg");
        });
    }

    @Example
    void eachEntryHasTheKindAndTableOfItsConstraint() {
        db.inRollback(c -> {
            for (ViolationCase e : CATALOGUE.entries()) {
                assertThat(e.sqlState()).as(e.name()).isEqualTo(e.kind().sqlState());
                if (e.constraint() != null) {
                    List<List<Object>> rows = ReferenceDb.rows(c, "select con.contype::text, cl.relname::text from pg_constraint con"
                            + " join pg_class cl on cl.oid = con.conrelid where con.conname = '" + e.constraint() + "'");
                    assertThat(rows).as(e.name()).containsExactly(List.of(e.kind().contype().orElseThrow(), e.table()));
                }
            }
        });
    }

    private static List<InvalidRow> samples(ViolationCase e, long seed) {
        RandomGenerator<InvalidRow> generator = e.rows().generator(1000, true);
        Random random = new Random(seed);
        List<InvalidRow> out = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            out.add(generator.next(random).value());
        }
        return out;
    }

    private static String dropSql(ViolationCase e, String constraint) {
        return "alter table " + e.table() + " drop constraint " + constraint + " cascade";
    }

    private static List<String> dropStatements(Connection c, ViolationCase e) throws SQLException {
        List<String> sql = new ArrayList<>();
        if (e.constraint() != null) {
            sql.add(dropSql(e, e.constraint()));
        } else {
            List<List<Object>> pk = ReferenceDb.rows(c, "select con.conname::text from pg_constraint con"
                    + " join pg_attribute a on a.attrelid = con.conrelid and a.attnum = any (con.conkey)"
                    + " where con.contype = 'p' and con.conrelid = '" + e.table() + "'::regclass and a.attname = '" + e.column() + "'");
            for (List<Object> r : pk) {
                sql.add(dropSql(e, (String) r.get(0)));
            }
            sql.add("alter table " + e.table() + " alter column " + e.column() + " drop not null");
        }
        return sql;
    }

    @Example
    void everyEntryIsRejectedWithItsSqlStateAndConstraint() {
        List<String> problems = new ArrayList<>();
        int tried = 0;
        for (ViolationCase e : CATALOGUE.entries()) {
            for (InvalidRow bad : samples(e, e.name().hashCode())) {
                tried++;
                db.inRollback(c -> {
                    ReferenceDb.load(c, bad.setup());
                    ReferenceDb.Failure f = ReferenceDb.failure(c, bad.insertSql());
                    String expected = e.sqlState() + " " + e.raisedConstraint().orElse(null) + " on " + e.table()
                            + (e.column() != null ? "." + e.column() : "");
                    String actual = f == null ? "accepted"
                            : f.sqlState() + " " + f.constraint() + " on " + f.table() + (f.column() != null ? "." + f.column() : "");
                    if (!expected.equals(actual)) {
                        problems.add(e.name() + ": expected " + expected + ", got " + actual + (f == null ? "" : " (" + f.message() + ")")
                                + "\n  " + bad.toSql().replace("\n", "\n  "));
                    }
                });
            }
        }
        assertThat(problems).as("entries whose rows were not rejected as tagged").isEmpty();
        assertThat(tried).isEqualTo(CATALOGUE.size() * SAMPLES);
    }

    @Example
    void everyEntryBreaksOnlyItsConstraint() {
        List<String> problems = new ArrayList<>();
        for (ViolationCase e : CATALOGUE.entries()) {
            for (InvalidRow bad : samples(e, e.name().hashCode() + 1)) {
                // without the constraint (and those it cannot be broken without), the row loads
                db.inRollback(c -> {
                    for (String sql : dropStatements(c, e)) {
                        ReferenceDb.execute(c, sql);
                    }
                    for (String other : e.alsoBroken()) {
                        ReferenceDb.execute(c, dropSql(e, other));
                    }
                    ReferenceDb.load(c, bad.setup());
                    ReferenceDb.Failure f = ReferenceDb.failure(c, bad.insertSql());
                    if (f != null) {
                        problems.add(e.name() + ": without it the row still fails with " + f.sqlState() + " " + f.constraint()
                                + " (" + f.message() + ")\n  " + bad.toSql().replace("\n", "\n  "));
                    }
                });
                // without only the others, its own constraint rejects it
                if (!e.alsoBroken().isEmpty()) {
                    db.inRollback(c -> {
                        for (String other : e.alsoBroken()) {
                            ReferenceDb.execute(c, dropSql(e, other));
                        }
                        ReferenceDb.load(c, bad.setup());
                        ReferenceDb.Failure f = ReferenceDb.failure(c, bad.insertSql());
                        if (f == null || !Objects.equals(f.constraint(), e.constraint())) {
                            problems.add(e.name() + ": with " + e.alsoBroken() + " dropped, expected " + e.constraint() + ", got "
                                    + (f == null ? "accepted" : f.constraint()));
                        }
                    });
                }
            }
        }
        assertThat(problems).as("entries whose rows break more than their constraint").isEmpty();
    }

    @Example
    void entriesAreFoundByName() {
        assertThat(CATALOGUE.entry("allocations_sku_fk").kind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
        assertThat(CATALOGUE.entry("payments.currency NOT NULL").column()).isEqualTo("currency");
        assertThat(CATALOGUE.entry("inventory_on_hand_nonneg").raisedConstraint()).hasValue("inventory_not_oversold");
        assertThat(CATALOGUE.entry("inventory_sku_format").raisedConstraint()).hasValue("inventory_sku_format");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CATALOGUE.entry("nope"))
                .hasMessageContaining("no catalogue entry is named 'nope'").hasMessageContaining("payments_pkey");
    }
}

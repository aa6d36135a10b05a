package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.generators.schema.SchemaArbitraries;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shrinking of datasets drawn from a schema's catalog reaches the exact minimum on several
 * shapes, and every dataset the property saw on the way (draws and shrink steps) loads with no
 * error: shrinking never leaves the valid space.
 */
class SchemaShrinkingTest {
    /** The failing properties; run only through the engine (nested, so Surefire skips them). */
    static class Subjects {
        static Arbitrary<Dataset> datasets;
        static Predicate<Dataset> holds;
        static final List<Dataset> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        static Dataset lastFailing;

        @Property(seed = "14001", tries = 200, shrinking = net.jqwik.api.ShrinkingMode.FULL)
        boolean holds(@ForAll("datasets") Dataset data) {
            seen.add(data);
            boolean ok = holds.test(data);
            if (!ok) {
                lastFailing = data;
            }
            return ok;
        }

        @Provide
        Arbitrary<Dataset> datasets() {
            return datasets;
        }
    }

    /** Runs the property on datasets of the schema; returns the shrunk sample after loading all it saw. */
    private static Dataset shrink(String schema, java.util.function.Function<dev.pgprop.generators.schema.DatasetArbitrary,
            Arbitrary<Dataset>> spec, Predicate<Dataset> holds, Path dir) throws Exception {
        try (TestDatabase db = PgProp.server().createDatabase(MigrationSet.of("classpath:schemas/" + schema), schema)) {
            Subjects.datasets = spec.apply(SchemaArbitraries.from(db));
            Subjects.holds = holds;
            Subjects.seen.clear();
            Subjects.lastFailing = null;
            EngineRun run = EngineRun.property(Subjects.class, "holds", dir.resolve("jqwik-" + schema));
            assertThat(run.failures()).as("the property fails").hasSize(1);
            int errors = 0;
            try (Connection c = db.openConnection()) {
                Catalog catalog = Catalog.read(c);
                c.setAutoCommit(false);
                List<Dataset> seen;
                synchronized (Subjects.seen) {
                    seen = new ArrayList<>(Subjects.seen);
                }
                for (Dataset d : seen) {
                    try (Statement s = c.createStatement()) {
                        Loader.load(c, catalog, d, true, java.util.Map.of());
                        s.execute("SET CONSTRAINTS ALL IMMEDIATE");
                    } catch (RuntimeException | java.sql.SQLException e) {
                        errors++;
                    } finally {
                        c.rollback();
                    }
                }
            }
            System.out.printf("%s: %d datasets seen (draws and shrink steps), %d load errors; shrunk to%n%s%n", schema,
                    seenCount(), errors, Subjects.lastFailing.toSql());
            assertThat(errors).as("datasets seen while shrinking that failed to load").isZero();
            return Subjects.lastFailing;
        }
    }

    private static int seenCount() {
        synchronized (Subjects.seen) {
            return Subjects.seen.size();
        }
    }

    private static List<String> counts(Dataset d) {
        List<String> out = new ArrayList<>();
        for (String t : d.tables()) {
            out.add(t + "=" + d.rowCount(t));
        }
        return out;
    }

    @Test
    void aRentalReturnedBeforeItWasRentedShrinksToItAndTheChainOfRowsItNeeds(@TempDir Path dir) throws Exception {
        Dataset min = shrink("rental", a -> a.tables("rental"), d -> d.rows("rental").stream().noneMatch(r ->
                r.get("return_date") instanceof LocalDateTime ret && r.get("rental_date") instanceof LocalDateTime at
                        && ret.isBefore(at)), dir);
        assertThat(counts(min)).containsExactly("film=1", "country=1", "city=1", "address=1", "store=1", "customer=1", "inventory=1", "rental=1");
        // timestamps shrink towards 2025-01-01 00:00 from either side: the rental keeps that instant and
        // is returned the second before it (its mirror, rented a second after and returned at it, is as small)
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO film (film_id, title, release_year, rental_rate, rating, special_features, length) VALUES (0, '', NULL, 0.01, NULL, NULL, NULL);
                INSERT INTO country (country_id, country) VALUES (0, '');
                INSERT INTO city (city_id, city, country_id) VALUES (0, 'a', 0);
                INSERT INTO address (address_id, address, postal_code, city_id) VALUES (0, '', NULL, 0);
                INSERT INTO store (store_id, address_id) VALUES (0, 0);
                INSERT INTO customer (customer_id, store_id, email, address_id, active) VALUES (0, 0, NULL, 0, FALSE);
                INSERT INTO inventory (inventory_id, film_id, store_id) VALUES (0, 0, 0);
                INSERT INTO rental (rental_date, inventory_id, customer_id, return_date) VALUES \
                ('2025-01-01T00:00'::timestamp, 0, 0, '2024-12-31T23:59:59'::timestamp);
                """);
    }

    @Test
    void aMemberManagedByAnotherShrinksToOneTenantAndTwoMembers(@TempDir Path dir) throws Exception {
        Dataset min = shrink("tenants", a -> a.tables("member"), d -> d.rows("member").stream().noneMatch(r ->
                r.get("manager_id") != null && !r.get("manager_id").equals(r.get("id"))), dir);
        assertThat(counts(min)).containsExactly("tenant=1", "member=2");
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO tenant (id, slug) VALUES (0, 'sjeor');
                INSERT INTO member (tenant_id, id, email, manager_id, role) VALUES (0, 1, '', 1, 'owner');
                INSERT INTO member (tenant_id, id, email, manager_id, role) VALUES (0, 2, 'a', 1, 'owner');
                """);
    }

    @Test
    void aDepartmentShrinksToItAndItsHeadThroughTheDeferredCycle(@TempDir Path dir) throws Exception {
        Dataset min = shrink("graph", a -> a.tables("department"), d -> d.rows("department").isEmpty(), dir);
        assertThat(counts(min)).containsExactly("department=1", "employee=1");
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO department (id, name, head_id) VALUES (0, '', 0);
                INSERT INTO employee (id, department_id, manager_id, salary) VALUES (0, 0, NULL, 1000);
                """);
    }

    @Test
    void aLargeTransferShrinksToTwoAccountsAndTheSmallestAmountAbove1000(@TempDir Path dir) throws Exception {
        Dataset min = shrink("ledger", a -> a.tables("transfer"), d -> d.rows("transfer").stream().noneMatch(r ->
                ((BigDecimal) r.get("amount")).compareTo(new BigDecimal("1000")) > 0), dir);
        assertThat(counts(min)).containsExactly("account=2", "transfer=1");
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO account (id, currency, opened, closed, balance, overdraft) VALUES (0, 'EUR', '2025-01-01'::date, NULL, 0.00, '0.00');
                INSERT INTO account (id, currency, opened, closed, balance, overdraft) VALUES (1, 'EUR', '2025-01-01'::date, NULL, 0.00, '0.00');
                INSERT INTO transfer (id, debit, credit, amount, memo, status) VALUES (0, 0, 1, 1000.01, NULL, 'pending');
                """);
    }

    @Test
    void twoBookingsOfOneRoomShrinkToOneRoomAndTwoBookingsThatDoNotOverlap(@TempDir Path dir) throws Exception {
        Dataset min = shrink("booking", a -> a.tables("booking"), d -> d.rows("booking").size() < 2, dir);
        assertThat(counts(min)).containsExactly("room=1", "booking=2");
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO room (id, floor, kind) VALUES (0, 0, '');
                INSERT INTO booking (id, room_id, during, guests) VALUES ('00000000-0000-0000-0000-000000000000'::uuid, 0, \
                '["2025-01-01T00:00","2025-01-01T00:00"]', 1);
                INSERT INTO booking (id, room_id, during, guests) VALUES ('00000000-0000-0000-0000-000000000001'::uuid, 0, \
                '["2025-01-01T00:00:01","2025-01-01T00:00:01"]', 1);
                """);
    }

    @Test
    void aPaymentShrinksIntoAPartitionWithTheRowsItReferences(@TempDir Path dir) throws Exception {
        Dataset min = shrink("rental", a -> a.tables("payment"), d -> d.rows("payment").isEmpty(), dir);
        assertThat(counts(min)).containsExactly("film=0", "country=1", "city=1", "address=1", "store=1", "customer=1", "inventory=0", "rental=0", "payment=1");
        assertThat(min.toSql()).isEqualTo("""
                INSERT INTO country (country_id, country) VALUES (0, '');
                INSERT INTO city (city_id, city, country_id) VALUES (0, 'a', 0);
                INSERT INTO address (address_id, address, postal_code, city_id) VALUES (0, '', NULL, 0);
                INSERT INTO store (store_id, address_id) VALUES (0, 0);
                INSERT INTO customer (customer_id, store_id, email, address_id, active) VALUES (0, 0, NULL, 0, FALSE);
                INSERT INTO payment (customer_id, rental_id, amount, payment_date) VALUES (0, NULL, 0.00, '2025-01-01'::date);
                """);
    }

}

package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgprop.dsl.internal.engine.Loader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A large load checks its foreign keys in bulk, after the rows are in, and refuses a dangling key
 * exactly as PostgreSQL's per-row check refuses it (same SQLSTATE, message, detail, table and
 * constraint), for plain, self-referencing, composite MATCH FULL, partitioned and inherited
 * shapes. Where skipping the per-row triggers would skip something else (a user trigger, a
 * deferrable unique constraint, a deferred key) or the role may not skip them, the load keeps the
 * per-row checks. Each test reads which path the load took, so none passes on the wrong one.
 */
class BulkKeyCheckTest {
    static final TryHarness H = new TryHarness("BulkKeyCheck", MigrationSet.of("classpath:pgprop-test/bulk-keys"));
    static final int N = Loader.BULK_KEY_CHECK_ROWS;

    @AfterAll
    static void close() {
        H.close();
    }

    static List<Row> rows(int n, IntFunction<Row> row) {
        List<Row> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(row.apply(i));
        }
        return out;
    }

    static final List<Row> REGIONS = rows(20, i -> Row.of("id", i, "name", "r" + i));

    /** N sites, each in a region and (but the first) under an earlier site. */
    static final Dataset SITES = Dataset.empty().with("region", REGIONS)
            .with("site", rows(N, i -> Row.of("id", i, "region_id", i % 20 + 1, "parent_site", i == 1 ? null : i / 2)));

    static Dataset withSite(int index, Row row) {
        List<Row> sites = new ArrayList<>(SITES.rows("site"));
        sites.set(index, row);
        return SITES.with("site", sites);
    }

    /** The load's statements on {@code c} in a transaction left open, then which path it took. */
    static String loadInTransaction(Connection c, Dataset d) throws SQLException {
        c.setAutoCommit(false);
        Loader.load(c, H.cls.catalog(), d, true, Map.of());
        return setting(c, "pgprop.load_keys");
    }

    static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_setting('" + name + "', true)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The error a script raises in a transaction rolled back afterwards. */
    static PgError errorOf(Connection c, String script) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(() -> s.execute("BEGIN;" + script + "COMMIT;"), SQLException.class);
            s.execute("ROLLBACK");
            assertThat((Object) e).as("the script was refused").isNotNull();
            return PgError.of(e);
        }
    }

    @Test
    void aLargeValidLoadChecksItsKeysInBulkAndTurnsThePerRowChecksBackOn() throws Exception {
        try (Connection c = H.cls.database().openConnection()) {
            assertThat(loadInTransaction(c, SITES)).isEqualTo("bulk");
            assertThat(setting(c, "pgprop.load_copied")).as("rows that went by COPY").isEqualTo(String.valueOf(N + 20));
            assertThat(setting(c, "session_replication_role")).isEqualTo("origin");
            assertThat(count(c, "select count(*) from site s join site p on p.id = s.parent_site join region r on r.id = s.region_id"))
                    .isEqualTo(N - 1L);
            // what the try does next is checked row by row again
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("insert into site values (" + (N + 1) + ", 9999, null)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
            }
            c.rollback();
        }
    }

    @Test
    void aSmallLoadKeepsThePerRowChecks() throws Exception {
        try (Connection c = H.cls.database().openConnection()) {
            Dataset small = Dataset.empty().with("region", REGIONS).with("site", rows(10, i -> Row.of("id", i, "region_id", i)));
            assertThat(Loader.loadSql(H.cls.catalog(), small)).doesNotContain("pgprop.load_keys");
            assertThat(loadInTransaction(c, small)).isNullOrEmpty();
            c.rollback();
        }
    }

    /**
     * The dangling key, the bulk path's error and the per-row path's error of the same rows: equal
     * in every field, and the load as a whole refused with nothing left.
     */
    void refusedAsPostgresqlRefusesIt(Dataset d, String constraint, String table) throws Exception {
        String bulk = Loader.loadSql(H.cls.catalog(), d);
        assertThat(bulk).contains("pgprop.load_keys");
        try (Connection c = H.cls.database().openConnection()) {
            List<Long> before = new ArrayList<>();
            for (String t : d.tables()) {
                before.add(count(c, "select count(*) from \"" + t + "\""));
            }
            PgError perRow = errorOf(c, Loader.sql(H.cls.catalog(), d));
            PgError inBulk = errorOf(c, bulk);
            assertThat(inBulk.sqlState()).isEqualTo("23503");
            assertThat(inBulk.constraint()).isEqualTo(constraint);
            assertThat(inBulk.table()).isEqualTo(table);
            assertThat(inBulk).usingRecursiveComparison().isEqualTo(perRow);
            try {
                DatasetLoadException e = catchThrowableOfType(() -> Loader.load(c, H.cls.catalog(), d, false, Map.of()),
                        DatasetLoadException.class);
                assertThat(e).isNotNull();
                assertThat(e.error().constraint()).isEqualTo(constraint);
                for (int i = 0; i < d.tables().size(); i++) {
                    String t = d.tables().get(i);
                    assertThat(count(c, "select count(*) from \"" + t + "\"")).as(t).isEqualTo(before.get(i));
                }
            } finally {
                // a load that wrongly went in must not reach the other tests
                try (Statement s = c.createStatement()) {
                    s.execute("truncate " + String.join(", ", d.tables().stream().map(t -> "\"" + t + "\"").toList()) + " cascade");
                }
            }
        }
    }

    @Test
    void aDanglingKeyIsRefused() throws Exception {
        refusedAsPostgresqlRefusesIt(withSite(N / 2, Row.of("id", N / 2 + 1, "region_id", 9999, "parent_site", null)),
                "site_region_id_fkey", "site");
    }

    @Test
    void aDanglingSelfReferenceIsRefused() throws Exception {
        refusedAsPostgresqlRefusesIt(withSite(N - 1, Row.of("id", N, "region_id", 1, "parent_site", 777_777)),
                "site_parent_site_fkey", "site");
    }

    static final List<Row> PARENTS = rows(N, i -> Row.of("K a", i, "b", -i));

    @Test
    void aCompositeKeyMissingItsParentIsRefused() throws Exception {
        List<Row> kids = rows(N, i -> Row.of("id", i, "x", i, "y", -i));
        kids.set(7, Row.of("id", 8, "x", 8, "y", 8));
        refusedAsPostgresqlRefusesIt(Dataset.empty().with("Odd Parent", PARENTS).with("kid", kids), "kid_x_y_fkey", "kid");
    }

    @Test
    void aMatchFullKeyHalfNullIsRefused() throws Exception {
        List<Row> kids = rows(N, i -> i % 3 == 0 ? Row.of("id", i, "x", null, "y", null) : Row.of("id", i, "x", i, "y", -i));
        kids.set(10, Row.of("id", 11, "x", 11, "y", null));
        refusedAsPostgresqlRefusesIt(Dataset.empty().with("Odd Parent", PARENTS).with("kid", kids), "kid_x_y_fkey", "kid");
    }

    @Test
    void aPartitionedChildIsRefusedInThePartitionItsRowIsIn() throws Exception {
        List<Row> readings = rows(N, i -> Row.of("site_id", i % 20 + 1, "at", java.time.LocalDate.of(2026, 1, 1).plusDays(i % 700)));
        readings.set(N - 3, Row.of("site_id", 4242, "at", java.time.LocalDate.of(2027, 3, 1)));
        Dataset d = Dataset.empty().with("region", REGIONS)
                .with("site", rows(20, i -> Row.of("id", i, "region_id", i))).with("reading", readings);
        refusedAsPostgresqlRefusesIt(d, "reading_site_id_fkey", "reading_2027");
    }

    @Test
    void aKeyOnlyAnInheritingTableHoldsIsRefused() throws Exception {
        // the parent's own rows count, not those of a table that inherits from it
        try (Connection c = H.cls.database().openConnection(); Statement s = c.createStatement()) {
            s.execute("insert into special_item (id, extra) values (100000, 'x')");
            try {
                List<Row> refs = rows(N, i -> Row.of("id", i, "item_id", i));
                refs.set(N / 3, Row.of("id", N / 3 + 1, "item_id", 100_000));
                refusedAsPostgresqlRefusesIt(Dataset.empty().with("base_item", rows(N, i -> Row.of("id", i))).with("item_ref", refs),
                        "item_ref_item_id_fkey", "item_ref");
            } finally {
                s.execute("delete from special_item");
            }
        }
    }

    @Test
    void aUserTriggerFiresForEveryRow() throws Exception {
        try (Connection c = H.cls.database().openConnection()) {
            Dataset d = Dataset.empty().with("region", REGIONS).with("audited", rows(N, i -> Row.of("id", i, "region_id", i % 20 + 1)));
            assertThat(loadInTransaction(c, d)).isEqualTo("rows");
            assertThat(count(c, "select count(*) from audit_log")).isEqualTo(N);
            c.rollback();
        }
    }

    @Test
    void aDeferrableUniqueConstraintStillRefusesADuplicate() throws Exception {
        try (Connection c = H.cls.database().openConnection()) {
            List<Row> slots = rows(N, i -> Row.of("n", i));
            slots.set(N - 1, Row.of("n", 1));
            Dataset d = Dataset.empty().with("slot", slots);
            DatasetLoadException e = catchThrowableOfType(() -> Loader.load(c, H.cls.catalog(), d, false, Map.of()),
                    DatasetLoadException.class);
            assertThat(e).isNotNull();
            assertThat(e.error().sqlState()).isEqualTo("23505");
            assertThat(count(c, "select count(*) from slot")).isZero();
            assertThat(loadInTransaction(c, Dataset.empty().with("slot", rows(N, i -> Row.of("n", i))))).isEqualTo("rows");
            c.rollback();
        }
    }

    @Test
    void aDeferredKeyIsLeftToTheCommit() throws Exception {
        try (Connection c = H.cls.database().openConnection()) {
            Dataset d = Dataset.empty().with("region", REGIONS).with("late_ref", rows(N, i -> Row.of("id", i, "region_id", i % 20 + 1)));
            assertThat(loadInTransaction(c, d)).isEqualTo("rows");
            c.rollback();
        }
    }

    @Test
    void aRoleThatMayNotSkipThePerRowChecksLoadsWithThem() throws Exception {
        // roles are the cluster's: a name of this run's own
        String role = "bulk_keys_loader_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
        try (Connection c = H.cls.database().openConnection(); Statement s = c.createStatement()) {
            s.execute("create role " + role + "; grant usage on schema public to " + role + "; grant insert, select on region, site to " + role);
            try {
                c.setAutoCommit(false);
                s.execute("set local role " + role);
                Loader.load(c, H.cls.catalog(), SITES, true, Map.of());
                assertThat(setting(c, "pgprop.load_keys")).isEqualTo("rows");
                assertThat(count(c, "select count(*) from site")).isEqualTo(N);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                s.execute("drop owned by " + role + "; drop role " + role);
            }
        }
    }

    /** Every row of {@code table} as text, sorted. */
    static List<String> contents(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select t::text from " + table + " t order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * The rows a large load stored (rolled back afterwards) and how many went by COPY, beside what
     * the per-row INSERTs of the same dataset store; the session's time zone is not UTC, so a value
     * an INSERT would convert through it shows.
     */
    static void storedAsInserted(Dataset d, String table, long expectCopied) throws Exception {
        try (Connection c = H.cls.database().openConnection(); Statement s = c.createStatement()) {
            s.execute("set time zone 'Asia/Kolkata'");
            assertThat(loadInTransaction(c, d)).isEqualTo("bulk");
            String copied = setting(c, "pgprop.load_copied");
            List<String> loaded = contents(c, table);
            c.rollback();
            s.execute("begin;" + Loader.sql(H.cls.catalog(), d));
            List<String> inserted = contents(c, table);
            c.rollback();
            assertThat(loaded).hasSize(d.rows(table).size()).isEqualTo(inserted);
            assertThat(copied).as("rows that went by COPY").isEqualTo(String.valueOf(expectCopied));
        }
    }

    static Row typed(int i) {
        return Row.of("id", i, "small", (short) (i % 300 - 150), "big", i * 1_000_000_007L, "price", new java.math.BigDecimal(i + ".005"),
                "ratio", i / 7.0f, "weight", i % 11 == 0 ? Double.NaN : i / 3.0, "flag", i % 2 == 0,
                "token", new java.util.UUID(i, -i), "at", java.time.Instant.ofEpochSecond(1_700_000_000L + i * 3_601L, i * 1_234_567L),
                "local_at", java.time.LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(i * 97L), "day", java.time.LocalDate.of(2026, 1, 1).plusDays(i),
                "clock", java.time.LocalTime.ofSecondOfDay(i * 37L % 86_400), "blob", new byte[] {(byte) i, 0, (byte) 0xff, '\\'},
                "doc", Map.of("n", i, "s", "tab\there \"q\"", "list", List.of(1, "two")),
                "note", i % 5 == 0 ? null : "line\nbreak\\ back\tslash 'quote' é 🎉 " + i, "code", "c" + i, "letters", "ab",
                "feeling", i % 2 == 0 ? "calm" : "tense", "year", 1901 + i % 255,
                "tags", new String[] {"a b", "q\"uote", null, "{brace}", "back\\slash"}, "scores", List.of(i, -i, 0),
                "addr", "10.0." + i % 256 + ".1/32", "span", i + " minutes", "emb", new float[] {i, -i / 3f, 0.5f});
    }

    @Test
    void copyStoresEveryValueAsAnInsertWould() throws Exception {
        storedAsInserted(Dataset.empty().with("typed", rows(N, BulkKeyCheckTest::typed)), "typed", N);
    }

    @Test
    void aValueAnInsertWouldConvertGoesByInsert() throws Exception {
        // an INSERT casts these (an Instant to a date in the session's zone, 2.5 rounded to an
        // integer, a boolean to text, a float array to text); COPY would read their text instead
        Object[][] converted = {{"day", java.time.Instant.parse("2026-03-01T20:00:00Z")}, {"small", new java.math.BigDecimal("2.5")},
                {"note", Boolean.TRUE}, {"code", 42}, {"year", 1950.0}};
        for (Object[] cv : converted) {
            List<Row> rows = rows(N, BulkKeyCheckTest::typed);
            rows.set(N / 2, rows.get(N / 2).with((String) cv[0], cv[1]));
            storedAsInserted(Dataset.empty().with("typed", rows), "typed", 0);
        }
    }

    @Test
    void aDomainOverANumberIsCopiedAndItsCheckStillRefuses() throws Exception {
        List<Row> rows = rows(N, BulkKeyCheckTest::typed);
        rows.set(3, rows.get(3).with("year", 1800));
        try (Connection c = H.cls.database().openConnection()) {
            DatasetLoadException e = catchThrowableOfType(() -> Loader.load(c, H.cls.catalog(), Dataset.empty().with("typed", rows), false,
                    Map.of()), DatasetLoadException.class);
            assertThat(e).isNotNull();
            assertThat(e.error().sqlState()).isEqualTo("23514");
            assertThat(e.error().constraint()).isEqualTo("release_year_range");
            assertThat(e.rowIndex()).isEqualTo(3);
            assertThat(count(c, "select count(*) from typed")).isZero();
        }
    }

    @Test
    void aKeyTheServerWritesIsStillRefusedWhenTheRowsNameIt() throws Exception {
        // COPY would take the written ids (it writes identity columns as given); the INSERT refuses them
        try (Connection c = H.cls.database().openConnection()) {
            Dataset d = Dataset.empty().with("always_id", rows(N, i -> Row.of("id", i, "note", "n" + i)));
            DatasetLoadException e = catchThrowableOfType(() -> Loader.load(c, H.cls.catalog(), d, false, Map.of()),
                    DatasetLoadException.class);
            assertThat(e).isNotNull();
            assertThat(e.error().sqlState()).isEqualTo("428C9");
            assertThat(count(c, "select count(*) from always_id")).isZero();
            assertThat(loadInTransaction(c, Dataset.empty().with("always_id", rows(N, i -> Row.of("note", "n" + i))))).isEqualTo("bulk");
            assertThat(setting(c, "pgprop.load_copied")).isEqualTo(String.valueOf(N));
            c.rollback();
        }
    }

    /** N/2 depots, each managed by the worker of the next depot (the last by the first's). */
    static Dataset depots() {
        int n = N / 2;
        return Dataset.empty()
                .with("depot", rows(n, i -> Row.of("code", "d-" + i, "manager", 1000 + i % n + 1)))
                .with("worker", rows(n, i -> Row.of("id", 1000 + i, "depot_code", "d-" + i)));
    }

    @Test
    void aCycleOfALargeLoadIsClosed() throws Exception {
        storedAsInserted(depots(), "depot", N);
        try (Connection c = H.cls.database().openConnection()) {
            loadInTransaction(c, depots());
            assertThat(count(c, "select count(*) from depot d join worker w on w.id = d.manager and w.depot_code <> d.code"))
                    .isEqualTo(N / 2);
            c.rollback();
        }
    }

    @Test
    void aCycleClosedByAMissingRowIsRefused() throws Exception {
        Dataset d = depots();
        List<Row> depots = new ArrayList<>(d.rows("depot"));
        depots.set(5, depots.get(5).with("manager", 99_999));
        refusedAsPostgresqlRefusesIt(d.with("depot", depots), "depot_manager_fkey", "depot");
    }
}

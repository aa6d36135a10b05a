package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.engine.Loader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Arrays of every kind of element load from Java arrays and from lists, nested arrays and nulls
 * inside included, and print as SQL that loads the same rows again.
 */
class ArrayValuesTest {
    static final MigrationSet KINDS = MigrationSet.of("classpath:pgprop-test/kinds");
    static final TryHarness H = new TryHarness("ArrayValues", KINDS);
    static final UUID U = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    /** Both rows hold exactly these arrays. */
    static final String SAME = "select count(*) from arrays where"
            + " texts = array['a', 'b c', 'q\"uote', null, 'back\\slash', 'it''s', '{x}', '']"
            + " and codes = array['ab', null]::varchar[]"
            + " and bigs = array[1, 9000000000, null]::bigint[]"
            + " and ints = array[1, 2, 3]"
            + " and grid = array[[1, 2], [3, null]]"
            + " and flags = array[true, false]"
            + " and reals = array[1.5, 'NaN']::real[]"
            + " and amounts = array[1.10, -2.50]::numeric[]"
            + " and ids = array['" + U + "']::uuid[]"
            + " and days = array['2024-02-29']::date[]"
            + " and ats = array['2024-01-02T03:04:05.123456Z']::timestamptz[]"
            + " and locals = array['2024-01-02 03:04:05']::timestamp[]"
            + " and docs = array['{\"k\": [1, \"v\"]}', 'null']::jsonb[]"
            + " and vecs = array['[1,2]', '[3,4]']::vector[]";

    static Row asJavaArrays() {
        return Row.of("id", 1,
                "texts", new String[] {"a", "b c", "q\"uote", null, "back\\slash", "it's", "{x}", ""},
                "codes", new String[] {"ab", null},
                "bigs", new Long[] {1L, 9_000_000_000L, null},
                "ints", new int[] {1, 2, 3},
                "grid", new Integer[][] {{1, 2}, {3, null}},
                "flags", new boolean[] {true, false},
                "reals", new float[] {1.5f, Float.NaN},
                "amounts", new BigDecimal[] {new BigDecimal("1.10"), new BigDecimal("-2.5")},
                "ids", new UUID[] {U},
                "days", new LocalDate[] {LocalDate.of(2024, 2, 29)},
                "ats", new Instant[] {Instant.parse("2024-01-02T03:04:05.123456Z")},
                "locals", new LocalDateTime[] {LocalDateTime.of(2024, 1, 2, 3, 4, 5)},
                "docs", new Object[] {Map.of("k", List.of(1, "v")), "null"},
                "vecs", new float[][] {{1, 2}, {3, 4}});
    }

    static Row asLists() {
        return Row.of("id", 2,
                "texts", Arrays.asList("a", "b c", "q\"uote", null, "back\\slash", "it's", "{x}", ""),
                "codes", Arrays.asList("ab", null),
                "bigs", Arrays.asList(1L, 9_000_000_000L, null),
                "ints", List.of(1, 2, 3),
                "grid", List.of(List.of(1, 2), Arrays.asList(3, null)),
                "flags", List.of(true, false),
                "reals", List.of(1.5f, Float.NaN),
                "amounts", List.of(new BigDecimal("1.10"), new BigDecimal("-2.5")),
                "ids", List.of(U),
                "days", List.of(LocalDate.of(2024, 2, 29)),
                "ats", List.of(Instant.parse("2024-01-02T03:04:05.123456Z")),
                "locals", List.of(LocalDateTime.of(2024, 1, 2, 3, 4, 5)),
                "docs", List.of(Map.of("k", List.of(1, "v")), "null"),
                "vecs", List.of(new float[] {1, 2}, new float[] {3, 4}));
    }

    static final Dataset DATA = Dataset.of("arrays", List.of(asJavaArrays(), asLists()));

    @AfterAll
    static void close() {
        H.close();
    }

    @Test
    void javaArraysAndListsLoadIntoArrayColumns() throws Exception {
        H.tryOnce(db -> db.given(DATA).then(scalar(SAME).isEqualTo(2L)));
    }

    @Test
    void theMinimalSqlOfAFailureLoadsTheSameArrays() throws Exception {
        String sql = Loader.printSql(H.cls.catalog(), DATA);
        assertThat(sql).contains("::text[]").contains("::bigint[]").contains("::vector(2)[]");
        H.tryOnce(db -> {
            try (var s = db.handle().getConnection().createStatement()) {
                s.execute(sql);
            }
            assertThat(db.rows(SAME).get(0).get("count")).isEqualTo(2L);
        });
    }

    @Test
    void withoutTheCatalogJavaArraysStillPrintAsRunnableSql() throws Exception {
        // Dataset.toSql() knows no column types: an untyped array literal, which the INSERT coerces
        // (there a float[] is a vector, as a lone value; a real[] takes Float[])
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>(asJavaArrays().values());
        values.put("reals", new Float[] {1.5f, Float.NaN});
        String sql = Dataset.of("arrays", List.of(Row.of(values))).toSql();
        assertThat(sql).doesNotContain("[Ljava");
        H.tryOnce(db -> {
            try (var s = db.handle().getConnection().createStatement()) {
                s.execute(sql);
            }
            assertThat(db.rows(SAME).get(0).get("count")).isEqualTo(1L);
        });
    }
}

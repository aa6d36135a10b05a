package dev.pgprop.dsl.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COPY paths read back exactly what was written, against values spelled out here (not only
 * against each other): NULLs in every column, special floats, COPY text's escape characters,
 * multi-byte text, numeric edge cases, vectors with special components, and rows large enough to
 * cross the encoder's buffer.
 */
class BulkLoadTest {
    static final MigrationSet TYPES = MigrationSet.of("classpath:pgprop-test/tiny", "classpath:pgprop-test/types");
    static TestDatabase db;

    @BeforeAll
    static void start() {
        db = PgProp.server().createDatabase(TYPES, "BulkLoadTest");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static Row row(int id, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String col : new String[] {"id", "flag", "small", "big", "real4", "real8", "amount", "label", "code", "fixed", "doc", "raw",
            "ref", "day", "at", "local", "embedding"}) {
            m.put(col, null);
        }
        m.put("id", id);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of(m);
    }

    static final List<Row> ROWS = List.of(
            row(1),
            row(2, "flag", true, "small", (short) -32768, "big", Long.MIN_VALUE, "real4", Float.NaN, "real8", Double.POSITIVE_INFINITY,
                    "amount", new BigDecimal("-0.000001"), "label", "tab\there\nnew\rcr\\back\\N", "code", "", "fixed", "é✓x",
                    "doc", Map.of("k", "v\t\"q\""), "raw", new byte[] {0, (byte) 0xff, '\\', '\n'},
                    "ref", new UUID(-1, 1), "day", LocalDate.of(1999, 12, 31), "at", Instant.parse("1970-01-01T00:00:00.000001Z"),
                    "local", LocalDateTime.of(2262, 4, 11, 23, 47, 16, 854775000), "embedding", new float[] {Float.MIN_VALUE, -0.0f, 3e38f}),
            row(3, "flag", false, "small", (short) 32767, "big", Long.MAX_VALUE, "real4", Float.NEGATIVE_INFINITY, "real8", -0.0,
                    "amount", new BigDecimal("99999999999999.999999"), "label", "emoji 😀 and NUL-free \u00a0", "code", "\\N",
                    "fixed", "abc", "doc", Map.of(), "raw", new byte[0], "day", LocalDate.of(2000, 1, 1),
                    "at", Instant.parse("2000-01-01T00:00:00Z"), "local", LocalDateTime.of(1900, 1, 1, 0, 0),
                    "embedding", new float[] {1.5f, -2.25f, 0f}),
            row(4, "real4", Float.MAX_VALUE, "real8", Double.NaN, "amount", new BigDecimal("0"), "label", "x".repeat(200_000)),
            row(5, "real8", Double.MIN_VALUE, "amount", new BigDecimal("10000.0001"), "label", "a\\tb"));

    /** Every column's text form as the server prints it, row by row. */
    static final List<String> EXPECTED = List.of(
            "(1,,,,,,,,,,,,,,,,)",
            "(2,t,-32768,-9223372036854775808,NaN,Infinity,-0.000001,\"tab\there\nnew\rcr\\\\back\\\\N\",\"\",é✓x,"
                    + "\"{\"\"k\"\": \"\"v\\\\t\\\\\"\"q\\\\\"\"\"\"}\",\"\\\\x00ff5c0a\",ffffffff-ffff-ffff-0000-000000000001,1999-12-31,"
                    + "\"1970-01-01 00:00:00.000001+00\",\"2262-04-11 23:47:16.854775\",\"[1e-45,-0,3e+38]\")",
            "(3,f,32767,9223372036854775807,-Infinity,-0,99999999999999.999999,\"emoji 😀 and NUL-free \u00a0\",\"\\\\N\",abc,{},"
                    + "\"\\\\x\",,2000-01-01,\"2000-01-01 00:00:00+00\",\"1900-01-01 00:00:00\",\"[1.5,-2.25,0]\")",
            "(4,,,,3.4028235e+38,NaN,0.000000,LABEL4,,,,,,,,,)",
            "(5,,,,,5e-324,10000.000100,\"a\\\\tb\",,,,,,,,,)");

    private static List<String> loadAndRead(BulkLoad.Path path) throws Exception {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute("set timezone = 'UTC'; truncate sample");
            assertThat(BulkLoad.load(c, "sample", ROWS, path)).isEqualTo(ROWS.size());
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select s::text from sample s order by id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            assertThat(out.get(3)).contains("x".repeat(200_000));
            out.set(3, out.get(3).replace("x".repeat(200_000), "LABEL4"));
            return out;
        }
    }

    @Test
    void binaryCopyReadsBackEveryValue() throws Exception {
        assertThat(loadAndRead(BulkLoad.Path.COPY_BINARY)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void textCopyReadsBackEveryValue() throws Exception {
        assertThat(loadAndRead(BulkLoad.Path.COPY_TEXT)).containsExactlyElementsOf(EXPECTED);
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void vectorsOf1536DimensionsRoundTripBitForBit() throws Exception {
        float[][] v = new float[300][1536];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < 1536; j++) {
                v[i][j] = (float) Math.sin(i * 1536 + j) * (j % 7 == 0 ? 1e-30f : 1f);
            }
        }
        for (BulkLoad.Path path : new BulkLoad.Path[] {BulkLoad.Path.COPY_BINARY, BulkLoad.Path.COPY_TEXT}) {
            try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
                s.execute("drop table if exists wide; create table wide (id int primary key, e vector(1536))");
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    rows.add(Row.of("id", i, "e", v[i]));
                }
                assertThat(BulkLoad.load(c, "wide", rows, path)).isEqualTo(v.length);
                try (ResultSet rs = s.executeQuery("select id, e from wide order by id")) {
                    int n = 0;
                    while (rs.next()) {
                        float[] got = new com.pgvector.PGvector(rs.getString(2)).toArray();
                        assertThat(bits(got)).as(path + " row " + n).isEqualTo(bits(v[rs.getInt(1)]));
                        n++;
                    }
                    assertThat(n).isEqualTo(v.length);
                }
            }
        }
    }

    @Test
    void textCopyWritesArraysAndBinaryCopyNamesWhatItCannotWrite() throws Exception {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists arr; create table arr (id int, tags text[], nums int[])");
            List<Row> rows = List.of(Row.of("id", 1, "tags", new String[] {"a\tb", null, "c,d", "{x}"}, "nums", new Integer[] {1, null, -3}));
            for (BulkLoad.Path path : new BulkLoad.Path[] {BulkLoad.Path.COPY_TEXT, BulkLoad.Path.BATCH}) {
                s.execute("truncate arr");
                assertThat(BulkLoad.load(c, "arr", rows, path)).isEqualTo(1);
                try (ResultSet rs = s.executeQuery("select tags[1] = E'a\\tb', tags[2] is null, tags[3], tags[4], nums::text from arr")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as(path.name()).isTrue();
                    assertThat(rs.getBoolean(2)).isTrue();
                    assertThat(rs.getString(3)).isEqualTo("c,d");
                    assertThat(rs.getString(4)).isEqualTo("{x}");
                    assertThat(rs.getString(5)).isEqualTo("{1,NULL,-3}");
                }
            }
            assertThatThrownBy(() -> BulkLoad.load(c, "arr", rows, BulkLoad.Path.COPY_BINARY))
                    .hasMessageContaining("column tags of type _text").hasMessageContaining("Path.COPY_TEXT");
        }
    }
}

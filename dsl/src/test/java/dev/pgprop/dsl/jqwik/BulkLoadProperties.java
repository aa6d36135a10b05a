package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.perf.BulkLoad;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every bulk path (binary COPY, text COPY, batch, row by row) writes identical table content for
 * any rows: special characters (tabs, newlines, backslashes, quotes, unicode), nulls in every
 * column, extreme numbers and times.
 */
@PgProperties(migrations = {"classpath:pgprop-test/tiny", "classpath:pgprop-test/types"})
class BulkLoadProperties {

    static <T> Arbitrary<T> orNull(Arbitrary<T> a) {
        return a.injectNull(0.15);
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        net.jqwik.api.arbitraries.StringArbitrary tricky = Arbitraries.strings().withChars("ab\t\n\r\\'\"é✓ ,;{}").ofMaxLength(12);
        Arbitrary<Map<String, Object>> doc = Combinators.combine(tricky, Arbitraries.integers().between(-5, 5))
                .as((k, v) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("k" + k, v);
                    m.put("list", List.of(k, v));
                    return m;
                });
        Arbitrary<Row> row = Combinators.combine(List.of(
                orNull(Arbitraries.of(true, false)).map(x -> (Object) x),
                orNull(Arbitraries.shorts()).map(x -> (Object) x),
                orNull(Arbitraries.longs()).map(x -> (Object) x),
                orNull(Arbitraries.floats().between(-1e6f, 1e6f)).map(x -> (Object) x),
                orNull(Arbitraries.doubles().between(-1e12, 1e12)).map(x -> (Object) x),
                orNull(Arbitraries.bigDecimals().between(new BigDecimal("-99999999999999"), new BigDecimal("99999999999999"))
                        .ofScale(6)).map(x -> (Object) x),
                orNull(tricky).map(x -> (Object) x),
                orNull(tricky.ofMaxLength(20)).map(x -> (Object) x),
                orNull(Arbitraries.strings().alpha().ofLength(3)).map(x -> (Object) x),
                orNull(doc).map(x -> (Object) x),
                orNull(Arbitraries.bytes().array(byte[].class).ofMaxSize(8)).map(x -> (Object) x),
                orNull(Arbitraries.create(UUID::randomUUID).map(u -> u)).map(x -> (Object) x),
                orNull(Arbitraries.integers().between(-200_000, 200_000).map(d -> LocalDate.of(2000, 1, 1).plusDays(d)))
                        .map(x -> (Object) x),
                orNull(Arbitraries.longs().between(-3_000_000_000_000_000L, 3_000_000_000_000_000L)
                        .map(us -> Instant.parse("2000-01-01T00:00:00Z").plus(us, ChronoUnit.MICROS))).map(x -> (Object) x),
                orNull(Arbitraries.longs().between(-3_000_000_000_000_000L, 3_000_000_000_000_000L)
                        .map(us -> LocalDateTime.of(2000, 1, 1, 0, 0).plus(us, ChronoUnit.MICROS))).map(x -> (Object) x),
                orNull(Arbitraries.floats().between(-100, 100).array(float[].class).ofSize(3)).map(x -> (Object) x)))
                .as(values -> {
                    String[] cols = {"flag", "small", "big", "real4", "real8", "amount", "label", "code", "fixed", "doc", "raw",
                        "ref", "day", "at", "local", "embedding"};
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", 0);
                    for (int i = 0; i < cols.length; i++) {
                        m.put(cols[i], values.get(i));
                    }
                    return Row.of(m);
                });
        return row.list().ofMaxSize(25).map(list -> {
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(list.get(i).with("id", i + 1));
            }
            return out;
        });
    }

    private static List<String> content(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select s::text from sample s order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Property(tries = 100)
    void everyPathWritesTheSameContent(@ForAll("rows") List<Row> rows, Db db) throws Exception {
        Map<BulkLoad.Path, List<String>> contents = new EnumMap<>(BulkLoad.Path.class);
        Connection c = db.handle().getConnection();
        for (BulkLoad.Path path : BulkLoad.Path.values()) {
            try (Statement s = c.createStatement()) {
                s.execute("savepoint bulk");
                assertThat(BulkLoad.load(c, "sample", rows, path)).as(path.name()).isEqualTo(rows.size());
                contents.put(path, content(c));
                s.execute("rollback to savepoint bulk");
            }
        }
        assertThat(contents.get(BulkLoad.Path.COPY_BINARY)).hasSize(rows.size());
        for (BulkLoad.Path path : BulkLoad.Path.values()) {
            assertThat(contents.get(path)).as(path + " against binary COPY").isEqualTo(contents.get(BulkLoad.Path.COPY_BINARY));
        }
    }
}

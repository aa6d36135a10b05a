package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = PgProp.server().createDatabase(MigrationSet.of("classpath:pgprop-test/tiny"), "DatasetTest");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void isImmutableAndKeepsTableOrder() {
        Dataset a = Dataset.empty().plus("widget", Row.of("id", 1, "label", "a"));
        Dataset b = a.plus("part", Row.of("id", 1, "widget_id", 1, "weight", 3)).plus("widget", Row.of("id", 2, "label", "b"));
        assertThat(a.rowCount()).isOne();
        assertThat(b.tables()).containsExactly("widget", "part");
        assertThat(b.rowCount("widget")).isEqualTo(2);
        assertThat(b.rows("nothing")).isEmpty();
        assertThat(b).isEqualTo(Dataset.of("widget", List.of(Row.of("id", 1, "label", "a"), Row.of("id", 2, "label", "b")))
                .plus("part", Row.of("id", 1, "widget_id", 1, "weight", 3)));
        assertThat(Row.of("id", 1, "label", "x").with("id", 2).columns()).containsExactly("id", "label");
        assertThatThrownBy(() -> Row.of("id")).hasMessageContaining("column/value pairs");
        assertThatThrownBy(() -> Row.of("id", 1, "id", 2)).hasMessageContaining("appears twice");
    }

    @Test
    void printsRunnableSqlThatLoadsTheSameValues() {
        String tricky = "it's a \\ back\nslash\t\"quoted\"";
        Dataset d = Dataset.empty()
                .plus("widget", Row.of("id", 1, "label", "plain", "owner", null))
                .plus("widget", Row.of("id", 2, "label", "ütf-8 ✓", "owner", tricky))
                .plus("part", Row.of("id", 10, "widget_id", 2, "weight", 7));
        String sql = d.toSql();
        assertThat(sql).startsWith("INSERT INTO widget (id, label, owner) VALUES (1, 'plain', NULL);");
        db.jdbi().useTransaction(h -> {
            h.createScript(sql).execute();
            assertThat(h.createQuery("select owner from widget where id = 2").mapTo(String.class).one()).isEqualTo(tricky);
            assertThat(h.createQuery("select label from widget where id = 2").mapTo(String.class).one()).isEqualTo("ütf-8 ✓");
            assertThat(h.createQuery("select weight from part where widget_id = 2").mapTo(Integer.class).one()).isEqualTo(7);
            h.rollback();
        });
    }

    @Test
    void writesJsonbVectorsAndOtherTypesAsLiteralsPostgresReadsBack() {
        db.jdbi().useTransaction(h -> {
            String json = dev.pgprop.dsl.internal.SqlLiterals.literal(Map.of("k", List.of(1, "two's", true)));
            assertThat(h.createQuery("select (" + json + ")->'k'->>1").mapTo(String.class).one()).isEqualTo("two's");
            String uuid = dev.pgprop.dsl.internal.SqlLiterals.literal(java.util.UUID.fromString("00000000-0000-0000-0000-00000000000a"));
            assertThat(h.createQuery("select " + uuid + "::text").mapTo(String.class).one()).endsWith("000a");
            String ts = dev.pgprop.dsl.internal.SqlLiterals.literal(java.time.Instant.parse("2024-01-02T03:04:05.123456Z"));
            assertThat(h.createQuery("select extract(microseconds from " + ts + ")::int").mapTo(Integer.class).one())
                    .isEqualTo(5_123_456);
            String nan = dev.pgprop.dsl.internal.SqlLiterals.literal(Double.NaN);
            assertThat(h.createQuery("select " + nan + "::text").mapTo(String.class).one()).isEqualTo("NaN");
            h.rollback();
        });
    }
}

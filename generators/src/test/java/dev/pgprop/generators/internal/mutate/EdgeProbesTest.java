package dev.pgprop.generators.internal.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The value an edge probe puts in a column takes its Java type from what was drawn for that column:
 * the probed row's own value, else any drawn row's, else the column's type (a nullable column may
 * be NULL in every row drawn, and its CHECK must still get its edges).
 */
class EdgeProbesTest {
    static TestDatabase db;
    static Table members;
    static Schema schema;

    @BeforeAll
    static void schema() {
        db = PgProp.server().createDatabase(MigrationSet.of("classpath:schemas/edge_types"), "EdgeProbesTest");
        schema = Schema.read(db);
        members = schema.table("members");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static Dataset rows(Row... rows) {
        return Dataset.empty().with("members", Arrays.asList(rows));
    }

    /** The probes whose label starts with {@code prefix}: label and the probed column's value in the first row. */
    static List<String> probes(List<Dataset> valid, String prefix, String column) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Dataset> e : EdgeProbes.of(schema, members, valid, d -> true).entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                Object v = e.getValue().rows("members").get(0).get(column);
                out.add(e.getKey() + " -> " + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
            }
        }
        return out;
    }

    @Test
    void aColumnNullInEveryDrawnRowGetsItsEdgesInTheColumnsType() {
        List<Dataset> valid = List.of(rows(Row.of("id", 1, "active", null, "score", null), Row.of("id", 2, "active", null, "score", null)));
        assertThat(probes(valid, "edge of members_active_flag", "active")).containsExactlyInAnyOrder(
                "edge of members_active_flag: active = 0 -> Integer 0", "edge of members_active_flag: active = 1 -> Integer 1",
                "edge of members_active_flag: active = -1 -> Integer -1", "edge of members_active_flag: active = 2 -> Integer 2");
        assertThat(probes(valid, "edge of members_score_cap", "score")).containsExactlyInAnyOrder(
                "edge of members_score_cap: score = 99 -> Long 99", "edge of members_score_cap: score = 100 -> Long 100",
                "edge of members_score_cap: score = 101 -> Long 101");
    }

    @Test
    void aValueDrawnInAnotherRowGivesTheType() {
        // no dataset's first row holds score, so the probe changes a row holding NULL; a later row
        // drew the column as a BigDecimal, which the probe follows (not the column's Long)
        List<Dataset> valid = List.of(rows(Row.of("id", 1, "active", null, "score", null),
                Row.of("id", 7, "active", null, "score", new java.math.BigDecimal("42"))));
        assertThat(probes(valid, "edge of members_score_cap: score = 101", "score"))
                .containsExactly("edge of members_score_cap: score = 101 -> BigDecimal 101");
    }

    @Test
    void theProbedRowsOwnValueGivesTheTypeFirst() {
        // the probe changes the first row that holds the column (the second dataset's); a row
        // scanned before it drew another type
        List<Dataset> valid = List.of(rows(Row.of("id", 1, "active", null, "score", null), Row.of("id", 2, "active", 1L, "score", 3L)),
                rows(Row.of("id", 7, "active", (short) 1, "score", 5)));
        assertThat(probes(valid, "edge of members_score_cap: score = 101", "score"))
                .containsExactly("edge of members_score_cap: score = 101 -> Integer 101");
        assertThat(probes(valid, "edge of members_active_flag: active = 2", "active"))
                .containsExactly("edge of members_active_flag: active = 2 -> Short 2");
    }
}

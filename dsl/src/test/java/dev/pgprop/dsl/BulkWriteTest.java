package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Tx#insertAll} and {@link Tx#updateAll}: counts, keys, and refused arguments. */
class BulkWriteTest {
    private static TryHarness h;

    @BeforeAll
    static void start() {
        h = new TryHarness("BulkWriteTest");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void insertAllInsertsEveryRowAndUpdateAllUpdatesByKey() throws Exception {
        int[] counts = new int[3];
        h.tryOnce(db -> db.scenario()
                .whenCommitted(tx -> {
                    counts[0] = tx.insertAll("widget", List.of(Row.of("id", 1, "label", "a", "owner", null),
                            Row.of("id", 2, "label", "b", "owner", "x"), Row.of("id", 3, "label", "c", "owner", null)));
                    counts[1] = tx.updateAll("widget", "id", List.of(Row.of("id", 3, "label", "C"),
                            Row.of("id", 1, "label", "A"), Row.of("id", 99, "label", "none")));
                    counts[2] = tx.insertAll("widget", List.of());
                })
                .then(scalar("select string_agg(label, ',' order by id) from widget").isEqualTo("A,b,C")));
        assertThat(counts).containsExactly(3, 2, 0);
    }

    @Test
    void aRefusedBatchIsClassifiedWithTheServersConstraint() throws Exception {
        h.tryOnce(db -> {
            ScenarioException e = org.assertj.core.api.Assertions.catchThrowableOfType(ScenarioException.class, () -> db.scenario()
                    .whenCommitted(tx -> tx.insertAll("widget", List.of(Row.of("id", 1, "label", "a"), Row.of("id", 1, "label", "b"))))
                    .run());
            assertThat(e.error().sqlState()).isEqualTo("23505");
            assertThat(e.error().constraint()).isEqualTo("widget_pkey");
            assertThat(e.error().table()).isEqualTo("widget");
        });
    }

    @Test
    void rowsWithDifferentColumnsOrNoKeyAreRefused() throws Exception {
        h.tryOnce(db -> db.scenario().whenRolledBack(tx -> {
            assertThatThrownBy(() -> tx.insertAll("widget", List.of(Row.of("id", 1, "label", "a"), Row.of("id", 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has columns [id]");
            assertThatThrownBy(() -> tx.updateAll("widget", "id", List.of(Row.of("label", "a"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the rows have no column id");
            assertThatThrownBy(() -> tx.updateAll("widget", "id", List.of(Row.of("id", 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the key");
        }).run());
    }
}

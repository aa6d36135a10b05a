package dev.pgprop.dsl;

import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.internal.engine.Loader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A dataset whose rows reference each other around a foreign-key cycle loads whatever order its
 * tables are named in: a nullable key that closes the cycle goes in as NULL and is set once its
 * parent is in (by the primary key, or by the row's own values when no key names it), and an
 * initially deferred key is checked at commit. A sequence whose column the dataset wrote moves
 * past the largest value written.
 */
class LoaderTest {
    static final TryHarness H = new TryHarness("Loader", MigrationSet.of("classpath:pgprop-test/loading"));

    /** Two stores, each managed by a staff member of the other store. */
    static final Dataset STORES = Dataset.empty()
            .with("store", List.of(Row.of("store_id", 1, "manager", 20), Row.of("store_id", 2, "manager", 10)))
            .with("staff", List.of(Row.of("staff_id", 10, "store_id", 1), Row.of("staff_id", 20, "store_id", 2)));

    @AfterAll
    static void close() {
        H.close();
    }

    @Test
    void aNullableKeyClosingTheCycleIsSetAfterItsParentIsIn() throws Exception {
        H.tryOnce(db -> db.given(STORES).then(
                scalar("select count(*) from store s join staff m on m.staff_id = s.manager and m.store_id <> s.store_id")
                        .isEqualTo(2L)));
    }

    @Test
    void theTablesMayBeNamedInEitherOrder() throws Exception {
        Dataset reversed = Dataset.empty().with("staff", STORES.rows("staff")).with("store", STORES.rows("store"));
        H.tryOnce(db -> db.given(reversed).then(scalar("select count(*) from store where manager is not null").isEqualTo(2L)));
    }

    @Test
    void aRowNoKeyNamesIsFoundByItsValues() throws Exception {
        // node has no primary key and its unique id is what the UPDATE could use; two nodes share a
        // label and both lack id, so only the row's values and its missing edge name it
        Dataset d = Dataset.empty()
                .with("node", List.of(Row.of("id", null, "label", "x", "edge_to", 7), Row.of("id", null, "label", "x", "edge_to", 8),
                        Row.of("id", 1, "label", "y", "edge_to", null)))
                .with("edge", List.of(Row.of("id", 7, "node_id", 1), Row.of("id", 8, "node_id", 1)));
        H.tryOnce(db -> db.given(d).then(scalar("select string_agg(edge_to::text, ',' order by edge_to) from node where label = 'x'")
                .isEqualTo("7,8")));
    }

    @Test
    void anInitiallyDeferredKeyIsLeftToTheCommit() throws Exception {
        Dataset d = Dataset.empty()
                .with("husband", List.of(Row.of("id", 1, "wife_id", 5)))
                .with("wife", List.of(Row.of("id", 5, "husband_id", 1)));
        assertThat(Loader.sql(H.cls.catalog(), d)).doesNotContain("UPDATE");
        H.tryOnce(db -> db.given(d).then(scalar("select count(*) from husband h join wife w on w.id = h.wife_id").isEqualTo(1L)));
    }

    @Test
    void theMinimalSqlOfAFailureReplaysTheCycle() throws Exception {
        String sql = Loader.printSql(H.cls.catalog(), STORES);
        assertThat(sql).containsSubsequence("INSERT INTO store (store_id, manager) VALUES (1, NULL);",
                "INSERT INTO staff", "UPDATE store SET manager = 20 WHERE store_id = 1;");
        H.tryOnce(db -> {
            try (var s = db.handle().getConnection().createStatement()) {
                s.execute(sql);
            }
            assertThat(db.rows("select count(*) from store where manager is not null").get(0).get("count")).isEqualTo(2L);
        });
    }

    @Test
    void aKeyToAMissingParentStillFailsAndNamesTheRow() throws Exception {
        Dataset d = STORES.with("store", List.of(Row.of("store_id", 1, "manager", 20), Row.of("store_id", 2, "manager", 99)));
        assertThatThrownBy(() -> H.tryOnce(db -> db.given(d).then(scalar("select 1").isEqualTo(1))))
                .isInstanceOf(DatasetLoadException.class)
                .hasMessageContaining("store")
                .hasMessageContaining("99");
        H.tryOnce(db -> db.given(Dataset.empty()).then(scalar("select count(*) from store").isEqualTo(0L)));
    }

    @Test
    void rowsThatListTheSameColumnsInAnotherOrderLoadAsWritten() throws Exception {
        // one multi-row INSERT takes both rows: each row's values must follow the statement's column list
        Dataset d = Dataset.empty().with("ticket", List.of(Row.of("id", 1, "note", "a"), Row.of("note", "b", "id", 2)));
        H.tryOnce(db -> db.given(d).then(scalar("select string_agg(id || note, ',' order by id) from ticket").isEqualTo("1a,2b")));
    }

    @Test
    void aSequenceMovesPastTheKeysADatasetWrote() throws Exception {
        Dataset d = Dataset.empty()
                .with("ticket", List.of(Row.of("id", 1, "note", "a"), Row.of("id", 5, "note", "b")))
                .with("badge", List.of(Row.of("id", 250, "name", "x")));
        H.tryOnce(db -> db.given(d)
                .whenCommitted(tx -> {
                    tx.execute("insert into ticket (note) values ('c')");
                    tx.execute("insert into badge (name) values ('y')");
                })
                .then(scalar("select max(id) from ticket").isEqualTo(6), scalar("select max(id) from badge").isEqualTo(251L)));
        // the next try starts from the sequences' template values again
        H.tryOnce(db -> db.scenario().whenCommitted(tx -> tx.execute("insert into badge (name) values ('z')"))
                .then(scalar("select id from badge").isEqualTo(100L)));
    }

    @Test
    void aSequenceAheadOfTheDatasetIsLeftAlone() throws Exception {
        Dataset d = Dataset.empty().with("badge", List.of(Row.of("id", 3, "name", "x")));
        H.tryOnce(db -> db.given(d).whenCommitted(tx -> tx.execute("insert into badge (name) values ('y')"))
                .then(scalar("select max(id) from badge").isEqualTo(100L)));
    }

    @Test
    void rowsThatLeaveTheKeyToTheSequenceLoadBesideRowsThatWriteIt() throws Exception {
        Dataset d = Dataset.empty().with("ticket", List.of(Row.of("note", "filled"), Row.of("id", 9, "note", "written")));
        H.tryOnce(db -> db.given(d).whenCommitted(tx -> tx.execute("insert into ticket (note) values ('after')"))
                .then(scalar("select string_agg(id || note, ',' order by id) from ticket").isEqualTo("1filled,9written,10after")));
    }

    @Test
    void keysBelowTheSequenceStartLeaveItAlone() throws Exception {
        // setval would refuse 0 and negative values (below the sequence's minimum)
        Dataset d = Dataset.empty().with("ticket", List.of(Row.of("id", 0, "note", "zero"), Row.of("id", -5, "note", "neg")));
        H.tryOnce(db -> db.given(d).whenCommitted(tx -> tx.execute("insert into ticket (note) values ('after')"))
                .then(scalar("select id from ticket where note = 'after'").isEqualTo(1)));
    }

    @Test
    void aKeyAtTheSequenceMaximumLeavesItAlone() throws Exception {
        // moving there would exhaust the sequence for every later insert of the try
        Dataset d = Dataset.empty().with("ticket", List.of(Row.of("id", Integer.MAX_VALUE, "note", "max")));
        H.tryOnce(db -> db.given(d).whenCommitted(tx -> tx.execute("insert into ticket (note) values ('after')"))
                .then(scalar("select id from ticket where note = 'after'").isEqualTo(1)));
    }
}

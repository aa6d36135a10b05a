package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Per property, a try starts in the mode its previous try ended in; another property starts afresh. */
class TryMemoryTest {
    static final List<String> COMMITS = new CopyOnWriteArrayList<>();
    static final List<String> ROLLS = new CopyOnWriteArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class Memory {
        @Property(tries = 5, generation = GenerationMode.RANDOMIZED)
        void commits(@ForAll @IntRange(min = 1, max = 9) int id, Db db) {
            db.handle();
            COMMITS.add(db.isolationInUse());
            assertThat(db.rows("select count(*) as n from widget")).containsExactly(Row.of("n", 0L));
            db.given(Dataset.empty().plus("widget", Row.of("id", id, "label", "w")))
                    .whenCommitted(tx -> tx.execute("insert into widget (id, label) values (100, 'c')")).run();
        }

        @Property(tries = 3, generation = GenerationMode.RANDOMIZED)
        void rollsBack(@ForAll @IntRange(min = 1, max = 9) int id, Db db) {
            db.handle();
            ROLLS.add(db.isolationInUse());
            assertThat(db.rows("select count(*) as n from widget")).containsExactly(Row.of("n", 0L));
        }
    }

    @Test
    void laterTriesOfACommittingPropertyStartInDelete() {
        Jqwik.run(Memory.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(COMMITS).containsExactly("ROLLBACK", "DELETE", "DELETE", "DELETE", "DELETE");
        assertThat(ROLLS).containsExactly("ROLLBACK", "ROLLBACK", "ROLLBACK");
    }
}

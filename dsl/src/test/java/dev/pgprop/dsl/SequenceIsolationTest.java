package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.engine.EngineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every isolation strategy puts sequences back between tries, so a try (and every shrink step,
 * which is a try) draws the same sequence values whatever the strategy; {@code noTrace()} prints
 * a sequence advance apart from its verdict.
 */
class SequenceIsolationTest {
    static final MigrationSet KINDS = MigrationSet.of("classpath:pgprop-test/kinds");

    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"ROLLBACK", "DELETE", "TEMPLATE"})
    void everyTryDrawsTheSameSequenceValues(Isolation isolation) throws Exception {
        try (TryHarness h = new TryHarness("Seq" + isolation, KINDS, isolation, new EngineConfig(isolation, "30s", "10s", false))) {
            List<Object> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                h.tryOnce(db -> first.add(db.rows("insert into ticket (note) values ('a'), ('b') returning id").get(0).get("id")));
            }
            assertThat(first).as("the first id of each try under " + isolation).containsExactly(1L, 1L, 1L);
        }
    }

    @Test
    void noTracePrintsASequenceAdvanceThatIsNoViolation() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try (TryHarness h = new TryHarness("SeqNoTrace", KINDS)) {
            h.tryOnce(db -> db.given(Dataset.empty())
                    .whenRolledBack(tx -> tx.execute("insert into ticket (note) values ('gone')"))
                    .then(Invariants.noTrace()));
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        original.print(printed);
        assertThat(printed).contains("noTrace: sequences advanced").contains("public.ticket_id_seq");
    }
}

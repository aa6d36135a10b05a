package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A migration that fails is a configuration error: thrown before any try, once per migration
 * set, never shrunk, no minimal dataset, no replay, no failure file; its message says how to see
 * Flyway's detail through pgprop.
 */
class MigrationFailureTest {
    static final AtomicInteger TRIES = new AtomicInteger();

    @PgProperties(migrations = "classpath:pgprop-test/broken")
    static class OnABrokenSchema {
        @Provide
        Arbitrary<Dataset> rows() {
            return Arbitraries.integers().between(1, 100).list().uniqueElements().ofMaxSize(6)
                    .map(ids -> Dataset.of("fine", ids.stream().map(id -> Row.of("id", id)).toList()));
        }

        @Property(tries = 30)
        void first(@ForAll("rows") Dataset data, Db db) {
            TRIES.incrementAndGet();
            db.given(data);
        }

        @Property(tries = 30)
        void second(@ForAll("rows") Dataset data, Db db) {
            TRIES.incrementAndGet();
            db.given(data);
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty("pgprop.outputDir");
        System.clearProperty("pgprop.flywayDebug");
    }

    @Test
    void aFailingMigrationIsRaisedOnceBeforeAnyTryAndNeverShrunk() throws Exception {
        Path outputDir = Files.createTempDirectory("pgprop-migration-failure");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        TRIES.set(0);
        StringBuilder printed = new StringBuilder();
        List<Throwable> failures = Jqwik.runCapturing(OnABrokenSchema.class, printed);

        assertThat(failures).hasSize(2).allSatisfy(t -> assertThat(t).isInstanceOf(MigrationException.class));
        assertThat(failures.get(1)).as("the migration ran once: the second property meets the same failure")
                .isSameAs(failures.get(0));
        assertThat(TRIES.get()).as("tries that ran").isZero();
        String message = failures.get(0).getMessage();
        assertThat(message).contains("no_such_table").contains("-Dpgprop.flywayDebug=true")
                .contains("configuration error").doesNotContain("-X");
        assertThat(printed).doesNotContain("minimal dataset").doesNotContain("replay:");
        assertThat(outputDir.resolve("failures")).doesNotExist();
        assertThat(Files.readAllLines(outputDir.resolve("results.jsonl"))).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("\"status\":\"configuration-error\"").contains("\"tries\":0")
                        .contains("\"invariant\":\"(configuration error)\"").contains("\"replayCommand\":null"));
    }

    @Test
    void flywayDebugShowsTheFailingStatement() throws Exception {
        System.setProperty("pgprop.outputDir", Files.createTempDirectory("pgprop-migration-debug").toString());
        System.setProperty("pgprop.flywayDebug", "true");
        List<Throwable> failures = Jqwik.runCapturing(OnABrokenSchema.class, new StringBuilder());
        assertThat(failures).isNotEmpty();
        assertThat(failures.get(0).getMessage()).contains("create table broken").doesNotContain("-X");
    }
}

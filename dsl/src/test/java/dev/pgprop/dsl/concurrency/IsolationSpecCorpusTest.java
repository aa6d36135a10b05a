package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus under src/test/resources/isolation: each spec's output equals its expected .out
 * exactly (expected files checked by hand; they are also what PostgreSQL 15's own isolationtester
 * prints for these specs). -Dpgprop.isolation.repeat=N runs each N times.
 */
class IsolationSpecCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/isolation");
    private static TestDatabase database;

    @BeforeAll
    static void start() {
        database = PgProp.server().createDatabase(MigrationSet.of("classpath:pgprop-test/tiny"), "isolation_corpus");
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    static Stream<String> specs() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".spec")).sorted().toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(8);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void outputEqualsTheExpectedFile(String file) throws IOException {
        IsolationSpec spec = IsolationSpec.load(CORPUS.resolve(file));
        String expected = Files.readString(CORPUS.resolve("expected").resolve(spec.name() + ".out"));
        int repeat = Integer.getInteger("pgprop.isolation.repeat", 1);
        for (int i = 0; i < repeat; i++) {
            IsolationRun run = spec.run(database);
            assertThat(run.output()).as("run %d of %s; %s", i + 1, file, run.firstDifference(expected).orElse(""))
                    .isEqualTo(expected);
        }
    }
}

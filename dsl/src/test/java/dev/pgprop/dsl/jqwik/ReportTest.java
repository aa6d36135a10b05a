package dev.pgprop.dsl.jqwik;

import static dev.pgprop.dsl.Invariants.noRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * A failing property prints the report (invariant, violating rows, minimal SQL, seed, replay
 * command), writes its files and a results line; its replay runs exactly one try and fails the
 * same way.
 */
class ReportTest {
    static final List<String> TRIES = new ArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class HeavyParts {
        @Provide
        Arbitrary<Dataset> parts() {
            return Arbitraries.integers().between(1, 100).list().ofMinSize(1).ofMaxSize(8).map(weights -> {
                Dataset d = Dataset.empty().plus("widget", Row.of("id", 1, "label", "w"));
                for (int i = 0; i < weights.size(); i++) {
                    d = d.plus("part", Row.of("id", i + 1, "widget_id", 1, "weight", weights.get(i)));
                }
                return d;
            });
        }

        @Property(tries = 100)
        void noHeavyParts(@ForAll("parts") Dataset data, @ForAll @IntRange(min = 0, max = 3) int extra, Db db) {
            TRIES.add(data.rowCount() + "/" + extra);
            db.given(data).then(noRows("select id, weight from part where weight > 50"));
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty("pgprop.replay");
        System.clearProperty("pgprop.outputDir");
    }

    private static String runCapturing(Class<?> type, List<Throwable> failures) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Jqwik.run(type).testEvents().failed().list().forEach(e -> e.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable).map(Jqwik::violation).ifPresent(failures::add));
        } finally {
            System.setOut(original);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        original.print(s);
        return s;
    }

    @Test
    void aFailureIsReportedStoredAndReplayedInExactlyOneTry() throws Exception {
        Path outputDir = Files.createTempDirectory("pgprop-report-test");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        TRIES.clear();
        List<Throwable> failures = new ArrayList<>();
        String printed = runCapturing(HeavyParts.class, failures);

        assertThat(failures).singleElement().isInstanceOf(InvariantViolationException.class);
        assertThat(printed).contains("pgprop: ReportTest$HeavyParts.noHeavyParts failed")
                .contains("invariant:   noRows(select id, weight from part where weight > 50)")
                .contains("violating rows")
                .contains("seed:        ")
                .contains("minimal dataset (2 rows)");
        // shrunk to the smallest failing case: one widget and one part of weight 51, and extra = 0
        assertThat(printed).contains("INSERT INTO widget (id, label) VALUES ('1'::int, 'w');".replace("'1'::int", "1"))
                .contains("INSERT INTO part (id, widget_id, weight) VALUES (1, 1, 51);");
        Path sql = outputDir.resolve("failures/ReportTest$HeavyParts.noHeavyParts.sql");
        Path json = outputDir.resolve("failures/ReportTest$HeavyParts.noHeavyParts.json");
        assertThat(sql).exists();
        assertThat(json).exists();
        assertThat(Files.readString(sql)).startsWith("-- pgprop: minimal dataset").contains("BEGIN;").endsWith("COMMIT;\n");

        // the SQL is runnable and reproduces the violation on a fresh database
        try (TestDatabase fresh = PgProp.server().createDatabase(dev.pgprop.dsl.MigrationSet.of("classpath:pgprop-test/tiny"), "ReplaySql");
             var c = fresh.openConnection(); var s = c.createStatement()) {
            s.execute(Files.readString(sql));
            var rs = s.executeQuery("select count(*) from part where weight > 50");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }

        List<String> results = Files.readAllLines(outputDir.resolve("results.jsonl"));
        assertThat(results).singleElement().satisfies(l -> assertThat(l)
                .contains("\"status\":\"failed\"").contains("\"method\":\"noHeavyParts\"")
                .contains("\"invariant\":\"noRows(select id, weight from part where weight > 50)\"")
                .contains("\"minimalDatasetRows\":2").contains("\"replayCommand\":\"mvn -pl dsl -am test"));

        Matcher m = Pattern.compile("replay:\\s+(mvn .*)").matcher(printed);
        assertThat(m.find()).isTrue();
        String command = m.group(1);
        assertThat(command).contains("-Dtest='ReportTest$HeavyParts#noHeavyParts'")
                .contains("-Dsurefire.failIfNoSpecifiedTests=false").contains(" -am ");
        Matcher inline = Pattern.compile("-Dpgprop.replay=(\\S+)").matcher(command);
        assertThat(inline.find()).isTrue();

        // replay, as the command would: exactly one try, the same failure
        TRIES.clear();
        System.setProperty("pgprop.replay", inline.group(1));
        List<Throwable> replayFailures = new ArrayList<>();
        String replayed = runCapturing(HeavyParts.class, replayFailures);
        assertThat(TRIES).containsExactly("2/0");
        assertThat(replayFailures).singleElement().isInstanceOf(InvariantViolationException.class);
        assertThat(((InvariantViolationException) replayFailures.get(0)).violations().get(0).rows())
                .isEqualTo(((InvariantViolationException) failures.get(0)).violations().get(0).rows());
        assertThat(replayed).contains("failed (replay)");

        // and from the .json file too
        TRIES.clear();
        System.setProperty("pgprop.replay", json.toString());
        runCapturing(HeavyParts.class, new ArrayList<>());
        assertThat(TRIES).containsExactly("2/0");
    }
}

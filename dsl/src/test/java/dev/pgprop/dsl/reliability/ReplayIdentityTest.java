package dev.pgprop.dsl.reliability;

import static dev.pgprop.dsl.Invariants.noRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.report.HtmlReport;
import dev.pgprop.dsl.jqwik.Jqwik;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * A replay runs the stored sample of exactly the property that stored it, or nothing: a sample of
 * another property, or of this one before its parameters or generators changed, fails at once
 * naming what was expected and what was stored; a replay that passes says so in its output,
 * {@code results.jsonl} and the report.
 */
class ReplayIdentityTest {
    static volatile boolean broken = true;
    static final List<String> TRIES = new ArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class TwoProperties {
        @Property(tries = 20)
        void heavy(@ForAll @IntRange(min = 1, max = 80) int weight, Db db) {
            TRIES.add("heavy " + weight);
            db.given(Dataset.of("widget", List.of(Row.of("id", 1, "label", "w")))
                    .plus("part", Row.of("id", 1, "widget_id", 1, "weight", weight)))
                    .then(noRows("select id from part where weight > " + (broken ? 50 : 100)));
        }

        @Property(tries = 20)
        void light(@ForAll @IntRange(min = 1, max = 80) int weight, Db db) {
            TRIES.add("light " + weight);
            db.given(Dataset.of("widget", List.of(Row.of("id", 1, "label", "w")))).then(noRows("select 1 where false"));
        }
    }

    Path outputDir;

    @BeforeEach
    void output() throws Exception {
        outputDir = Files.createTempDirectory("pgprop-replay-identity");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        broken = true;
        TRIES.clear();
    }

    @AfterEach
    void clear() {
        System.clearProperty("pgprop.outputDir");
        System.clearProperty("pgprop.replay");
    }

    private static List<Throwable> run(StringBuilder printed) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Jqwik.run(TwoProperties.class).testEvents().failed().list().stream()
                    .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow())
                    .toList();
        } finally {
            System.setOut(original);
            printed.append(out.toString(StandardCharsets.UTF_8));
            original.print(printed);
        }
    }

    private Path storedSample() {
        run(new StringBuilder());
        Path json = outputDir.resolve("failures/ReplayIdentityTest$TwoProperties.heavy.json");
        assertThat(json).exists();
        return json;
    }

    @Test
    void aSampleOfAnotherPropertyReplaysNothingAndSaysWhose() throws Exception {
        System.setProperty("pgprop.replay", storedSample().toString());
        TRIES.clear();
        StringBuilder printed = new StringBuilder();
        List<Throwable> failures = run(printed);
        assertThat(TRIES).as("only the stored property ran, once").singleElement().asString().startsWith("heavy ");
        assertThat(failures).anySatisfy(t -> assertThat(t).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(Seen.REPLAY_OTHER_PROPERTY)
                .hasMessageContaining("but this run selected " + TwoProperties.class.getName() + "#light"));
    }

    @Test
    void aSampleStoredBeforeTheGeneratorsChangedFailsNamingExpectedAndStored() throws Exception {
        Path json = storedSample();
        String changed = Files.readString(json).replace("max=80", "max=90");
        assertThat(changed).isNotEqualTo(Files.readString(json));
        Files.writeString(json, changed);
        System.setProperty("pgprop.replay", json.toString());
        TRIES.clear();
        StringBuilder printed = new StringBuilder();
        List<Throwable> failures = run(printed);
        assertThat(TRIES).as("no try ran").noneMatch(t -> t.startsWith("heavy"));
        assertThat(failures).anySatisfy(t -> assertThat(t).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(Seen.REPLAY_STALE)
                .hasMessageContaining("parameter 1: expected @net.jqwik.api.ForAll(")
                .hasMessageContaining("max=80").hasMessageContaining("max=90"));
        assertThat(printed).contains("pgprop: configuration error");
    }

    @Test
    void aReplayThatPassesSaysReplayInItsOutputResultsAndReport() throws Exception {
        System.setProperty("pgprop.replay", storedSample().toString());
        broken = false;
        StringBuilder printed = new StringBuilder();
        run(printed);
        assertThat(printed).contains("pgprop: ReplayIdentityTest$TwoProperties.heavy passed (replay)");
        List<String> lines = Files.readAllLines(outputDir.resolve("results.jsonl"));
        assertThat(lines.get(lines.size() - 2) + lines.get(lines.size() - 1)).contains("\"method\":\"heavy\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"method\":\"heavy\"").contains("\"status\":\"successful\"")
                .contains("\"replay\":true"));
        HtmlReport.write(outputDir, null);
        assertThat(Files.readString(outputDir.resolve("report/index.html"))).contains("<span class=\"tag\">replay</span>");
    }
}

package dev.pgprop.dsl.jqwik;

import static dev.pgprop.dsl.Invariants.noRows;
import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.SqlPrintable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a failed property ends: an assertion failure (the violation its cause), the real failure
 * never hidden by a value the report cannot print, non-dataset samples printed as SQL without
 * the injected Db, and failure files removed once the property passes.
 */
class FailureOutcomeTest {
    static volatile boolean broken = true;

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class SometimesBroken {
        @Property(tries = 5)
        void atMostOneWidget(@ForAll @IntRange(min = 1, max = 5) int n, Db db) {
            Dataset d = Dataset.empty();
            for (int i = 1; i <= (broken ? n + 1 : 1); i++) {
                d = d.plus("widget", Row.of("id", i, "label", "w" + i));
            }
            db.given(d).then(scalar("select count(*) from widget").isAtMost(1));
        }
    }

    /** A sample value that prints itself as SQL, as the vector workload of the generators does. */
    record Queries(List<String> labels) implements SqlPrintable {
        @Override
        public String toSql() {
            return "CREATE TEMP TABLE queries (label text);\nINSERT INTO queries VALUES "
                    + String.join(", ", labels.stream().map(l -> "('" + l + "')").toList()) + ";\n";
        }

        @Override
        public String toString() {
            return "Queries[" + labels.size() + " labels]";
        }
    }

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class UnprintableSample {
        @Provide
        Arbitrary<Dataset> owners() {
            // a StringBuilder: no SQL literal exists for it, and the report must still show the real failure
            return Arbitraries.integers().between(1, 3).map(n -> Dataset.of("widget",
                    List.of(Row.of("id", n, "label", "w", "owner", new StringBuilder("sb")))));
        }

        @Property(tries = 3)
        void failsForItsOwnReason(@ForAll("owners") Dataset data, @ForAll @IntRange(min = 2, max = 4) int k, Db db) {
            db.given(Dataset.of("widget", List.of(Row.of("id", 1, "label", "w"))))
                    .then(noRows("select id from widget where " + k + " > 1"));
            throw new IllegalStateException("never reached");
        }

        @Property(tries = 3)
        void printsItsSampleAsSql(@ForAll("queries") Queries q, @ForAll @IntRange(min = 2, max = 4) int k, Db db) {
            db.given(Dataset.empty()).then(noRows("select 1 where " + k + " > 1"));
        }

        @Provide
        Arbitrary<Queries> queries() {
            return Arbitraries.of("red", "blue").list().ofMinSize(1).ofMaxSize(2).map(Queries::new);
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty("pgprop.outputDir");
        broken = true;
    }

    @Test
    void aViolationIsAnAssertionFailureWhoseCauseIsThePgPropException() throws Exception {
        System.setProperty("pgprop.outputDir", Files.createTempDirectory("pgprop-outcome").toString());
        List<Throwable> failures = Jqwik.runCapturing(SometimesBroken.class, new StringBuilder());
        // Surefire counts an AssertionError as a failure, anything else as an error
        assertThat(failures).singleElement().isInstanceOf(AssertionError.class)
                .satisfies(t -> assertThat(t.getCause()).isInstanceOf(InvariantViolationException.class)
                        .isInstanceOf(PgPropException.class))
                .satisfies(t -> assertThat(t.getMessage()).isEqualTo(t.getCause().getMessage()));
    }

    @Test
    void aPassingPropertyRemovesItsStaleFailureFiles() throws Exception {
        Path outputDir = Files.createTempDirectory("pgprop-stale");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        Path sql = outputDir.resolve("failures/FailureOutcomeTest$SometimesBroken.atMostOneWidget.sql");
        Path json = outputDir.resolve("failures/FailureOutcomeTest$SometimesBroken.atMostOneWidget.json");
        Jqwik.runCapturing(SometimesBroken.class, new StringBuilder());
        assertThat(sql).exists();
        assertThat(json).exists();
        broken = false;
        assertThat(Jqwik.runCapturing(SometimesBroken.class, new StringBuilder())).isEmpty();
        assertThat(sql).doesNotExist();
        assertThat(json).doesNotExist();
    }

    @Test
    void aValueTheReportCannotWriteAsSqlNeverHidesTheRealFailure() throws Exception {
        Path outputDir = Files.createTempDirectory("pgprop-unprintable");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        StringBuilder printed = new StringBuilder();
        List<Throwable> failures = Jqwik.runCapturing(UnprintableSample.class, printed);
        assertThat(failures).hasSize(2).allSatisfy(t -> assertThat(Jqwik.violation(t)).isInstanceOf(InvariantViolationException.class));
        assertThat(printed).contains("pgprop: FailureOutcomeTest$UnprintableSample.failsForItsOwnReason failed")
                .contains("invariant:   noRows(select id from widget where 2 > 1)");
    }

    @Test
    void aSampleThatIsNoDatasetPrintsAsSqlWithoutTheInjectedDb() throws Exception {
        Path outputDir = Files.createTempDirectory("pgprop-printable");
        System.setProperty("pgprop.outputDir", outputDir.toString());
        StringBuilder printed = new StringBuilder();
        Jqwik.runCapturing(UnprintableSample.class, printed);
        String block = printed.substring(printed.indexOf("printsItsSampleAsSql failed"));
        block = block.substring(0, block.indexOf("══════", 10));
        assertThat(block).contains("CREATE TEMP TABLE queries (label text);").contains("INSERT INTO queries VALUES ('")
                .contains("CREATE TEMP TABLE pgprop_parameters AS SELECT 2 AS k;")
                .doesNotContain("Queries[").doesNotContain("Db@").doesNotContain("dev.pgprop.dsl.Db");
        assertThat(Files.readString(outputDir.resolve("failures/FailureOutcomeTest$UnprintableSample.printsItsSampleAsSql.sql")))
                .contains("CREATE TEMP TABLE queries").contains("AS k;");
    }
}

package dev.pgprop.dsl.jqwik;

import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Every shrink step is a fresh try with a clean database: a committing property that fails when
 * it loads 3 or more widgets shrinks to exactly 3, and no step saw an earlier step's rows.
 */
class ShrinkingTest {
    static final List<Long> SEEN = new ArrayList<>();
    static final List<Integer> FAILING_SIZES = new ArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class AtMostTwoWidgets {
        @Provide
        Arbitrary<Dataset> widgets() {
            return Arbitraries.integers().between(1, 1000).list().uniqueElements().ofMaxSize(12).map(ids -> {
                Dataset d = Dataset.empty();
                for (int id : ids) {
                    d = d.plus("widget", Row.of("id", id, "label", "w" + id));
                }
                return d;
            });
        }

        @Property(tries = 200)
        void neverMoreThanTwo(@ForAll("widgets") Dataset data, Db db) {
            SEEN.add((Long) db.rows("select count(*) as n from widget").get(0).get("n"));
            try {
                db.given(data)
                        .whenCommitted(tx -> tx.execute("update widget set label = upper(label)"))
                        .then(scalar("select count(*) from widget").isAtMost(2));
            } catch (InvariantViolationException e) {
                FAILING_SIZES.add(data.rowCount());
                throw e;
            }
        }
    }

    @Test
    void shrinksToTheMinimalFailingDatasetWithACleanStateEveryStep() {
        EngineExecutionResults r = Jqwik.run(AtMostTwoWidgets.class);
        r.testEvents().assertStatistics(s -> s.failed(1));
        Event failed = r.testEvents().failed().list().get(0);
        Optional<Throwable> thrown = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable);
        // an assertion failure for the engine (Surefire counts a failure, not an error), the violation its cause
        assertThat(thrown).get().isInstanceOf(AssertionError.class);
        assertThat(thrown.get().getCause()).isInstanceOf(InvariantViolationException.class);
        assertThat(SEEN).as("rows each try and shrink step saw at its start").containsOnly(0L);
        assertThat(FAILING_SIZES).as("some shrink steps ran").hasSizeGreaterThan(1);
        // the last failing try is the shrunk sample: exactly 3 widgets, the least that breaks "at most 2"
        assertThat(FAILING_SIZES.get(FAILING_SIZES.size() - 1)).isEqualTo(3);
    }
}

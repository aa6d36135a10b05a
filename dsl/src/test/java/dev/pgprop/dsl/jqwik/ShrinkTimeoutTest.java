package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;

/**
 * jqwik shrinks on a thread of its own and, when the shrinking time bound is reached, reports the
 * best sample so far while that thread keeps shrinking in the background. Its tries must not run
 * after the property has ended: they would use the class's database alongside the next
 * property's tries, or a database opened afresh after the class has ended.
 */
class ShrinkTimeoutTest {
    static final AtomicInteger TRIES = new AtomicInteger();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class SlowShrink {
        @Provide
        Arbitrary<Integer> large() {
            return Arbitraries.integers().between(0, 1_000_000).withDistribution(RandomDistribution.uniform());
        }

        /** Fails for n >= 10; each try takes 250 ms, so shrinking from about a million takes far longer than 1 s. */
        @Property(tries = 1, seed = "42", generation = GenerationMode.RANDOMIZED, edgeCases = EdgeCasesMode.NONE)
        void failsSlowly(@ForAll("large") int n, Db db) throws InterruptedException {
            TRIES.incrementAndGet();
            assertThat(db.rows("select count(*) as n from widget")).containsExactly(Row.of("n", 0L));
            Thread.sleep(250);
            assertThat(n).isLessThan(10);
        }
    }

    @Test
    void noTryRunsAfterItsPropertyEndedOnTheShrinkingTimeBound() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger shrinker = Logger.getLogger("net.jqwik.engine.properties.shrinking.PropertyShrinker");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        shrinker.addHandler(handler);
        try {
            // a failure database of its own: a sample remembered from an earlier run would be tried first and not shrunk
            Path database = Files.createTempDirectory(Path.of("target"), "shrink-timeout-").resolve("jqwik-database");
            Jqwik.run(SlowShrink.class, Map.of("jqwik.shrinking.bounded.seconds", "1", "jqwik.database", database.toString()))
                    .testEvents()
                    .assertStatistics(s -> s.failed(1));
        } finally {
            shrinker.removeHandler(handler);
        }
        // the bound cut the shrinking short
        assertThat(warnings).anyMatch(w -> w.contains("Shrinking timeout reached"));
        int atEnd = TRIES.get();
        assertThat(atEnd).isGreaterThan(2);
        Thread.sleep(2_000); // the shrinking thread would run about 8 more tries in this time
        assertThat(TRIES.get()).as("tries run after the property ended").isEqualTo(atEnd);
    }
}

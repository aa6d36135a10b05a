package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The mutation analysis of the 15-table film rental schema of the corpus, every operator, the
 * schema check alone, default settings: wall time, mutants per minute, and where the time goes
 * (cloning and DDL, drawing the datasets once, loading them into mutants). Runs only with
 * {@code -Pbench}; prints figures, asserts counts, never times.
 */
class MutationBenchmark {
    @Test
    void fifteenTablesEveryOperator() {
        MutationResult r = MutationAnalysis.of(Corpus.migrations("film_rental")).withOutputDir(Path.of("target/pgprop/bench-mutation")).run();
        assertThat(r.mutants()).hasSizeGreaterThan(150);
        assertThat(r.count(MutantStatus.KILLED)).isGreaterThan(r.mutants().size() / 2);
        double busy = r.cloneSeconds() + r.generationSeconds() + r.checkSeconds();
        System.out.printf(Locale.ROOT, "BENCH mutation film_rental (15 tables): %d mutants (%d killed, %d survived, %d equivalent, %d broken,"
                        + " %d timeout), score %.3f, %.1f s wall, %.1f mutants per minute; time shares (summed over workers): cloning and DDL"
                        + " %.0f %% (%.1f s), generation %.0f %% (%.1f s, once), checks %.0f %% (%.1f s)%n", r.mutants().size(),
                r.count(MutantStatus.KILLED), r.count(MutantStatus.SURVIVED), r.count(MutantStatus.EQUIVALENT), r.count(MutantStatus.BROKEN),
                r.count(MutantStatus.TIMEOUT), r.score(), r.seconds(), r.mutantsPerMinute(), 100 * r.cloneSeconds() / busy, r.cloneSeconds(),
                100 * r.generationSeconds() / busy, r.generationSeconds(), 100 * r.checkSeconds() / busy, r.checkSeconds());
    }
}

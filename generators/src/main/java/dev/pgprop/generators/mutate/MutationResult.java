package dev.pgprop.generators.mutate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a {@link MutationAnalysis}: every mutant with its status, and the score.
 *
 * <pre>{@code
 * MutationResult r = analysis.run();
 * System.out.printf("%.1f %% killed%n", 100 * r.score());
 * r.survivors().forEach(s -> System.out.println(s.mutant().id() + ": " + s.mutant().ddl()));
 * }</pre>
 *
 * @param mutants one outcome per mutant, in the order of {@link MutationAnalysis#mutants()}
 * @param csv the {@code mutants.csv} written
 * @param seconds the wall time of the run
 * @param cloneSeconds time spent cloning databases and applying DDL (summed over workers)
 * @param generationSeconds time spent drawing the datasets (once, before the mutants)
 * @param checkSeconds time spent loading datasets into mutants (summed over workers)
 */
public record MutationResult(List<Outcome> mutants, Path csv, double seconds, double cloneSeconds, double generationSeconds,
                             double checkSeconds) {
    public MutationResult {
        mutants = List.copyOf(mutants);
    }

    /**
     * One mutant's outcome.
     *
     * @param killedBy the check (or property) that killed it; empty otherwise
     * @param minimalRows rows of the minimal dataset that kills it; -1 when none
     * @param minimalSql the file with the minimal dataset as SQL, when killed by a dataset
     * @param replay the command that replays the kill in one try
     * @param note why it is equivalent, broken or undecided, or what else is worth knowing
     */
    public record Outcome(Mutant mutant, MutantStatus status, String killedBy, int minimalRows, @Nullable Path minimalSql, String replay,
                          double seconds, String note) {
        public Optional<Path> minimalSqlFile() {
            return Optional.ofNullable(minimalSql);
        }
    }

    public long count(MutantStatus s) {
        return mutants.stream().filter(m -> m.status() == s).count();
    }

    /** killed / (all − equivalent − broken); NaN when nothing counts. */
    public double score() {
        long counted = mutants.size() - count(MutantStatus.EQUIVALENT) - count(MutantStatus.BROKEN);
        return counted == 0 ? Double.NaN : count(MutantStatus.KILLED) / (double) counted;
    }

    public List<Outcome> survivors() {
        return mutants.stream().filter(m -> m.status() == MutantStatus.SURVIVED).toList();
    }

    /** The outcome of the mutant of this id. */
    public Outcome outcome(String id) {
        return mutants.stream().filter(m -> m.mutant().id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no mutant '" + id + "' in this result; there are " + mutants.size()));
    }

    /** Mutants per minute of wall time. */
    public double mutantsPerMinute() {
        return seconds <= 0 ? 0 : mutants.size() * 60.0 / seconds;
    }
}

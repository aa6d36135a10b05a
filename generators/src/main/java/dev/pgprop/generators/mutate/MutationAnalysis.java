package dev.pgprop.generators.mutate;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.generators.internal.mutate.MutationRun;
import dev.pgprop.generators.internal.mutate.Operators;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Mutation analysis of a schema: every mutant the catalog offers ({@link #mutants()}), each one
 * DDL change applied to the migrated schema (in a transaction rolled back afterwards, on its
 * worker's clone of the migrated template), judged by the schema check
 * (the original schema's valid datasets and violations, loaded into the mutant: a dataset the
 * original and the mutant take differently kills it). Writes {@code <outputDir>/mutation/mutants.csv}
 * ({@code id,operator,table,object,description,status,killed_by,minimal_rows,seconds}), each killed
 * mutant's minimal dataset as SQL under {@code mutation/killed/}, every mutant's DDL in {@code
 * mutation/ddl.csv}, why each is equivalent, broken or undecided (and how each kill differs) in
 * {@code mutation/notes.csv}, and the HTML report.
 *
 * <pre>{@code
 * MutationResult r = MutationAnalysis.of(MigrationSet.of("filesystem:db/migration"))
 *         .withWorkers(2)
 *         .withOperators("notnull.drop", "check.bound")
 *         .run();
 * System.out.println(r.score());           // killed / (all - equivalent - broken)
 * r.survivors().forEach(m -> System.out.println(m.mutant().ddl()));
 * }</pre>
 *
 * <p>From the command line, {@code ./pgprop mutate -Dpgprop.migrations=filesystem:DIR}; settings
 * ({@code -Dpgprop.<key>}): {@code mutate.tries} valid datasets per table (default {@value
 * #DEFAULT_TRIES}), {@code mutate.samples} violations per constraint (default {@value
 * #DEFAULT_SAMPLES}), {@code mutate.workers} (default: 2, at most the cores), {@code
 * mutate.operators} and {@code mutate.only} (comma-separated operator names or mutant ids),
 * {@code mutate.all} (run every killer, not only the first), {@code mutate.timeout} (seconds per
 * mutant), {@code mutate.minScore} (exit status 1 below it), {@code mutate.replay} (a mutant id:
 * load its stored minimal dataset into the original and the mutant, once), {@code mutate.seed},
 * {@code mutate.isolation} ({@code transaction}, the default, or {@code clone}: a clone of the
 * template per mutant), {@code check.schemas}, {@code outputDir}.
 */
public final class MutationAnalysis {
    /** Valid datasets per table by default. */
    public static final int DEFAULT_TRIES = 10;
    /** Violations per catalogue entry by default. */
    public static final int DEFAULT_SAMPLES = 2;

    private final MigrationSet migrations;
    private final List<String> schemas;
    private final int tries;
    private final int samples;
    private final int workers;
    private final long seed;
    private final boolean allKillers;
    private final Set<String> operators;
    private final Set<String> only;
    private final Duration timeout;
    private final Path outputDir;
    private final String tests;

    private MutationAnalysis(MigrationSet migrations, List<String> schemas, int tries, int samples, int workers, long seed,
                             boolean allKillers, Set<String> operators, Set<String> only, Duration timeout, Path outputDir, String tests) {
        this.migrations = migrations;
        this.schemas = List.copyOf(schemas);
        this.tries = tries;
        this.samples = samples;
        this.workers = workers;
        this.seed = seed;
        this.allKillers = allKillers;
        this.operators = Set.copyOf(operators);
        this.only = Set.copyOf(only);
        this.timeout = timeout;
        this.outputDir = outputDir;
        this.tests = tests;
    }

    /** The analysis of a migration set with the defaults. */
    public static MutationAnalysis of(MigrationSet migrations) {
        Objects.requireNonNull(migrations, "migrations");
        return new MutationAnalysis(migrations, List.of(), DEFAULT_TRIES, DEFAULT_SAMPLES, defaultWorkers(), 20261202L, false, Set.of(),
                Set.of(), Duration.ofMinutes(5), Path.of("target/pgprop"), "");
    }

    /** The analysis the settings describe ({@code pgprop.migrations}, {@code pgprop.mutate.*}). */
    public static MutationAnalysis fromConfig() {
        Settings s = Settings.fromEnvironment();
        MutationAnalysis a = of(MigrationSet.fromConfig())
                .withTries(Integer.parseInt(s.get("mutate.tries", Integer.toString(DEFAULT_TRIES))))
                .withSamples(Integer.parseInt(s.get("mutate.samples", Integer.toString(DEFAULT_SAMPLES))))
                .withWorkers(Integer.parseInt(s.get("mutate.workers", Integer.toString(defaultWorkers()))))
                .withSeed(Long.parseLong(s.get("mutate.seed", "20261202")))
                .withAllKillers(Boolean.parseBoolean(s.get("mutate.all", "false")))
                .withTimeout(Duration.ofSeconds(Long.parseLong(s.get("mutate.timeout", "300"))))
                .withOutputDir(Path.of(s.get("outputDir", "target/pgprop")));
        String ops = s.get("mutate.operators", "");
        if (!ops.isBlank()) {
            a = a.withOperators(ops.split(","));
        }
        String ids = s.get("mutate.only", "");
        if (!ids.isBlank()) {
            a = a.withOnly(ids.split(","));
        }
        String tests = s.get("mutate.tests", "");
        if (!tests.isBlank()) {
            a = a.withTests(tests);
        }
        String sch = s.get("check.schemas", "");
        if (!sch.isBlank()) {
            a = a.withSchemas(sch.split(","));
        }
        return a;
    }

    private static int defaultWorkers() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Valid datasets drawn per table (each loaded into every mutant). */
    public MutationAnalysis withTries(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("tries must be at least 1; it is " + n);
        }
        return new MutationAnalysis(migrations, schemas, n, samples, workers, seed, allKillers, operators, only, timeout, outputDir, tests);
    }

    /** Violations drawn per catalogue entry (each loaded into every mutant). */
    public MutationAnalysis withSamples(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("samples must be at least 1; it is " + n);
        }
        return new MutationAnalysis(migrations, schemas, tries, n, workers, seed, allKillers, operators, only, timeout, outputDir, tests);
    }

    /** Mutants run at the same time (each worker on a clone of its own). */
    public MutationAnalysis withWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1; it is " + n);
        }
        return new MutationAnalysis(migrations, schemas, tries, samples, n, seed, allKillers, operators, only, timeout, outputDir, tests);
    }

    public MutationAnalysis withSeed(long s) {
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, s, allKillers, operators, only, timeout, outputDir, tests);
    }

    /** Every killer of a mutant is run and named, not only the first. */
    public MutationAnalysis withAllKillers(boolean all) {
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, all, operators, only, timeout, outputDir, tests);
    }

    /** Only these schemas' tables are mutated (every user schema when none is named). */
    public MutationAnalysis withSchemas(String... names) {
        return new MutationAnalysis(migrations, Arrays.asList(names), tries, samples, workers, seed, allKillers, operators, only, timeout,
                outputDir, tests);
    }

    /** Only these operators ({@code notnull.drop}, {@code check.bound}, …). */
    public MutationAnalysis withOperators(String... names) {
        for (String n : names) {
            if (!Operators.ALL.contains(n.trim())) {
                throw new IllegalArgumentException("no mutation operator is named '" + n + "'; the operators are " + Operators.ALL);
            }
        }
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, allKillers,
                Set.copyOf(Arrays.stream(names).map(String::trim).toList()), only, timeout, outputDir, tests);
    }

    /** Only the mutants of these ids. */
    public MutationAnalysis withOnly(String... ids) {
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, allKillers, operators,
                Set.copyOf(Arrays.stream(ids).map(String::trim).toList()), timeout, outputDir, tests);
    }

    /** A mutant whose run takes longer is stopped and counted as {@code timeout}. */
    public MutationAnalysis withTimeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive; it is " + limit);
        }
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, allKillers, operators, only, limit, outputDir, tests);
    }

    /** Where {@code mutation/} and the report go (default {@code target/pgprop}). */
    public MutationAnalysis withOutputDir(Path dir) {
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, allKillers, operators, only, timeout,
                Objects.requireNonNull(dir, "dir"), tests);
    }

    /**
     * The user's property classes (a regular expression over class names, as JUnit's include
     * patterns: {@code .*Properties}) are the killers instead of the schema check: they run in this
     * JVM, one mutant after another, each class database being the mutant.
     */
    public MutationAnalysis withTests(String classPattern) {
        return new MutationAnalysis(migrations, schemas, tries, samples, workers, seed, allKillers, operators, only, timeout, outputDir,
                Objects.requireNonNull(classPattern, "classPattern"));
    }

    /** The property classes' pattern; empty when the schema check is the killer. */
    public String tests() {
        return tests;
    }

    public MigrationSet migrations() {
        return migrations;
    }

    public int tries() {
        return tries;
    }

    public int samples() {
        return samples;
    }

    public int workers() {
        return workers;
    }

    public long seed() {
        return seed;
    }

    public boolean allKillers() {
        return allKillers;
    }

    public Duration timeout() {
        return timeout;
    }

    public Path outputDir() {
        return outputDir;
    }

    public List<String> schemas() {
        return schemas;
    }

    /** The mutants this analysis runs (operators and ids filtered), read from a fresh clone of the template. */
    public List<Mutant> mutants() {
        try (TestDatabase db = PgProp.server().createDatabase(migrations, "MutationAnalysis")) {
            return mutants(db);
        }
    }

    /** The mutants of the schema in {@code db} (a clone of the migrated template). */
    public List<Mutant> mutants(TestDatabase db) {
        try (Connection c = db.openConnection()) {
            Schema schema = Schema.read(c, schemas.toArray(String[]::new));
            return Operators.derive(schema, c).stream()
                    .filter(m -> operators.isEmpty() || operators.contains(m.operator()))
                    .filter(m -> only.isEmpty() || only.contains(m.id()))
                    .toList();
        } catch (SQLException e) {
            throw new PgPropException("cannot read the catalog of " + db.name() + ": " + e.getMessage(), e);
        }
    }

    /** Runs every mutant; writes the CSV, the minimal datasets and the report. */
    public MutationResult run() {
        return new MutationRun(this).run();
    }

    /**
     * Loads the stored minimal dataset of a killed mutant ({@code mutation/killed/<id>.sql}) once
     * into the original and once into the mutant, and says how each took it: a kill replays when
     * they differ.
     */
    public Replay replay(String mutantId) {
        return new MutationRun(this).replay(mutantId);
    }

    /** How the original and the mutant took a minimal dataset. */
    public record Replay(String mutantId, String original, String mutant) {
        /** The two differ: the minimal dataset still kills the mutant. */
        public boolean reproduced() {
            return !original.equals(mutant);
        }
    }

    /**
     * {@code ./pgprop mutate}: exits 0, or 1 when the score is below {@code pgprop.mutate.minScore}
     * (or a replay did not reproduce), or 2 when the analysis could not run.
     */
    public static void main(String[] args) {
        int code;
        try {
            Settings s = Settings.fromEnvironment();
            MutationAnalysis a = fromConfig();
            String replay = s.get("mutate.replay", "");
            if (!replay.isBlank()) {
                Replay r = a.replay(replay);
                System.out.println("pgprop mutate: replay of " + replay + ": the original " + r.original() + "; the mutant " + r.mutant()
                        + (r.reproduced() ? " (killed)" : " (NOT reproduced)"));
                code = r.reproduced() ? 0 : 1;
            } else {
                MutationResult r = a.run();
                String min = s.get("mutate.minScore", "");
                code = 0;
                if (!min.isBlank()) {
                    double wanted = Double.parseDouble(min);
                    if (!(r.score() >= wanted)) {
                        System.out.printf("pgprop mutate: FAILED: the mutation score %.3f is below the minimum %s%n", r.score(), min);
                        code = 1;
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("pgprop mutate: " + e.getMessage());
            e.printStackTrace(System.err);
            code = 2;
        }
        System.exit(code);
    }
}

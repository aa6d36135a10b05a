package dev.pgprop.generators.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.internal.check.CheckRun;
import dev.pgprop.generators.internal.check.DerivedSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.jspecify.annotations.Nullable;

/**
 * The schema check: on any migration set and with no code from the user, for every table it
 * draws valid datasets, loads each (in a transaction that is rolled back), re-checks every
 * constraint on the result ({@code constraintsHold}) and reads every value back; then it breaks
 * every {@link ConstraintCatalogue} entry once per sample and expects PostgreSQL to refuse the
 * change with the entry's SQLSTATE, naming its constraint. It writes {@code
 * <outputDir>/schema/tables.csv} and {@code constraints.csv}, and a minimal dataset for every
 * constraint that was not enforced as declared under {@code schema/failures/}.
 *
 * <pre>{@code
 * ./pgprop check -Dpgprop.migrations=filesystem:src/main/resources/db/migration
 * ./pgprop check -Dpgprop.migrations=filesystem:db -Dpgprop.check.tries=1000 -Dpgprop.check.schemas=app
 * }</pre>
 *
 * <p>Settings (each {@code -Dpgprop.<key>} or {@code PGPROP_<KEY>}): {@code migrations} and
 * {@code placeholders.*} as for every run; {@code check.tries} valid datasets per table (default
 * {@value #DEFAULT_TRIES}); {@code check.samples} violations per catalogue entry (default {@value
 * #DEFAULT_SAMPLES}); {@code check.schemas} the schemas to check (comma-separated, default every
 * user schema); {@code check.seed}; {@code outputDir} (default {@code target/pgprop}).
 */
public final class SchemaCheck {
    /** Valid datasets per table by default. */
    public static final int DEFAULT_TRIES = 100;
    /** Violations per catalogue entry by default. */
    public static final int DEFAULT_SAMPLES = 3;

    /** Where valid datasets for a table come from: that table and everything it references. */
    @FunctionalInterface
    public interface DatasetSource {
        Arbitrary<Dataset> forTable(Table table);
    }

    /** What a check found: per table and per catalogue entry, and whether it passed. */
    public record Result(List<TableResult> tables, List<EntryResult> entries, List<BehaviourResult> behaviours, Path tablesCsv,
                         Path constraintsCsv, Path behavioursCsv) {
        public Result {
            tables = List.copyOf(tables);
            entries = List.copyOf(entries);
            behaviours = List.copyOf(behaviours);
        }

        /**
         * Every table drew and loaded without error, every entry was refused as declared, and every
         * behavioural check agreed with the catalog.
         */
        public boolean passed() {
            return tables.stream().allMatch(TableResult::passed) && entries.stream().allMatch(EntryResult::passed)
                    && behaviours.stream().allMatch(BehaviourResult::passed);
        }
    }

    /**
     * One line of {@code behaviours.csv}: a behavioural check of one object against what the
     * catalog declares.
     *
     * @param check {@code fk-action}, {@code default}, {@code rls}, {@code grant} or {@code no-trace}
     * @param object what was checked: the foreign key and its action, the column, the role, …
     * @param samples how many samples were compared
     * @param inconclusive samples that could not be compared (a load error, an unrelated refusal), not counted as passed
     * @param problem empty when every compared sample agreed; otherwise what disagreed, the minimal dataset's file and
     *     how to replay it
     */
    public record BehaviourResult(String check, String table, String object, int samples, int inconclusive, String problem,
                                  String note) {
        public boolean passed() {
            return problem.isEmpty();
        }
    }

    /** One line of {@code tables.csv}. */
    public record TableResult(String table, int columns, int tries, int loaded, int loadErrors, String firstError) {
        public boolean passed() {
            return loadErrors == 0 && loaded == tries && tries > 0;
        }
    }

    /**
     * One line of {@code constraints.csv}: how many violations were drawn, how many PostgreSQL
     * refused, and how many it refused with the expected SQLSTATE and name.
     */
    public record EntryResult(String table, String constraint, String kind, int violationDrawn, int refused, String sqlState,
                              String expectedSqlState, int namedCorrectly, String note, boolean unreachable) {
        public boolean passed() {
            return unreachable || (violationDrawn > 0 && refused == violationDrawn && namedCorrectly == violationDrawn);
        }
    }

    private SchemaCheck() {}

    /** {@code ./pgprop check}: exits 0 when the check passed, 1 when it did not, 2 when it could not run. */
    public static void main(String[] args) {
        int code;
        try {
            code = runFromSettings().passed() ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("pgprop check: " + e.getMessage());
            e.printStackTrace(System.err);
            code = 2;
        }
        System.exit(code);
    }

    /** Runs the check on the configured migration set ({@code pgprop.migrations}). */
    public static Result runFromSettings() {
        Settings s = Settings.fromEnvironment();
        MigrationSet migrations = MigrationSet.fromConfig();
        int tries = Integer.parseInt(s.get("check.tries", Integer.toString(DEFAULT_TRIES)));
        int samples = Integer.parseInt(s.get("check.samples", Integer.toString(DEFAULT_SAMPLES)));
        long seed = Long.parseLong(s.get("check.seed", "20261202"));
        String[] schemas = s.get("check.schemas", "").isBlank() ? new String[0] : s.get("check.schemas", "").split(",");
        Path out = Path.of(s.get("outputDir", "target/pgprop"));
        System.out.println("pgprop check: " + migrations + ", " + tries + " datasets per table, " + samples
                + " violations per constraint, seed " + seed);
        java.time.Instant started = java.time.Instant.now();
        try (TestDatabase db = PgProp.server().createDatabase(migrations, "SchemaCheck")) {
            Result r = run(db, DerivedSource.of(db, schemas), tries, samples, seed, out, schemas);
            System.out.println("pgprop check: report " + dev.pgprop.dsl.internal.report.HtmlReport.write(out, started).file());
            return r;
        }
    }

    /**
     * Runs the check on a database with datasets from {@code source}. Writes the CSVs under
     * {@code outputDir/schema/}. Prints progress (table n of N, elapsed, estimate left).
     */
    public static Result run(TestDatabase db, DatasetSource source, int tries, int samples, long seed, Path outputDir,
                             String... schemas) {
        return run(db, null, source, tries, samples, seed, outputDir, schemas);
    }

    /**
     * Runs the check on a database against a {@code declared} schema read elsewhere (null: the
     * database's own catalog). This is how a changed schema is judged by what the original
     * declares: the catalogue, the foreign-key actions, defaults, policies and grants expected are
     * the declared ones, the behaviour observed is the database's.
     *
     * <pre>{@code
     * Schema declared = Schema.read(original);
     * SchemaCheck.Result r = SchemaCheck.run(mutant, declared, DerivedSource.of(original), 5, 1, 1L, out);
     * }</pre>
     */
    public static Result run(TestDatabase db, @Nullable Schema declared, DatasetSource source, int tries, int samples, long seed,
                             Path outputDir, String... schemas) {
        Objects.requireNonNull(source, "source");
        if (tries < 1 || samples < 1) {
            throw new IllegalArgumentException("tries and samples must be at least 1; they are " + tries + " and " + samples);
        }
        boolean session = !JqwikSession.isActive();
        if (session) {
            JqwikSession.start();
        }
        try (Connection c = db.openConnection()) {
            Schema schema = declared != null ? declared : Schema.read(c, schemas);
            return new CheckRun(schema, ConstraintCatalogue.of(schema), c, source, tries, samples, seed, outputDir.resolve("schema"))
                    .run();
        } catch (SQLException e) {
            throw new PgPropException("the schema check could not use " + db.name() + ": " + e.getMessage(), e);
        } finally {
            if (session) {
                JqwikSession.finish();
            }
        }
    }
}

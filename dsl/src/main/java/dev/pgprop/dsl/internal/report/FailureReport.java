package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.SqlPrintable;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.Violation;
import dev.pgprop.dsl.internal.Tables;
import dev.pgprop.dsl.internal.provision.JdbcUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * What a failed property prints above jqwik's block, and writes under {@code
 * target/pgprop/failures/}: the invariant, the violating rows, the minimal dataset as runnable
 * SQL, the seed, and one command that replays exactly that minimal case.
 */
public final class FailureReport {
    /** Replay samples up to this size travel inside the command; larger ones only in the .json file. */
    static final int INLINE_LIMIT = 6000;
    static final int ROWS_SHOWN = 10;

    public final String invariant;
    public final String text;
    public final @Nullable Path sqlFile;
    public final @Nullable Path jsonFile;
    public final @Nullable String replayCommand;
    public final int datasetRows;

    private FailureReport(String invariant, String text, @Nullable Path sqlFile, @Nullable Path jsonFile,
                          @Nullable String replayCommand, int datasetRows) {
        this.invariant = invariant;
        this.text = text;
        this.sqlFile = sqlFile;
        this.jsonFile = jsonFile;
        this.replayCommand = replayCommand;
        this.datasetRows = datasetRows;
    }

    /** The name a failure's files carry: {@code Class.method} (nested classes keep their {@code $}). */
    public static String fileStem(Class<?> type, String method) {
        String n = type.getName();
        return n.substring(n.lastIndexOf('.') + 1) + "." + method;
    }

    /**
     * Builds the report of a failed property. {@code names} are the property's parameter names;
     * {@code catalog}, when the class's database is open, gives the load order and column types.
     */
    public static FailureReport build(Class<?> type, java.lang.reflect.Method property, @Nullable String seed,
                                      List<@Nullable Object> sample, List<String> names, @Nullable Throwable error,
                                      Path outputDir, Optional<Catalog> catalog, Optional<MigrationSet> migrations,
                                      boolean replayed) {
        String method = property.getName();
        StringBuilder b = new StringBuilder();
        String line = "═".repeat(78);
        String stem = fileStem(type, method);
        b.append(line).append('\n').append("pgprop: ").append(stem).append(" failed").append(replayed ? " (replay)" : "").append('\n');

        String invariant = "(no invariant: the property threw)";
        if (error instanceof InvariantViolationException iv) {
            invariant = String.join(", ", iv.violations().stream().map(Violation::invariant).distinct().toList());
            b.append("invariant:   ").append(invariant).append('\n');
            for (Violation v : iv.violations()) {
                b.append("  ✗ ").append(v.invariant()).append(": ").append(v.message()).append('\n');
                if (!v.rows().isEmpty()) {
                    b.append("    violating rows (first ").append(Math.min(ROWS_SHOWN, v.rows().size())).append(" of ")
                            .append(v.rows().size()).append("):\n");
                    b.append(Tables.format(v.rows(), ROWS_SHOWN, "      ")).append('\n');
                }
            }
        } else if (error instanceof ScenarioException se) {
            PgError pe = se.error();
            invariant = "(scenario error" + (pe == null ? "" : ": " + pe.errorClass()) + ")";
            b.append("error:       ").append(JdbcUrls.mask(String.valueOf(se.getMessage()))).append('\n');
        } else if (error != null) {
            b.append("error:       ").append(JdbcUrls.mask(error.toString())).append('\n');
        }

        Dataset data = Dataset.empty();
        StringBuilder others = new StringBuilder();
        StringJoiner scalars = new StringJoiner(", ");
        for (int i = 0; i < sample.size(); i++) {
            Object p = sample.get(i);
            String name = i < names.size() ? names.get(i) : "p" + i;
            if (p instanceof Dataset d) {
                data = data.plus(d);
            } else if (p == Replay.INJECTED || p instanceof Db) {
                continue; // pgprop's own, not part of the sample
            } else if (p instanceof SqlPrintable sp) {
                others.append("-- ").append(name).append('\n').append(printable(sp));
            } else {
                scalars.add(scalar(p) + " AS " + SqlLiterals.identifier(name));
            }
        }
        StringBuilder sql = new StringBuilder();
        if (!data.tables().isEmpty()) {
            sql.append(datasetSql(data, catalog));
        }
        sql.append(others);
        if (scalars.length() > 0) {
            sql.append("CREATE TEMP TABLE pgprop_parameters AS SELECT ").append(scalars).append(";\n");
        }
        Path failures = outputDir.resolve("failures");
        Path sqlFile = null;
        if (sql.length() > 0) {
            StringBuilder file = new StringBuilder();
            file.append("-- pgprop: minimal ").append(data.tables().isEmpty() ? "sample" : "dataset").append(" of ").append(stem).append(" (").append(data.rowCount()).append(" rows)\n");
            file.append("-- invariant: ").append(invariant.replace("\n", " ")).append('\n');
            file.append("-- seed: ").append(seed).append('\n');
            file.append("BEGIN;\n").append(sql).append("COMMIT;\n");
            sqlFile = write(failures.resolve(stem + ".sql"), file.toString());
            b.append(data.tables().isEmpty() ? "minimal sample" : "minimal dataset (" + data.rowCount() + " rows)")
                    .append(", also in ").append(sqlFile).append(":\n");
            String text = sql.toString();
            text.lines().limit(40).forEach(l -> b.append("  ").append(l).append('\n'));
            long more = text.lines().count() - 40;
            if (more > 0) {
                b.append("  ... ").append(more).append(" more lines in the file\n");
            }
        }
        b.append("seed:        ").append(seed == null ? "(none)" : seed).append('\n');

        Path jsonFile = null;
        String command = null;
        try {
            String json = Replay.write(type, property, seed, sample, migrations);
            jsonFile = write(failures.resolve(stem + ".json"), json + "\n");
            command = ReplayCommand.forThisRun(type, method, migrations, json, jsonFile);
            b.append("replay:      ").append(command).append('\n');
        } catch (SampleCodec.Unsupported e) {
            b.append("replay:      not available: ").append(e.getMessage()).append("; rerun with the seed above\n");
        }
        b.append(line);
        return new FailureReport(invariant, b.toString(), sqlFile, jsonFile, command, data.rowCount());
    }

    /** The dataset as SQL; a value that cannot be written as SQL shows as a comment, never an exception. */
    private static String datasetSql(Dataset data, Optional<Catalog> catalog) {
        try {
            return catalog.isPresent() ? Loader.printSql(catalog.get(), data) : data.toSql();
        } catch (RuntimeException e) {
            try {
                return data.toSql();
            } catch (RuntimeException again) {
                return "-- the dataset cannot be written as SQL: " + oneLine(again.getMessage()) + "\n-- " + oneLine(data.toString()) + "\n";
            }
        }
    }

    private static String printable(SqlPrintable p) {
        try {
            String s = p.toSql();
            return s.endsWith("\n") ? s : s + "\n";
        } catch (RuntimeException e) {
            return "-- cannot be written as SQL (" + oneLine(e.getMessage()) + "): " + oneLine(String.valueOf(p)) + "\n";
        }
    }

    private static String scalar(@Nullable Object v) {
        try {
            return SqlLiterals.literal(v);
        } catch (RuntimeException e) {
            return "NULL /* " + oneLine(String.valueOf(v)).replace("*/", "* /") + " */";
        }
    }

    private static String oneLine(@Nullable String s) {
        return String.valueOf(s).replace('\n', ' ');
    }

    /** Removes the failure files a passing property left from an earlier run. */
    public static void removeStale(Path outputDir, Class<?> type, String method) {
        Path failures = outputDir.resolve("failures");
        for (String ext : List.of(".sql", ".json")) {
            try {
                Files.deleteIfExists(failures.resolve(fileStem(type, method) + ext));
            } catch (IOException e) {
                // a file that cannot be removed stays; the next passing run tries again
            }
        }
    }

    private static Path write(Path file, String content) {
        try {
            dev.pgprop.dsl.internal.WholeFiles.write(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

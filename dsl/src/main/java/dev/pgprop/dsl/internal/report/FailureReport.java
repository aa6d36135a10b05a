package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.Violation;
import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.internal.Tables;
import dev.pgprop.dsl.internal.provision.JdbcUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    public static FailureReport build(Class<?> type, String method, String propertyKey, @Nullable String seed,
                                      List<@Nullable Object> sample, @Nullable Throwable error, Path outputDir,
                                      Optional<List<String>> tableOrder, Optional<MigrationSet> migrations, boolean replayed) {
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
        for (Object p : sample) {
            if (p instanceof Dataset d) {
                data = data.plus(d);
            }
        }
        Path failures = outputDir.resolve("failures");
        Path sqlFile = null;
        if (!data.tables().isEmpty()) {
            String sql = data.toSql(tableOrder.orElse(data.tables()));
            StringBuilder file = new StringBuilder();
            file.append("-- pgprop: minimal dataset of ").append(stem).append(" (").append(data.rowCount()).append(" rows)\n");
            file.append("-- invariant: ").append(invariant.replace("\n", " ")).append('\n');
            file.append("-- seed: ").append(seed).append('\n');
            file.append("BEGIN;\n").append(sql).append("COMMIT;\n");
            sqlFile = write(failures.resolve(stem + ".sql"), file.toString());
            b.append("minimal dataset (").append(data.rowCount()).append(" rows), also in ").append(sqlFile).append(":\n");
            sql.lines().limit(40).forEach(l -> b.append("  ").append(l).append('\n'));
            long more = sql.lines().count() - 40;
            if (more > 0) {
                b.append("  ... ").append(more).append(" more statements in the file\n");
            }
        } else if (!sample.isEmpty()) {
            b.append("minimal sample: ").append(sample).append('\n');
        }
        b.append("seed:        ").append(seed == null ? "(none)" : seed).append('\n');

        Path jsonFile = null;
        String command = null;
        try {
            List<@Nullable Object> encoded = new ArrayList<>();
            for (Object p : sample) {
                encoded.add(p == Replay.INJECTED || p instanceof dev.pgprop.dsl.Db ? Map.of("injected", "Db") : SampleCodec.encode(p));
            }
            Map<String, @Nullable Object> replay = new LinkedHashMap<>();
            replay.put("property", propertyKey);
            replay.put("seed", seed);
            replay.put("parameters", encoded);
            migrations.ifPresent(m -> {
                replay.put("migrations", m.locations());
                replay.put("placeholders", m.placeholders());
            });
            String json = Json.write(replay);
            jsonFile = write(failures.resolve(stem + ".json"), json + "\n");
            command = replayCommand(type, method, migrations, json, jsonFile);
            b.append("replay:      ").append(command).append('\n');
        } catch (SampleCodec.Unsupported e) {
            b.append("replay:      not available: ").append(e.getMessage()).append("; rerun with the seed above\n");
        }
        b.append(line);
        return new FailureReport(invariant, b.toString(), sqlFile, jsonFile, command, data.rowCount());
    }

    private static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code mvn -pl <module> -am test -Dtest=... -Dpgprop.replay=...}, runnable from the repository root. */
    static String replayCommand(Class<?> type, String method, Optional<MigrationSet> migrations, String json, Path jsonFile) {
        Path moduleDir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path root = moduleDir;
        while (root.getParent() != null && Files.isRegularFile(root.getParent().resolve("pom.xml"))) {
            root = root.getParent();
        }
        StringBuilder c = new StringBuilder("mvn");
        String module = root.relativize(moduleDir).toString();
        if (!module.isEmpty()) {
            c.append(" -pl ").append(module).append(" -am");
        }
        String testClass = type.getName().substring(type.getName().lastIndexOf('.') + 1);
        c.append(" test -Dtest='").append(testClass).append('#').append(method).append("'");
        c.append(" -Dsurefire.failIfNoSpecifiedTests=false");
        migrations.ifPresent(m -> m.systemPropertyArgs().forEach(a -> c.append(" '").append(a).append("'")));
        String inline = SampleCodec.compress(json);
        if (inline.length() <= INLINE_LIMIT) {
            c.append(" -Dpgprop.replay=inline:").append(inline);
        } else {
            c.append(" -Dpgprop.replay=").append(root.relativize(jsonFile.toAbsolutePath()));
        }
        return c.toString();
    }
}

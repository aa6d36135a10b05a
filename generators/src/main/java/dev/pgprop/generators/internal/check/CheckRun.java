package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.CheckSql;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.CatalogueEntry;
import dev.pgprop.generators.check.ConstraintCatalogue;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.check.SchemaViolation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** One run of the schema check: the loop over tables and entries, the CSVs, the minimal datasets. */
public final class CheckRun {
    /** Datasets tried per violation sample before the entry counts as not drawn. */
    private static final int ATTEMPTS_PER_SAMPLE = 30;

    private final Schema schema;
    private final ConstraintCatalogue catalogue;
    private final Connection c;
    private final SchemaCheck.DatasetSource source;
    private final int tries;
    private final int samples;
    private final long seed;
    private final Path dir;
    private final Catalog catalog;
    private final @Nullable String constraintsSql;
    private final int behaviourSamples;
    private @Nullable PreparedStatement constraintsStatement;

    public CheckRun(Schema schema, ConstraintCatalogue catalogue, Connection c, SchemaCheck.DatasetSource source, int tries,
                    int samples, long seed, Path dir) {
        this.schema = schema;
        this.catalogue = catalogue;
        this.c = c;
        this.source = source;
        this.tries = tries;
        this.samples = samples;
        this.seed = seed;
        this.dir = dir;
        this.catalog = Catalog.read(c);
        this.constraintsSql = CheckSql.constraints(catalog, 5);
        this.behaviourSamples = samples;
    }

    /** How the server took a dataset: loaded (null error) or refused. */
    record Outcome(@Nullable String sqlState, @Nullable String constraint, @Nullable String column, @Nullable String table,
                   @Nullable String datatype, String message) {
        boolean loaded() {
            return sqlState == null;
        }
    }

    public SchemaCheck.Result run() throws SQLException {
        List<SchemaCheck.TableResult> tables = new ArrayList<>();
        List<SchemaCheck.EntryResult> entries = new ArrayList<>();
        List<SchemaCheck.BehaviourResult> behaviours = new ArrayList<>();
        java.util.Map<String, RandomGenerator<Dataset>> made = new java.util.HashMap<>();
        Behaviours behaviour = new Behaviours(schema, c, catalog, dir, behaviourSamples)
                .withGenerators(t -> made.computeIfAbsent(t.datasetName(), k -> source.forTable(t).generator(100, true)));
        List<Table> all = schema.tables();
        long start = System.nanoTime();
        for (int n = 0; n < all.size(); n++) {
            Table t = all.get(n);
            double elapsed = (System.nanoTime() - start) / 1e9;
            String left = n == 0 ? "estimating" : String.format("about %.0f s left", elapsed / n * (all.size() - n));
            System.out.printf("pgprop check: table %d of %d %s (%.1f s elapsed, %s)%n", n + 1, all.size(), t.datasetName(),
                    elapsed, left);
            Random random = new Random(seed ^ t.qualifiedName().hashCode());
            RandomGenerator<Dataset> gen;
            try {
                Arbitrary<Dataset> arbitrary = source.forTable(t);
                gen = arbitrary.generator(100, true);
            } catch (RuntimeException e) {
                tables.add(new SchemaCheck.TableResult(t.datasetName(), t.columns().size(), tries, 0, tries,
                        "cannot draw for " + t.datasetName() + ": " + e.getMessage()));
                for (CatalogueEntry e2 : catalogue.entries(t.datasetName())) {
                    entries.add(entryResult(e2, 0, 0, "", 0, "not drawn: no dataset for the table"));
                }
                behaviours.addAll(behaviour.table(t, null, random));
                continue;
            }
            tables.add(validTries(t, gen, random));
            for (CatalogueEntry e : catalogue.entries(t.datasetName())) {
                entries.add(violations(e, gen, random));
            }
            behaviours.addAll(behaviour.table(t, gen, random));
        }
        Path tablesCsv = dir.resolve("tables.csv");
        Path constraintsCsv = dir.resolve("constraints.csv");
        StringBuilder tb = new StringBuilder("table,columns,tries,loaded,load_errors,first_error\n");
        for (SchemaCheck.TableResult r : tables) {
            tb.append(csv(r.table())).append(',').append(r.columns()).append(',').append(r.tries()).append(',').append(r.loaded())
                    .append(',').append(r.loadErrors()).append(',').append(csv(r.firstError())).append('\n');
        }
        StringBuilder cb = new StringBuilder("table,constraint,kind,violation_drawn,refused,sqlstate,expected_sqlstate,named_correctly,note\n");
        for (SchemaCheck.EntryResult r : entries) {
            // true/false per entry (every sample drawn, refused, named as declared); the counts go in the note
            boolean drawn = r.violationDrawn() > 0;
            String counts = drawn ? r.violationDrawn() + " drawn, " + r.refused() + " refused, " + r.namedCorrectly() + " named as declared" : "";
            String note = counts.isEmpty() ? r.note() : r.note().isEmpty() ? counts : counts + "; " + r.note();
            cb.append(csv(r.table())).append(',').append(csv(r.constraint())).append(',').append(r.kind()).append(',')
                    .append(drawn).append(',').append(drawn ? Boolean.toString(r.refused() == r.violationDrawn()) : "").append(',')
                    .append(r.sqlState()).append(',').append(r.expectedSqlState()).append(',')
                    .append(drawn ? Boolean.toString(r.namedCorrectly() == r.violationDrawn()) : "").append(',').append(csv(note)).append('\n');
        }
        write("tables.csv", tb.toString());
        write("constraints.csv", cb.toString());
        StringBuilder bb = new StringBuilder("check,table,object,samples,inconclusive,passed,problem,note\n");
        for (SchemaCheck.BehaviourResult r : behaviours) {
            bb.append(r.check()).append(',').append(csv(r.table())).append(',').append(csv(r.object())).append(',').append(r.samples())
                    .append(',').append(r.inconclusive()).append(',').append(r.passed()).append(',').append(csv(r.problem())).append(',')
                    .append(csv(r.note())).append('\n');
        }
        write("behaviours.csv", bb.toString());
        SchemaCheck.Result result = new SchemaCheck.Result(tables, entries, behaviours, tablesCsv, constraintsCsv,
                dir.resolve("behaviours.csv"));
        if (constraintsStatement != null) {
            constraintsStatement.close();
        }
        summary(result, (System.nanoTime() - start) / 1e9);
        return result;
    }

    private void summary(SchemaCheck.Result r, double seconds) {
        int loaded = r.tables().stream().mapToInt(SchemaCheck.TableResult::loaded).sum();
        int errors = r.tables().stream().mapToInt(SchemaCheck.TableResult::loadErrors).sum();
        long caught = r.entries().stream().filter(e -> !e.unreachable() && e.passed()).count();
        long unreachable = r.entries().stream().filter(SchemaCheck.EntryResult::unreachable).count();
        System.out.printf("pgprop check: %d tables, %d datasets loaded, %d load errors; %d of %d constraints refused as declared"
                        + " (%d unreachable by an INSERT); %.1f s; %s and %s%n", r.tables().size(), loaded, errors, caught,
                r.entries().size() - unreachable, unreachable, seconds, r.tablesCsv(), r.constraintsCsv());
        for (SchemaCheck.TableResult t : r.tables()) {
            if (!t.passed()) {
                System.out.println("pgprop check: FAILED table " + t.table() + ": " + t.loadErrors() + " of " + t.tries()
                        + " datasets did not load: " + t.firstError());
            }
        }
        for (SchemaCheck.EntryResult e : r.entries()) {
            if (!e.passed()) {
                System.out.println("pgprop check: FAILED " + e.kind() + " " + e.constraint() + " on " + e.table() + ": " + e.note());
            }
        }
        long agreed = r.behaviours().stream().filter(b -> b.passed() && b.samples() > 0).count();
        long notCompared = r.behaviours().stream().filter(b -> b.samples() == 0).count();
        System.out.printf("pgprop check: behaviour: %d of %d checks agree with the catalog (%d not compared: nothing to compare"
                + " on the datasets drawn); %s%n", agreed, r.behaviours().size(), notCompared, r.behavioursCsv());
        for (SchemaCheck.BehaviourResult b : r.behaviours()) {
            if (!b.passed()) {
                System.out.println("pgprop check: FAILED " + b.check() + " " + b.object() + " on " + b.table() + ": " + b.problem());
            }
        }
        System.out.println("pgprop check: " + (r.passed() ? "passed" : "FAILED"));
    }

    private SchemaCheck.TableResult validTries(Table t, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        int loaded = 0;
        int errors = 0;
        String first = "";
        for (int i = 0; i < tries; i++) {
            Dataset d;
            try {
                d = gen.next(random).value();
            } catch (RuntimeException e) {
                errors++;
                if (first.isEmpty()) {
                    first = "cannot draw for " + t.datasetName() + ": " + e.getMessage();
                }
                continue;
            }
            String problem = tryValid(d);
            if (problem == null) {
                loaded++;
            } else {
                errors++;
                if (first.isEmpty()) {
                    first = problem;
                    write("failures/" + t.datasetName() + ".load.sql", "-- " + problem.replace("\n", "\n-- ") + "\n" + d.toSql());
                }
            }
        }
        return new SchemaCheck.TableResult(t.datasetName(), t.columns().size(), tries, loaded, errors, first);
    }

    /** Loads a valid dataset, re-checks every constraint, reads every value back; null when all went well. */
    private @Nullable String tryValid(Dataset d) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            try {
                s.execute(Loader.sql(catalog, d) + "SET CONSTRAINTS ALL IMMEDIATE"); // one round trip
            } catch (SQLException e) {
                return "load error " + e.getSQLState() + ": " + e.getMessage();
            }
            if (constraintsSql != null) {
                try (ResultSet rs = constraintsStatement(constraintsSql).executeQuery()) {
                    if (rs.next()) {
                        return "constraintsHold: " + rs.getString(1) + " " + rs.getString(2) + " on " + rs.getString(3)
                                + " is violated by " + rs.getString(4);
                    }
                }
            }
            String mismatch = RoundTrip.firstMismatch(c, schema, d);
            return mismatch == null ? null : "round trip: this row does not read back as written: " + mismatch;
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    /**
     * The constraints query, prepared once: planning it (one branch per constraint of the schema)
     * costs more than running it on a few rows.
     */
    private PreparedStatement constraintsStatement(String sql) throws SQLException {
        if (constraintsStatement == null) {
            constraintsStatement = c.prepareStatement(sql);
            constraintsStatement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        }
        return constraintsStatement;
    }

    private SchemaCheck.EntryResult violations(CatalogueEntry e, RandomGenerator<Dataset> gen, Random random) throws SQLException {
        if (e.unreachable() != null) {
            return entryResult(e, 0, 0, "", 0, "unreachable: " + e.unreachable());
        }
        int drawn = 0;
        int refused = 0;
        int named = 0;
        String sqlState = "";
        String note = "";
        String expected = e.sqlState();
        String problem = null;
        for (int sample = 0; sample < samples; sample++) {
            Optional<SchemaViolation> v = Optional.empty();
            for (int attempt = 0; attempt < ATTEMPTS_PER_SAMPLE && v.isEmpty(); attempt++) {
                Dataset valid;
                try {
                    valid = gen.next(random).value();
                } catch (RuntimeException ex) {
                    continue;
                }
                v = catalogue.violate(e, valid, c);
            }
            if (v.isEmpty()) {
                continue;
            }
            SchemaViolation sv = v.get();
            drawn++;
            expected = sv.sqlState();
            if (!sv.note().isEmpty()) {
                note = sv.note();
            }
            Outcome o = load(sv.invalid());
            if (o.loaded()) {
                if (problem == null) {
                    Dataset minimal = minimal(sv);
                    String file = "failures/" + safe(e.name()) + ".sql";
                    write(file, "-- " + e.name() + " (" + e.kind() + ") was not enforced: PostgreSQL accepted this dataset\n-- "
                            + sv.change() + "\n" + minimal.toSql());
                    problem = "not enforced: the change was accepted (" + sv.change() + "); minimal dataset of " + minimal.rowCount()
                            + " rows in " + dir.resolve(file);
                }
                continue;
            }
            refused++;
            sqlState = o.sqlState();
            if (named(sv, o)) {
                named++;
            } else if (problem == null) {
                problem = "expected " + sv.expected() + ", got " + o.sqlState() + " " + o.constraint()
                        + (o.column() != null ? " column " + o.column() : "") + " (" + o.message().lines().findFirst().orElse("")
                        + "); change: " + sv.change();
                write("failures/" + safe(e.name()) + ".sql", "-- " + problem + "\n" + sv.invalid().toSql());
            }
        }
        if (drawn == 0) {
            problem = "no violation drawn in " + samples * ATTEMPTS_PER_SAMPLE + " valid datasets";
        }
        return entryResult(e, drawn, refused, sqlState, named, problem != null ? problem + (note.isEmpty() ? "" : "; " + note) : note,
                expected);
    }

    private SchemaCheck.EntryResult entryResult(CatalogueEntry e, int drawn, int refused, String sqlState, int named, String note) {
        return entryResult(e, drawn, refused, sqlState, named, note, e.sqlState());
    }

    private static SchemaCheck.EntryResult entryResult(CatalogueEntry e, int drawn, int refused, String sqlState, int named, String note,
                                                       String expected) {
        String constraint = e.constraint() != null && e.kind() != dev.pgprop.generators.ConstraintKind.DOMAIN_CHECK ? e.constraint()
                : e.name().startsWith(e.table() + ".") ? e.name().substring(e.table().length() + 1) : e.name();
        return new SchemaCheck.EntryResult(e.table(), constraint, e.kind().name(), drawn, refused, sqlState, expected, named, note,
                e.unreachable() != null);
    }

    /** The error names what the violation expects: its constraint (its partition's, for a partitioned table), column or type. */
    private boolean named(SchemaViolation v, Outcome o) throws SQLException {
        if (!v.sqlState().equals(o.sqlState())) {
            return false;
        }
        if (v.raisedConstraint() != null && !v.raisedConstraint().equals(o.constraint())
                && !v.raisedConstraint().equals(rootIndex(o.constraint()))) {
            return false;
        }
        if (v.raisedColumn() != null && !v.raisedColumn().equals(o.column())) {
            return false;
        }
        return v.raisedDatatype() == null || v.raisedDatatype().equals(o.datatype()) || o.message().contains(v.raisedDatatype());
    }

    /** A partition's index is named after the partition; the constraint is its partitioned parent's. */
    private @Nullable String rootIndex(@Nullable String index) throws SQLException {
        if (index == null) {
            return null;
        }
        try (var ps = c.prepareStatement("WITH RECURSIVE up(oid) AS (SELECT oid FROM pg_class WHERE relname = ? AND relkind IN ('i', 'I')"
                + " UNION SELECT i.inhparent FROM pg_inherits i JOIN up ON i.inhrelid = up.oid)"
                + " SELECT c.relname FROM up JOIN pg_class c ON c.oid = up.oid"
                + " WHERE NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = up.oid) LIMIT 1")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Loads a dataset in a transaction that is rolled back (deferred constraints checked too). */
    private Outcome load(Dataset d) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(Loader.sql(catalog, d) + "SET CONSTRAINTS ALL IMMEDIATE"); // one round trip
            return new Outcome(null, null, null, null, null, "");
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            return new Outcome(Objects.requireNonNullElse(e.getSQLState(), "?"), m == null ? null : m.getConstraint(),
                    m == null ? null : m.getColumn(), m == null ? null : m.getTable(), m == null ? null : m.getDatatype(),
                    String.valueOf(e.getMessage()));
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    /** The violation's invalid dataset with every row removed that is not needed for it to be accepted. */
    private Dataset minimal(SchemaViolation v) throws SQLException {
        Dataset d = v.invalid();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String table : d.tables()) {
                List<Row> rows = d.rows(table);
                for (int i = rows.size() - 1; i >= 0; i--) {
                    if (table.equals(v.table()) && rows.get(i) == v.row()) {
                        continue;
                    }
                    List<Row> fewer = new ArrayList<>(rows);
                    fewer.remove(i);
                    Dataset smaller = d.with(table, fewer);
                    if (load(smaller).loaded()) {
                        d = smaller;
                        rows = fewer;
                        progress = true;
                    }
                }
            }
        }
        Dataset out = Dataset.empty();
        for (String table : d.tables()) {
            if (!d.rows(table).isEmpty()) {
                out = out.with(table, d.rows(table));
            }
        }
        return out;
    }

    private void write(String relative, String content) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(relative), e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }

    private static String csv(String s) {
        String one = s.replace("\r", " ").replace("\n", " ");
        return one.contains(",") || one.contains("\"") ? "\"" + one.replace("\"", "\"\"") + "\"" : one;
    }
}

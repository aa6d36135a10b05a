package dev.pgprop.generators.internal.check;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.SqlLiterals;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.Loader;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.SchemaCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;

/**
 * The behavioural checks of the schema check: foreign-key actions, defaults, row-level security,
 * grants and rollbacks, each comparing what the declared schema says with what the database does.
 * Every sample runs in a transaction that is rolled back; a disagreement is reduced to a minimal
 * dataset and written, with the statements that show it, as a script that replays it.
 */
public final class Behaviours {
    /** Datasets drawn per sample before the sample counts as inconclusive. */
    private static final int ATTEMPTS = 4;
    /** Datasets drawn (in memory, not loaded) per attempt until one is usable for the check. */
    private static final int DRAWS = 50;

    final Schema schema;
    final Connection c;
    final Catalog catalog;
    final Path dir;
    final int samples;
    final boolean superuser;
    final java.util.Map<String, Boolean> volatileFunctions = new java.util.HashMap<>();

    public Behaviours(Schema schema, Connection c, Catalog catalog, Path dir, int samples) throws SQLException {
        this.schema = schema;
        this.c = c;
        this.catalog = catalog;
        this.dir = dir;
        this.samples = samples;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            this.superuser = rs.next() && rs.getBoolean(1);
        }
    }

    /** Every behavioural check of one table, with datasets for it from {@code gen}. */
    public List<SchemaCheck.BehaviourResult> table(Table t, @Nullable RandomGenerator<Dataset> gen, Random random) throws SQLException {
        List<SchemaCheck.BehaviourResult> out = new ArrayList<>();
        if (gen != null) {
            if (runs("fk-action")) {
                out.addAll(new ForeignKeyActions(this).check(t, gen, random));
            }
            if (runs("default")) {
                out.addAll(new Defaults(this).check(t, gen, random));
            }
            if (runs("rls")) {
                out.addAll(new RowSecurity(this).check(t, gen, random));
            }
            if (runs("no-trace")) {
                out.add(new NoTrace(this).check(t, gen, random));
            }
        }
        if (runs("grant")) {
            out.addAll(new Grants(this).check(t));
        }
        return out;
    }

    private @Nullable String only;
    /** The minimal dataset of each disagreement written, by its result (one check may write several: one per role, say). */
    private final java.util.Map<SchemaCheck.BehaviourResult, Dataset> minimals = new java.util.IdentityHashMap<>();

    /** Only the check of this name ({@code fk-action}, {@code default}, {@code rls}, {@code no-trace}, {@code grant}) runs. */
    public Behaviours onlyCheck(String check) {
        this.only = check;
        return this;
    }

    private boolean runs(String check) {
        return only == null || only.equals(check);
    }

    /**
     * The minimal dataset of a disagreement this check wrote (empty for one found without a
     * dataset); null for a result it did not write as a disagreement.
     */
    public @Nullable Dataset minimalOf(SchemaCheck.BehaviourResult r) {
        return minimals.get(r);
    }

    private @Nullable Roles roles;
    private java.util.function.Function<Table, @Nullable RandomGenerator<Dataset>> generators = t -> null;

    /** Where a check finds the datasets of another table (row-level security, when a policy reads a table that references its own). */
    public Behaviours withGenerators(java.util.function.Function<Table, @Nullable RandomGenerator<Dataset>> byTable) {
        this.generators = byTable;
        return this;
    }

    @Nullable RandomGenerator<Dataset> generator(Table t) {
        try {
            return generators.apply(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The roles the checks act as (read once). */
    Roles roles() throws SQLException {
        if (roles == null) {
            roles = Roles.read(this);
        }
        return roles;
    }

    enum Kind { PASS, FAIL, SKIP }

    /** What one sample showed; {@code script} holds the statements that show it, after the dataset. */
    record Verdict(Kind kind, String detail, String script) {
        static Verdict pass() {
            return new Verdict(Kind.PASS, "", "");
        }

        static Verdict fail(String detail, String script) {
            return new Verdict(Kind.FAIL, detail, script);
        }

        static Verdict skip(String reason) {
            return new Verdict(Kind.SKIP, reason, "");
        }
    }

    /** One sample's comparison on a loaded (or to be loaded) dataset, inside a transaction that is rolled back. */
    @FunctionalInterface
    interface Probe {
        Verdict run(Dataset d) throws SQLException;
    }

    /**
     * Runs {@code probe} on {@code samples} datasets (each sample drawing again when the one drawn
     * cannot be compared); the first disagreement is minimised and written.
     */
    SchemaCheck.BehaviourResult sampled(String check, Table t, String object, RandomGenerator<Dataset> gen, Random random,
                                        int n, Probe probe) throws SQLException {
        return sampled(check, t, object, gen, random, n, d -> true, probe);
    }

    /**
     * {@link #sampled(String, Table, String, RandomGenerator, Random, int, Probe)} on datasets that
     * can show the behaviour: one that {@code usable} turns down (no child row references a
     * parent, say) is drawn again, up to {@value #DRAWS} times, without a round trip.
     */
    SchemaCheck.BehaviourResult sampled(String check, Table t, String object, RandomGenerator<Dataset> gen, Random random,
                                        int n, java.util.function.Predicate<Dataset> usable, Probe probe) throws SQLException {
        int compared = 0;
        int inconclusive = 0;
        String reason = "";
        for (int i = 0; i < n; i++) {
            Verdict v = null;
            Dataset d = null;
            for (int a = 0; a < ATTEMPTS && (v == null || v.kind() == Kind.SKIP); a++) {
                d = null;
                String unusable = "";
                for (int draw = 0; draw < DRAWS && d == null; draw++) {
                    try {
                        Dataset next = gen.next(random).value();
                        if (usable.test(next)) {
                            d = next;
                        } else {
                            unusable = "none of " + DRAWS + " datasets drawn can show it";
                        }
                    } catch (RuntimeException e) {
                        unusable = "no dataset: " + e.getMessage();
                    }
                }
                if (d == null) {
                    v = Verdict.skip(unusable);
                    break;
                }
                v = inTransaction(probe, d);
            }
            if (v == null || v.kind() == Kind.SKIP) {
                inconclusive++;
                reason = v == null ? "" : v.detail();
                continue;
            }
            compared++;
            if (v.kind() == Kind.FAIL) {
                return failed(check, t, object, compared, inconclusive, minimise(d, usable, probe), probe);
            }
        }
        return new SchemaCheck.BehaviourResult(check, t.datasetName(), object, compared, inconclusive, "",
                compared == 0 ? "not compared: " + reason : inconclusive > 0 ? "inconclusive " + inconclusive + ": " + reason : "");
    }

    /** A disagreement found without a dataset (grants): written as a script too. */
    SchemaCheck.BehaviourResult failed(String check, Table t, String object, int compared, int inconclusive, Dataset minimal,
                                       Probe probe) throws SQLException {
        Verdict v = inTransaction(probe, minimal);
        if (v.kind() != Kind.FAIL) { // cannot happen unless the database changed under the check
            v = Verdict.fail("a disagreement that did not show again on its own dataset", "");
        }
        String file = "failures/behaviour/" + check + "." + safe(t.datasetName() + "." + object) + ".sql";
        write(file, "-- " + check + " on " + t.datasetName() + " (" + object + "): " + v.detail().replace("\n", "\n-- ")
                + "\n-- Replay: psql -v ON_ERROR_STOP=0 -f " + dir.resolve(file)
                + " on a database migrated with the same migrations (it rolls back)\nBEGIN;\n"
                + (minimal.isEmpty() ? "" : Loader.printSql(catalog, minimal)) + v.script() + "\nROLLBACK;\n");
        SchemaCheck.BehaviourResult r = new SchemaCheck.BehaviourResult(check, t.datasetName(), object, compared, inconclusive, v.detail()
                + (minimal.isEmpty() ? "" : "; minimal dataset of " + minimal.rowCount() + " rows") + "; replay: psql -f "
                + dir.resolve(file), "");
        minimals.put(r, minimal);
        return r;
    }

    Verdict inTransaction(Probe probe, Dataset d) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            return probe.run(d);
        } catch (PSQLException e) {
            return Verdict.skip("error " + e.getSQLState() + ": " + firstLine(e.getMessage()));
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    /**
     * The dataset with every row removed whose removal keeps the disagreement and a dataset the
     * check would draw ({@code usable}: the replay draws it again, and a dataset the check turns
     * down compares nothing there).
     */
    Dataset minimise(Dataset d, java.util.function.Predicate<Dataset> usable, Probe probe) throws SQLException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String table : d.tables()) {
                List<Row> rows = d.rows(table);
                for (int i = rows.size() - 1; i >= 0; i--) {
                    List<Row> fewer = new ArrayList<>(rows);
                    fewer.remove(i);
                    Dataset smaller = d.with(table, fewer);
                    if (usable.test(smaller) && inTransaction(probe, smaller).kind() == Kind.FAIL) {
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

    /** Loads a dataset in the open transaction; false (the transaction is then aborted) when it does not load. */
    boolean load(Dataset d) throws SQLException {
        if (d.isEmpty()) {
            return true;
        }
        try (Statement s = c.createStatement()) {
            s.execute(Loader.sql(catalog, d));
            s.execute("SET CONSTRAINTS ALL IMMEDIATE");
            return true;
        } catch (PSQLException e) {
            return false;
        }
    }

    /** Triggers and foreign-key checks off for the rest of the transaction (superuser only; a no-op otherwise). */
    boolean replica() throws SQLException {
        if (!superuser) {
            return false;
        }
        exec("SET LOCAL session_replication_role = replica");
        return true;
    }

    /** How a statement run under a savepoint went: rows affected, or the error. */
    record Attempt(int count, @Nullable PSQLException error) {
        boolean ok() {
            return error == null;
        }

        String sqlState() {
            return error == null ? "" : String.valueOf(error.getSQLState());
        }

        @Nullable String constraint() {
            return error == null || error.getServerErrorMessage() == null ? null : error.getServerErrorMessage().getConstraint();
        }

        /** The column the error names, if any. */
        @Nullable String column() {
            return error == null || error.getServerErrorMessage() == null ? null : error.getServerErrorMessage().getColumn();
        }

        String message() {
            return error == null ? "" : firstLine(error.getMessage());
        }
    }

    /** Runs SQL under a savepoint: an error rolls back to it and is returned, the transaction stays usable. */
    Attempt attempt(String sql) throws SQLException {
        return attemptAs(null, sql);
    }

    /** {@link #attempt} as a role ({@code SET LOCAL ROLE}, reset afterwards; null: as the check's own user). */
    Attempt attemptAs(@Nullable String role, String sql) throws SQLException {
        exec("SAVEPOINT pgprop_behaviour");
        try (Statement s = c.createStatement()) {
            if (role != null) {
                s.execute("SET LOCAL ROLE " + id(role));
            }
            boolean rs = s.execute(sql);
            int count = rs ? -1 : s.getUpdateCount();
            while (s.getMoreResults() || s.getUpdateCount() != -1) {
                // drain the results of every statement
            }
            if (role != null) {
                s.execute("RESET ROLE");
            }
            exec("RELEASE SAVEPOINT pgprop_behaviour");
            return new Attempt(count, null);
        } catch (PSQLException e) {
            exec("ROLLBACK TO SAVEPOINT pgprop_behaviour");
            return new Attempt(0, e);
        }
    }

    void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Nullable String scalar(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Rows of several text columns. */
    List<List<@Nullable String>> rows(String sql) throws SQLException {
        List<List<@Nullable String>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<@Nullable String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    r.add(rs.getString(i));
                }
                out.add(r);
            }
        }
        return out;
    }

    static String q(Table t) {
        return id(t.schema()) + "." + id(t.name());
    }

    static String id(String column) {
        return dev.pgprop.generators.internal.mutate.Operators.id(column);
    }

    static String lit(@Nullable String text) {
        return text == null ? "NULL" : SqlLiterals.string(text);
    }

    /** {@code jsonb_build_array(a.x, a.y)::text}: a key of any types as one comparable text. */
    static String key(String alias, List<String> columns) {
        StringBuilder b = new StringBuilder("jsonb_build_array(");
        for (int i = 0; i < columns.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(alias).append('.').append(id(columns.get(i)));
        }
        return b.append(")::text").toString();
    }

    /** Columns an INSERT may name (not generated, not identity ALWAYS). */
    static List<Column> writable(Table t) {
        return t.columns().stream().filter(col -> !col.isGenerated() && col.identity() != Column.Identity.ALWAYS).toList();
    }

    void write(String relative, String content) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(relative), e);
        }
    }

    static String firstLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }
}

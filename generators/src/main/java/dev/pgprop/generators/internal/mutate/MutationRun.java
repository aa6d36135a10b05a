package dev.pgprop.generators.internal.mutate;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.engine.Catalog;
import dev.pgprop.dsl.internal.engine.CheckSql;
import dev.pgprop.dsl.internal.report.HtmlReport;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.generators.check.CatalogueEntry;
import dev.pgprop.generators.check.ConstraintCatalogue;
import dev.pgprop.generators.check.SchemaCheck;
import dev.pgprop.generators.check.SchemaViolation;
import dev.pgprop.generators.internal.check.DerivedSource;
import dev.pgprop.generators.mutate.Equivalence;
import dev.pgprop.generators.mutate.Mutant;
import dev.pgprop.generators.mutate.MutantStatus;
import dev.pgprop.generators.mutate.MutationAnalysis;
import dev.pgprop.generators.mutate.MutationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One mutation analysis. The schema check's datasets are drawn once from the original (valid
 * datasets per table, and per catalogue entry violations of it), and how the original takes each
 * is noted. Each mutant is its DDL applied to the migrated schema ({@link MutantHost}: in a
 * transaction rolled back afterwards on its worker's clone of the template, or on a clone of its
 * own); every dataset is loaded into it (its own table's first), and the first one it takes
 * differently from the original kills it. That dataset is then shrunk, row by row, to the fewest rows on which the
 * two still differ.
 */
public final class MutationRun {
    private static final int ATTEMPTS_PER_SAMPLE = 30;

    private final MutationAnalysis a;
    private final Path dir;
    private final MutantHost.Isolation isolation;

    /**
     * The run of an analysis; {@code -Dpgprop.mutate.isolation=clone} gives each mutant a clone of
     * its own instead of a rolled-back transaction on its worker's clone ({@code transaction}, the
     * default).
     */
    public MutationRun(MutationAnalysis analysis) {
        this(analysis, MutantHost.Isolation.valueOf(dev.pgprop.dsl.internal.Settings.fromEnvironment().get("mutate.isolation", "transaction")
                .trim().toUpperCase(java.util.Locale.ROOT)));
    }

    MutationRun(MutationAnalysis analysis, MutantHost.Isolation isolation) {
        this.a = analysis;
        this.dir = analysis.outputDir().resolve("mutation");
        this.isolation = isolation;
    }

    /** A dataset and how the original takes it. */
    record Probe(String killer, String table, Dataset data, String original) {}

    /** What the original schema is, and the probes drawn from it. */
    record Spec(Schema schema, Catalog catalog, @Nullable String constraintsSql, String countsSql, List<Probe> probes,
                java.util.Map<String, RandomGenerator<Dataset>> generators) {}

    public MutationResult run() {
        return run(null);
    }

    /** The run of {@code planted} instead of the mutants of the catalog (when not null). */
    MutationResult run(@Nullable List<Mutant> planted) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try (TestDatabase spec = PgProp.server().createDatabase(a.migrations(), "MutationSpec")) {
            List<Mutant> mutants = planted != null ? planted : a.mutants(spec);
            System.out.println("pgprop mutate: " + a.migrations() + ": " + mutants.size() + " mutants, " + a.workers() + " workers, "
                    + a.tries() + " valid datasets per table, " + a.samples() + " violations per constraint, seed " + a.seed());
            long g0 = System.nanoTime();
            PropertyKiller killer = a.tests().isBlank() ? null : new PropertyKiller(a.tests());
            Spec s = killer != null ? null : draw(spec);
            double generation = (System.nanoTime() - g0) / 1e9;
            if (killer != null) {
                System.out.println("pgprop mutate: the killers are the property classes " + killer.classes() + ", one mutant at a time");
            } else {
                System.out.printf("pgprop mutate: %d datasets drawn from the original in %.1f s%n", s.probes().size(), generation);
            }
            Timings time = new Timings();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            MutationResult.Outcome[] results = new MutationResult.Outcome[mutants.size()];
            int threads = killer != null ? 1 : a.workers();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Worker> all = java.util.Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.Callable<Void>> loops = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                loops.add(() -> {
                    // the behavioural checks draw datasets in this thread: generators need a jqwik session here, one for the
                    // thread's whole run (the sessions of all threads share jqwik's stores: one that ends while another thread
                    // starts makes them race)
                    boolean session = killer == null && !JqwikSession.isActive();
                    if (session) {
                        JqwikSession.start();
                    }
                    try {
                        Worker w = null;
                        for (int k = next.getAndIncrement(); k < mutants.size(); k = next.getAndIncrement()) {
                            Mutant m = mutants.get(k);
                            if (killer != null) {
                                results[k] = properties(m, killer, time);
                            } else {
                                if (w == null) {
                                    long w0 = System.nanoTime();
                                    w = new Worker(PgProp.server().createDatabase(a.migrations(), "MutationSpec"),
                                            MutantHost.of(isolation, a.migrations(), a.timeout()));
                                    all.add(w);
                                    synchronized (MutationRun.class) { // the first generators of a session create jqwik's stores
                                        w.generators(s);
                                    }
                                    time.clone.addAndGet(System.nanoTime() - w0);
                                }
                                results[k] = mutant(m, s, w, time);
                            }
                            progress(done.incrementAndGet(), mutants.size(), results[k], t0);
                        }
                        return null;
                    } finally {
                        if (session) {
                            JqwikSession.finish();
                        }
                    }
                });
            }
            try {
                for (Future<Void> f : pool.invokeAll(loops)) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgPropException("the mutation analysis was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new PgPropException("a mutant could not be run: " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdownNow();
                all.forEach(Worker::close);
            }
            List<MutationResult.Outcome> outcomes = List.of(results);
            double seconds = (System.nanoTime() - t0) / 1e9;
            MutationResult r = new MutationResult(outcomes, dir.resolve("mutants.csv"), seconds, time.clone.get() / 1e9, generation,
                    (time.datasets.get() + time.shrink.get() + time.behaviours.get()) / 1e9);
            MutationOutput.write(r, dir);
            summary(r, time);
            System.out.println("pgprop mutate: report " + HtmlReport.write(a.outputDir(), started).file());
            return r;
        }
    }

    private void progress(int n, int total, MutationResult.Outcome o, long t0) {
        double elapsed = (System.nanoTime() - t0) / 1e9;
        System.out.printf("pgprop mutate: %d of %d %s: %s%s (%.1f s elapsed, about %.0f s left)%n", n, total, o.mutant().id(),
                o.status().word(), o.killedBy().isEmpty() ? "" : " by " + o.killedBy(), elapsed, elapsed / n * (total - n));
    }

    private void summary(MutationResult r, Timings time) {
        System.out.printf("pgprop mutate: %d mutants: %d killed, %d survived, %d equivalent, %d broken, %d timeout; score %.3f;"
                        + " %.1f s (%.1f mutants per minute); %s%n", r.mutants().size(), r.count(MutantStatus.KILLED),
                r.count(MutantStatus.SURVIVED), r.count(MutantStatus.EQUIVALENT), r.count(MutantStatus.BROKEN), r.count(MutantStatus.TIMEOUT),
                r.score(), r.seconds(), r.mutantsPerMinute(), r.csv());
        double busy = r.cloneSeconds() + r.generationSeconds() + r.checkSeconds();
        if (busy > 0) {
            System.out.printf("pgprop mutate: time (summed over workers): cloning, DDL and undoing it %.1f s (%.0f %%), drawing the datasets"
                            + " %.1f s (%.0f %%, once), checks %.1f s (%.0f %%: loading datasets %.1f s, shrinking %.1f s, behavioural"
                            + " checks %.1f s); isolation %s%n", r.cloneSeconds(), 100 * r.cloneSeconds() / busy, r.generationSeconds(),
                    100 * r.generationSeconds() / busy, r.checkSeconds(), 100 * r.checkSeconds() / busy, time.datasets.get() / 1e9,
                    time.shrink.get() / 1e9, time.behaviours.get() / 1e9, isolation.name().toLowerCase(java.util.Locale.ROOT));
        }
        for (MutationResult.Outcome o : r.survivors()) {
            System.out.println("pgprop mutate: SURVIVED " + o.mutant().id() + ": " + o.mutant().description() + "\n    " + o.mutant().ddl());
        }
    }

    // --- the datasets, drawn once ----------------------------------------------------------------

    private Spec draw(TestDatabase spec) {
        boolean session = !JqwikSession.isActive();
        if (session) {
            JqwikSession.start();
        }
        try (Connection c = spec.openConnection()) {
            Schema schema = Schema.read(c);
            Catalog catalog = Catalog.read(c);
            String constraintsSql = CheckSql.constraints(catalog, 1);
            String countsSql = counts(schema);
            ConstraintCatalogue catalogue = ConstraintCatalogue.of(schema);
            SchemaCheck.DatasetSource source = DerivedSource.of(spec);
            List<Probe> probes = new ArrayList<>();
            java.util.Map<String, RandomGenerator<Dataset>> generators = new java.util.HashMap<>();
            for (Table t : schema.tables()) {
                Random random = new Random(a.seed() ^ t.qualifiedName().hashCode());
                RandomGenerator<Dataset> gen;
                try {
                    Arbitrary<Dataset> arbitrary = source.forTable(t);
                    gen = arbitrary.generator(100, true);
                    generators.put(t.datasetName(), gen);
                } catch (RuntimeException e) {
                    System.out.println("pgprop mutate: no datasets for " + t.datasetName() + ": " + e.getMessage());
                    continue;
                }
                List<Dataset> valid = new ArrayList<>();
                for (int i = 0; i < a.tries(); i++) {
                    next(gen, random).ifPresent(valid::add);
                }
                for (Dataset d : valid) {
                    probes.add(new Probe("schema check: a valid dataset of " + t.datasetName(), t.datasetName(), d, original(c, catalog, d,
                            constraintsSql, countsSql)));
                }
                List<Dataset> forEdges = new ArrayList<>(valid);
                // two rows for a duplicate; for two rows equal on all the columns of a composite key but one, three rows whose
                // values differ in each of its columns (two products for two variants that share a variant number)
                List<List<String>> composite = new ArrayList<>();
                t.primaryKey().filter(k -> k.columns().size() >= 2).ifPresent(k -> composite.add(k.columns()));
                t.uniques().stream().filter(u -> u.columns().size() >= 2).forEach(u -> composite.add(u.columns()));
                java.util.function.Predicate<Dataset> enough = d -> {
                    List<Row> rows = d.rows(t.datasetName());
                    return composite.isEmpty() ? rows.size() >= 2 : rows.size() >= 3 && composite.stream().allMatch(cols -> cols.stream()
                            .allMatch(col -> rows.stream().map(r -> r.has(col) ? String.valueOf(r.get(col)) : "").distinct().count() >= 2));
                };
                for (int i = 0; i < ATTEMPTS_PER_SAMPLE && forEdges.stream().noneMatch(enough); i++) {
                    next(gen, random).ifPresent(forEdges::add);
                }
                EdgeProbes.of(schema, t, forEdges, d -> {
                    try {
                        return original(c, catalog, d, constraintsSql, countsSql).startsWith("loaded");
                    } catch (SQLException ex) {
                        return false;
                    }
                }).forEach((label, d) -> {
                    try {
                        probes.add(new Probe("schema check: " + label, t.datasetName(), d, original(c, catalog, d, constraintsSql, countsSql)));
                    } catch (SQLException ex) {
                        throw new PgPropException("loading an edge dataset into the original failed: " + ex.getMessage(), ex);
                    }
                });
                for (CatalogueEntry e : catalogue.entries(t.datasetName())) {
                    if (e.unreachable() != null) {
                        continue;
                    }
                    for (int sample = 0; sample < a.samples(); sample++) {
                        Optional<SchemaViolation> v = Optional.empty();
                        for (int attempt = 0; attempt < ATTEMPTS_PER_SAMPLE && v.isEmpty(); attempt++) {
                            Optional<Dataset> d = next(gen, random);
                            if (d.isPresent()) {
                                v = catalogue.violate(e, d.get(), c);
                            }
                        }
                        if (v.isPresent()) {
                            Dataset invalid = v.get().invalid();
                            probes.add(new Probe("schema check: " + e.kind() + " " + e.name() + " (" + v.get().change() + ")", t.datasetName(),
                                    invalid, original(c, catalog, invalid, constraintsSql, countsSql)));
                        }
                    }
                }
            }
            return new Spec(schema, catalog, constraintsSql, countsSql, probes, generators);
        } catch (SQLException e) {
            throw new PgPropException("drawing the datasets for the mutation analysis failed: " + e.getMessage(), e);
        } finally {
            if (session) {
                JqwikSession.finish();
            }
        }
    }

    private static String original(Connection c, Catalog catalog, Dataset d, @Nullable String constraintsSql, String countsSql)
            throws SQLException {
        return outcome(c, LoadSql.of(catalog, d), constraintsSql, countsSql);
    }

    private static Optional<Dataset> next(RandomGenerator<Dataset> gen, Random random) {
        try {
            return Optional.of(gen.next(random).value());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * One query: every table's row count and a digest of its rows (the columns whose values do not
     * depend on when or how often they are drawn: no default that calls a function or reads the
     * clock, no identity), so that a trigger, a cascade or a default that changes what is stored
     * shows.
     */
    static String counts(Schema schema) {
        List<String> parts = new ArrayList<>();
        for (Table t : schema.tables()) {
            List<String> cols = t.columns().stream().filter(MutationRun::stable).map(c -> Operators.id(c.name())).toList();
            String digest = cols.isEmpty() ? "''" : "coalesce(md5(string_agg(x, ',' ORDER BY x)), '')";
            String rows = cols.isEmpty() ? "SELECT 1 AS x FROM " + Operators.qualified(t)
                    : "SELECT ROW(" + String.join(", ", cols) + ")::text AS x FROM " + Operators.qualified(t);
            parts.add("(SELECT " + dev.pgprop.dsl.internal.SqlLiterals.string(t.datasetName()) + "::text || '=' || count(*) || ':' || "
                    + digest + " FROM (" + rows + ") s)");
        }
        return parts.isEmpty() ? "SELECT ''" : "SELECT concat_ws(' ', " + String.join(", ", parts) + ")";
    }

    private static boolean stable(dev.pgprop.dsl.schema.Column c) {
        if (c.identity() != dev.pgprop.dsl.schema.Column.Identity.NONE) {
            return false;
        }
        String d = c.defaultExpression().orElse("");
        return !d.matches("(?s).*[A-Za-z_]\\(.*") && !d.matches("(?is).*\\b(CURRENT_|LOCALTIME|SESSION_USER|USER\\b).*");
    }

    /**
     * How a database takes a dataset's SQL, in words that compare: {@code refused 23514
     * constraint qty_positive}, or {@code loaded; rows: a=2 b=1} (with the first constraint the
     * state breaks, when constraintsHold finds one). In a transaction that is rolled back.
     */
    static String outcome(Connection c, String sql, @Nullable String constraintsSql, String countsSql) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            try {
                s.execute(sql);
                s.execute("SET CONSTRAINTS ALL IMMEDIATE");
                String broken = "";
                if (constraintsSql != null) {
                    try (ResultSet rs = s.executeQuery(constraintsSql)) {
                        if (rs.next()) {
                            broken = "; constraintsHold: " + rs.getString(1) + " " + rs.getString(2) + " violated";
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery(countsSql)) {
                    rs.next();
                    return "loaded" + broken + "; rows: " + rs.getString(1);
                }
            } catch (PSQLException e) {
                ServerErrorMessage m = e.getServerErrorMessage();
                String constraint = m == null ? null : m.getConstraint();
                String column = m == null ? null : m.getColumn();
                return "refused " + e.getSQLState() + (constraint != null ? " constraint " + constraint : "")
                        + (column != null ? " column " + column : "");
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    // --- one mutant -------------------------------------------------------------------------------

    /** Where the time of the mutants goes, summed over the workers (nanoseconds). */
    static final class Timings {
        final AtomicLong clone = new AtomicLong();
        final AtomicLong datasets = new AtomicLong();
        final AtomicLong shrink = new AtomicLong();
        final AtomicLong behaviours = new AtomicLong();
    }

    /**
     * A worker's own copy of the original (for shrinking), its connection, the generators of the
     * behavioural checks and where it makes its mutants.
     */
    private final class Worker implements AutoCloseable {
        final TestDatabase spec;
        final MutantHost host;
        private @Nullable Connection sc;
        private java.util.@Nullable Map<String, RandomGenerator<Dataset>> gens;

        Worker(TestDatabase spec, MutantHost host) {
            this.spec = spec;
            this.host = host;
        }

        Connection original() {
            if (sc == null) {
                sc = spec.openConnection();
            }
            return sc;
        }

        /**
         * The datasets of each table for the behavioural checks, made in the worker's thread from its
         * own copy of the original (a generator drawn from in another thread than the one that made
         * it, outside its jqwik session, fails on every draw: the checks then compared nothing).
         */
        java.util.Map<String, RandomGenerator<Dataset>> generators(Spec s) {
            if (gens == null) {
                gens = new java.util.HashMap<>();
                SchemaCheck.DatasetSource source = DerivedSource.of(spec);
                for (Table t : s.schema().tables()) {
                    if (s.generators().containsKey(t.datasetName())) {
                        gens.put(t.datasetName(), source.forTable(t).generator(100, true));
                    }
                }
            }
            return gens;
        }

        @Override
        public void close() {
            host.close();
            MutantHost.drop(sc, spec);
        }
    }

    private MutationResult.Outcome mutant(Mutant m, Spec s, Worker w, Timings time) {
        long start = System.nanoTime();
        Equivalence eq = m.equivalence();
        if (eq.equivalent()) {
            return new MutationResult.Outcome(m, MutantStatus.EQUIVALENT, "", -1, null, "", 0, eq.rule() + ": " + eq.reason());
        }
        String undecided = eq.verdict() == Equivalence.Verdict.UNDECIDED ? "equivalence undecided (" + eq.rule() + "): " + eq.reason() : "";
        java.util.Map<String, RandomGenerator<Dataset>> gens = w.generators(s);
        try {
            Connection mc;
            try {
                mc = w.host.apply(m);
            } catch (SQLException e) {
                return new MutationResult.Outcome(m, MutantStatus.BROKEN, "", -1, null, "", seconds(start),
                        "its DDL fails on the migrated database: " + e.getSQLState() + " " + firstLine(e.getMessage()));
            } finally {
                time.clone.addAndGet(System.nanoTime() - start);
            }
            return checks(m, s, w.original(), mc, gens, start, undecided, time);
        } finally {
            long r0 = System.nanoTime();
            String trace = w.host.release();
            time.clone.addAndGet(System.nanoTime() - r0);
            if (trace != null) {
                System.out.println("pgprop mutate: " + m.id() + " left a trace in the worker's database, which is cloned again: " + trace);
                leaks.add(m.id());
            }
        }
    }

    /** Mutants that left a trace in their worker's database (each then replaced by a fresh clone). */
    final List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());

    private MutationResult.Outcome checks(Mutant m, Spec s, Connection sc, Connection mc, java.util.Map<String, RandomGenerator<Dataset>> gens,
                                          long start, String undecided, Timings time) {
        long c0 = System.nanoTime();
        long shrinking = 0;
        long behaving = 0;
        try {
            String check = behaviour(m.operator());
            if (check != null) {
                long b0 = System.nanoTime();
                try {
                    MutationResult.Outcome b = behaviours(m, s, gens, mc, start, check);
                    if (b != null) {
                        return b;
                    }
                } catch (RuntimeException e) {
                    // the whole battery below runs it again and says why
                } finally {
                    behaving += System.nanoTime() - b0;
                }
            }
            List<Probe> ordered = targeted(m, s.probes());
            List<String> killers = new ArrayList<>();
            Dataset minimal = null;
            String[] difference = null;
            for (Probe p : ordered) {
                if (System.nanoTime() - start > a.timeout().toNanos()) {
                    return new MutationResult.Outcome(m, MutantStatus.TIMEOUT, String.join("; ", killers), -1, null, "", seconds(start),
                            "stopped after " + a.timeout().toSeconds() + " s");
                }
                String got = outcome(mc, LoadSql.of(s.catalog(), p.data()), s.constraintsSql(), s.countsSql());
                if (got.equals(p.original())) {
                    continue;
                }
                if (!killers.contains(p.killer())) {
                    killers.add(p.killer());
                }
                if (minimal == null) {
                    long s0 = System.nanoTime();
                    minimal = shrink(p.data(), s, sc, mc, kind(p.original()), kind(got));
                    String sql = LoadSql.of(s.catalog(), minimal);
                    difference = new String[] {outcome(sc, sql, s.constraintsSql(), s.countsSql()),
                            outcome(mc, sql, s.constraintsSql(), s.countsSql())};
                    shrinking += System.nanoTime() - s0;
                }
                if (!a.allKillers()) {
                    break;
                }
            }
            if (minimal == null) {
                long b0 = System.nanoTime();
                MutationResult.Outcome b;
                try {
                    b = behaviours(m, s, gens, mc, start, null);
                } catch (RuntimeException e) { // a behavioural check that cannot run on this mutant kills nothing
                    b = null;
                    undecided = (undecided.isEmpty() ? "" : undecided + "; ") + "behavioural checks could not run: " + e.getMessage();
                } finally {
                    behaving += System.nanoTime() - b0;
                }
                return b != null ? b : new MutationResult.Outcome(m, MutantStatus.SURVIVED, "", -1, null, "", seconds(start), undecided);
            }
            Path file = MutationOutput.killed(dir, m, s.catalog(), minimal, difference);
            return new MutationResult.Outcome(m, MutantStatus.KILLED, String.join("; ", killers), minimal.rowCount(), file, replay(m),
                    seconds(start), "the original: " + difference[0] + "; the mutant: " + difference[1]);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                return new MutationResult.Outcome(m, MutantStatus.TIMEOUT, "", -1, null, "", seconds(start), "a statement took longer than "
                        + a.timeout().toSeconds() + " s");
            }
            throw new PgPropException("mutant " + m.id() + " could not be run: " + e.getMessage(), e);
        } finally {
            time.shrink.addAndGet(shrinking);
            time.behaviours.addAndGet(behaving);
            time.datasets.addAndGet(System.nanoTime() - c0 - shrinking - behaving);
        }
    }

    /**
     * The behavioural check that judges a mutant of this operator, run on its own table before any
     * dataset is loaded (no dataset loaded by the owner can show an action, a policy, a grant);
     * null for the operators a dataset kills.
     */
    static @Nullable String behaviour(String operator) {
        if (operator.startsWith("fk.on-")) {
            return "fk-action";
        }
        if (operator.startsWith("rls.") || operator.startsWith("policy.")) {
            return "rls";
        }
        if (operator.startsWith("grant.")) {
            return "grant";
        }
        return operator.startsWith("default.") ? "default" : null;
    }

    /**
     * The probes in the order most likely to kill the mutant soon: its own table's that name the
     * changed object (the violation of that constraint, the edges of that bound), then its own
     * table's, then the others; the drawing order otherwise. The order decides which kill is found
     * first, not whether one is.
     */
    static List<Probe> targeted(Mutant m, List<Probe> probes) {
        List<Probe> ordered = new ArrayList<>(probes);
        ordered.sort(Comparator.comparingInt(p -> !p.table().equals(m.table()) ? 2 : !m.object().isEmpty() && p.killer().contains(m.object()) ? 0 : 1));
        return ordered;
    }

    private static final java.util.regex.Pattern SCRIPT = java.util.regex.Pattern.compile("replay: psql -f (\\S+)");

    /**
     * The schema check's behavioural checks (foreign-key actions, defaults, row-level security,
     * grants, rollbacks), the original schema as what is declared and the mutant as what the
     * database does: on the mutant's table, then on the tables it references and that reference it.
     * The first disagreement kills. Null when none shows.
     */
    private MutationResult.@Nullable Outcome behaviours(Mutant m, Spec s, java.util.Map<String, RandomGenerator<Dataset>> gens, Connection mc,
                                                         long start, @Nullable String only) throws SQLException {
        List<Table> tables = new ArrayList<>();
        Table own = s.schema().hasTable(m.table()) ? s.schema().table(m.table()) : null;
        if (own == null) {
            return null;
        }
        tables.add(own);
        for (Table t : only != null ? List.<Table>of() : s.schema().tables()) {
            boolean related = own.foreignKeys().stream().anyMatch(fk -> fk.referencedQualifiedName().equals(t.qualifiedName()))
                    || t.foreignKeys().stream().anyMatch(fk -> fk.referencedQualifiedName().equals(own.qualifiedName()));
            if (related && !tables.contains(t)) {
                tables.add(t);
            }
        }
        dev.pgprop.generators.internal.check.Behaviours b = new dev.pgprop.generators.internal.check.Behaviours(s.schema(), mc, s.catalog(),
                dir.resolve("behaviour").resolve(MutationOutput.safe(m.id())), a.samples()).withGenerators(x -> gens.get(x.datasetName()));
        if (only != null) {
            b.onlyCheck(only);
        }
        for (Table t : tables) {
            for (SchemaCheck.BehaviourResult r : b.table(t, gens.get(t.datasetName()), new Random(a.seed() ^ t.qualifiedName().hashCode()))) {
                if (r.passed()) {
                    continue;
                }
                Dataset minimal = b.minimalOf(r); // not the last one written: a later role's may follow it
                java.util.regex.Matcher script = SCRIPT.matcher(r.problem());
                String psql = script.find() ? "; the statements that show it: psql -v ON_ERROR_STOP=0 -f " + script.group(1)
                        + " on a database migrated with the same migrations and then the mutant's DDL (mutation/ddl.csv)" : "";
                Path file = minimal == null ? null : MutationOutput.behaviourKilled(dir, m, s.catalog(), r, minimal);
                return new MutationResult.Outcome(m, MutantStatus.KILLED, "schema check: " + r.check() + " on " + r.table() + " (" + r.object() + ")",
                        minimal == null ? 0 : minimal.rowCount(), file, replay(m), seconds(start), r.problem() + psql);
            }
        }
        return null;
    }

    /** A mutant judged by the user's property classes. */
    private MutationResult.Outcome properties(Mutant m, PropertyKiller killer, Timings time) {
        long start = System.nanoTime();
        Equivalence eq = m.equivalence();
        if (eq.equivalent()) {
            return new MutationResult.Outcome(m, MutantStatus.EQUIVALENT, "", -1, null, "", 0, eq.rule() + ": " + eq.reason());
        }
        try (TestDatabase mdb = PgProp.server().createDatabase(a.migrations(), "Mutant"); Connection mc = mdb.openConnection();
             Statement st = mc.createStatement()) {
            st.execute(m.ddl());
        } catch (SQLException e) {
            return new MutationResult.Outcome(m, MutantStatus.BROKEN, "", -1, null, "", seconds(start),
                    "its DDL fails on the migrated database: " + e.getSQLState() + " " + firstLine(e.getMessage()));
        } finally {
            time.clone.addAndGet(System.nanoTime() - start);
        }
        long c0 = System.nanoTime();
        List<PropertyKiller.Kill> kills = killer.run(m, a.allKillers());
        time.behaviours.addAndGet(System.nanoTime() - c0);
        if (kills.isEmpty()) {
            String undecided = eq.verdict() == Equivalence.Verdict.UNDECIDED ? "equivalence undecided (" + eq.rule() + "): " + eq.reason() : "";
            return new MutationResult.Outcome(m, MutantStatus.SURVIVED, "", -1, null, "", seconds(start), undecided);
        }
        PropertyKiller.Kill k = kills.get(0);
        return new MutationResult.Outcome(m, MutantStatus.KILLED, String.join("; ", kills.stream().map(PropertyKiller.Kill::killer).toList()),
                k.rows(), k.sql(), k.replay(), seconds(start), "");
    }

    /** The dataset with every row removed that the original and the mutant do not need to take it differently. */
    private static Dataset shrink(Dataset d, Spec s, Connection sc, Connection mc, String original, String mutant) throws SQLException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String table : d.tables()) {
                List<Row> rows = d.rows(table);
                for (int i = rows.size() - 1; i >= 0; i--) {
                    List<Row> fewer = new ArrayList<>(rows);
                    fewer.remove(i);
                    Dataset smaller = d.with(table, fewer);
                    String sql = LoadSql.of(s.catalog(), smaller);
                    String o = outcome(sc, sql, s.constraintsSql(), s.countsSql());
                    if (!kind(o).equals(original)) {
                        continue; // the original takes it otherwise: the mutant's side need not be asked
                    }
                    String m = outcome(mc, sql, s.constraintsSql(), s.countsSql());
                    if (!o.equals(m) && kind(m).equals(mutant)) {
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

    /** An outcome without its row counts: a shrink step must keep how each side takes the dataset. */
    static String kind(String outcome) {
        int i = outcome.indexOf("; rows: ");
        return i < 0 ? outcome : outcome.substring(0, i);
    }

    /** The command that replays a killed mutant's minimal dataset in one try. */
    private String replay(Mutant m) {
        StringBuilder b = new StringBuilder("./pgprop mutate");
        for (String arg : a.migrations().systemPropertyArgs()) {
            b.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        if (!a.outputDir().equals(Path.of("target/pgprop"))) {
            b.append(" '-Dpgprop.outputDir=").append(a.outputDir().toAbsolutePath()).append('\'');
        }
        return b.append(" '-Dpgprop.mutate.replay=").append(m.id()).append('\'').toString();
    }

    // --- replay ------------------------------------------------------------------------------------

    public MutationAnalysis.Replay replay(String id) {
        Path file = MutationOutput.killedFile(dir, id);
        String sql;
        try {
            sql = Files.readString(file);
        } catch (IOException e) {
            throw new PgPropException("no minimal dataset for mutant " + id + " at " + file.toAbsolutePath()
                    + "; run ./pgprop mutate first (a mutant that was not killed has none)", e);
        }
        try (TestDatabase spec = PgProp.server().createDatabase(a.migrations(), "MutationSpec")) {
            Mutant m = a.withOnly(id).mutants(spec).stream().findFirst().orElseThrow(() -> new PgPropException("no mutant '" + id
                    + "' in " + a.migrations() + "; ids are listed in " + dir.resolve("mutants.csv")));
            try (TestDatabase mdb = PgProp.server().createDatabase(a.migrations(), "Mutant"); Connection mc = mdb.openConnection();
                 Connection sc = spec.openConnection()) {
                Schema schema = Schema.read(sc);
                Catalog catalog = Catalog.read(sc);
                String constraintsSql = CheckSql.constraints(catalog, 1);
                String counts = counts(schema);
                try (Statement st = mc.createStatement()) {
                    st.execute(m.ddl());
                }
                MutationOutput.StoredBehaviour stored = MutationOutput.storedBehaviour(dir, id);
                if (stored != null) {
                    return new MutationAnalysis.Replay(id, behave(sc, schema, catalog, stored), behave(mc, schema, catalog, stored));
                }
                return new MutationAnalysis.Replay(id, outcome(sc, sql, constraintsSql, counts), outcome(mc, sql, constraintsSql, counts));
            }
        } catch (SQLException e) {
            throw new PgPropException("replaying mutant " + id + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The behavioural check that killed a mutant, once, on its stored minimal dataset (every draw
     * is that dataset), the original schema as what is declared: how the database behaved.
     */
    private String behave(Connection c, Schema schema, Catalog catalog, MutationOutput.StoredBehaviour stored) throws SQLException {
        if (!schema.hasTable(stored.table())) {
            return "no table " + stored.table();
        }
        RandomGenerator<Dataset> one = random -> net.jqwik.api.Shrinkable.unshrinkable(stored.dataset());
        dev.pgprop.generators.internal.check.Behaviours b = new dev.pgprop.generators.internal.check.Behaviours(schema, c, catalog,
                dir.resolve("replay"), 1).onlyCheck(stored.check()).withGenerators(t -> one);
        for (SchemaCheck.BehaviourResult r : b.table(schema.table(stored.table()), one, new Random(a.seed()))) {
            if (r.object().equals(stored.object())) {
                if (!r.passed()) {
                    System.out.println("pgprop mutate: " + stored.check() + " " + stored.object() + ": " + r.problem());
                }
                return r.passed() ? "behaves as declared (" + stored.check() + " " + stored.object() + ")"
                        : "does not behave as declared (" + stored.check() + " " + stored.object() + ")";
            }
        }
        return "not compared (" + stored.check() + " " + stored.object() + ")";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String firstLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    static void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}

package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.Row;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Serial replays of an interleaving's committed sessions (behind {@code concurrency.SerialEquivalence}).
 * Inside one transaction on the try's main session, rolled back at the end, the state the
 * interleaving started from is rebuilt: the template state ({@link ClassDatabase#templateStateSql}),
 * then the try's dataset loaded as the try loaded it ({@link Loader#loadForTry}). The sessions'
 * steps are then replayed one session after another; each session replays in a savepoint, so the
 * orders that share a prefix share its replay. Sequences are not transactional: they are put back
 * by hand after each rollback, and to what the interleaving left at the end.
 *
 * <p>The compared state is one query: every compared table or query as a sorted {@code text[]} of
 * its rows ({@code row::text}), so it works on any column type and compares rows as a multiset.
 */
public final class SerialOrders implements AutoCloseable {
    private static final String OUTER = "pgprop_serial";

    /** What a step gave: its rows (a query; compared as a multiset), its update count, or its error. */
    public record Seen(boolean query, List<Row> rows, int updateCount, @Nullable String error) {
        public Seen {
            rows = List.copyOf(rows);
        }

        /** What the step gave in the interleaving. */
        public static Seen of(InterleavingOutcome.StepOutcome s) {
            String error = s.status() == InterleavingOutcome.Status.DONE ? null : s.result();
            return new Seen(s.query(), s.rows(), s.updateCount(), error);
        }

        public boolean sameAs(Seen o) {
            if (!Objects.equals(error, o.error) || query != o.query) {
                return false;
            }
            return query ? counts(rows).equals(counts(o.rows)) : updateCount == o.updateCount;
        }

        @Override
        public String toString() {
            return error != null ? "error: " + error : query ? rows.toString() : updateCount + " row(s)";
        }

        private static Map<Row, Integer> counts(List<Row> rows) {
            Map<Row, Integer> m = new HashMap<>();
            rows.forEach(r -> m.merge(r, 1, Integer::sum));
            return m;
        }
    }

    /** One replay: what each replayed step gave (by its index in the interleaving), and the compared state after it. */
    public record Replay(Map<Integer, Seen> steps, List<List<String>> state) {}

    /** An order that did not give what the interleaving gave, with the first difference. */
    public record Miss(List<String> order, String difference) {}

    /**
     * The first order that gives what the interleaving gave (null: none), the first {@value
     * #MISSES_KEPT} orders (or prefixes) that did not, how many did not, and the replays spent.
     */
    public record Search(@Nullable List<String> order, List<Miss> misses, int missed, int replays) {}

    /** Orders that did not fit kept for the report; the rest are only counted. */
    public static final int MISSES_KEPT = 100;

    /** The search spent its budget of session replays without an answer. */
    public static final class BudgetExceeded extends IllegalStateException {
        BudgetExceeded(String message) {
            super(message);
        }
    }

    private final TryState st;
    private final Connection c;
    private final InterleavingOutcome outcome;
    private final List<String> labels;
    private final @Nullable String stateSql;
    private final @Nullable String sequencesSql;
    private final List<Catalog.Sequence> sequences;
    private final boolean compareReads;
    private final int budget;
    private final boolean ownTransaction;
    private final List<List<String>> actual;
    private final List<Object> sequencesAfter;
    private List<List<String>> start = List.of();
    private int replays;
    private int missed;
    private int depth;
    private boolean open;

    private SerialOrders(TryState st, Connection c, InterleavingOutcome outcome, List<String> labels, @Nullable String stateSql,
                         boolean compareReads, int budget) throws SQLException {
        this.st = st;
        this.c = c;
        this.outcome = outcome;
        this.labels = List.copyOf(labels);
        this.stateSql = stateSql;
        this.sequences = st.classDatabase().catalog().sequences();
        this.sequencesSql = sequencesSql(sequences);
        this.compareReads = compareReads;
        this.budget = budget;
        this.actual = state();
        this.sequencesAfter = sequenceValues();
        this.ownTransaction = c.getAutoCommit();
        if (ownTransaction) {
            c.setAutoCommit(false);
        } else {
            execute("SAVEPOINT " + OUTER);
        }
        open = true;
    }

    /**
     * Opens the replays on {@code c} (the try's main session): reads what the interleaving left,
     * then rebuilds its start state in a transaction of its own (a savepoint when {@code c} is in
     * one already). {@code tables} and {@code queries} are what is compared; both empty: every
     * table of the database.
     */
    public static SerialOrders open(TryState st, Connection c, Dataset given, InterleavingOutcome outcome, List<String> tables,
                                    List<String> queries, boolean compareReads, int budget) {
        ClassDatabase cls = st.classDatabase();
        if (st.scenarios() > 1) {
            throw new IllegalStateException("serial replays start from the dataset given, but this is scenario "
                    + st.scenarios() + " of the try, which starts from what the earlier ones left; check the interleaving"
                    + " in a property (or try) of its own");
        }
        if (st.mode() == TryState.Mode.TEMPLATE && cls.hasSeededTables()) {
            throw new IllegalStateException("serial replays rebuild the template state from the class database's snapshot of"
                    + " the tables the migrations seeded, which a template clone lacks; run this property with isolation"
                    + " AUTO or DELETE");
        }
        Catalog catalog = cls.catalog();
        List<String> labels = new ArrayList<>();
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        List<String> compared = tables.isEmpty() && queries.isEmpty()
                ? catalog.tables().stream().map(t -> t.schema() + "." + t.name()).toList() : tables;
        for (String name : compared) {
            Catalog.Table t = catalog.table(name);
            labels.add(t.schema().equals("public") ? t.name() : t.schema() + "." + t.name());
            select.add("ARRAY(SELECT x::text FROM " + t.qualified() + " x ORDER BY 1)");
        }
        for (String q : queries) {
            String sql = q.strip();
            while (sql.endsWith(";")) {
                sql = sql.substring(0, sql.length() - 1).strip();
            }
            labels.add(sql);
            select.add("ARRAY(SELECT q::text FROM (" + sql + ") q ORDER BY 1)");
        }
        SerialOrders orders;
        try {
            orders = new SerialOrders(st, c, outcome, labels, labels.isEmpty() ? null : select.toString(), compareReads, budget);
        } catch (SQLException e) {
            throw new PgPropException("serial replays: reading the state the interleaving left failed: " + PgError.of(e), e);
        }
        try {
            String reset = cls.templateStateSql();
            String sequencesReset = cls.sequenceResetSql();
            if (!reset.isEmpty() || !sequencesReset.isEmpty()) {
                orders.execute(reset + (sequencesReset.isEmpty() ? "" : sequencesReset + ";"));
            }
            Loader.loadForTry(c, catalog, given, true, cls.migrations().placeholders(), null, () -> { });
            orders.start = orders.state();
            return orders;
        } catch (RuntimeException e) {
            orders.close();
            throw e;
        }
    }

    /** The compared items' names: tables, then queries. */
    public List<String> labels() {
        return labels;
    }

    /** The compared state the interleaving left. */
    public List<List<String>> actual() {
        return actual;
    }

    /** The compared state the interleaving started from. */
    public List<List<String>> start() {
        return start;
    }

    public int replays() {
        return replays;
    }

    /**
     * Depth-first over the orders of {@code sessions}: an order is abandoned at the first step
     * whose result differs from the interleaving's (when reads are compared) or that fails; a
     * complete order must leave the compared state the interleaving left.
     *
     * @throws BudgetExceeded after more session replays than the budget, with no order found
     */
    public Search search(List<String> sessions) {
        List<Miss> misses = new ArrayList<>();
        missed = 0;
        List<String> found = find(sessions, new ArrayList<>(), misses);
        return new Search(found, misses, missed, replays);
    }

    private @Nullable List<String> find(List<String> remaining, List<String> prefix, List<Miss> misses) {
        if (remaining.isEmpty()) {
            List<List<String>> serial = state();
            if (serial.equals(actual)) {
                return List.copyOf(prefix);
            }
            miss(misses, prefix, stateDifference(serial));
            return null;
        }
        for (String session : remaining) {
            if (++replays > budget) {
                throw new BudgetExceeded(replays - 1 + " session replays found no serial order of " + sessionsOf(remaining, prefix)
                        + " yet (the budget is " + budget + "); shorten the interleaving, or raise the budget");
            }
            List<String> order = new ArrayList<>(prefix);
            order.add(session);
            List<String> rest = new ArrayList<>(remaining);
            rest.remove(session);
            List<String> found = inSavepoint(() -> {
                String difference = replay(session, new LinkedHashMap<>(), compareReads);
                if (difference != null) {
                    miss(misses, order, difference);
                    return null;
                }
                return find(rest, order, misses);
            });
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private void miss(List<Miss> misses, List<String> order, String difference) {
        if (++missed <= MISSES_KEPT) {
            misses.add(new Miss(List.copyOf(order), difference));
        }
    }

    private static List<String> sessionsOf(List<String> remaining, List<String> prefix) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(remaining);
        return all;
    }

    /**
     * Replays {@code order} from the start state to its end and rolls it back: what each step gave
     * and the state left. A session whose step fails serially is rolled back and the next goes on.
     */
    public Replay replayAll(List<String> order) {
        return Objects.requireNonNull(inSavepoint(() -> {
            Map<Integer, Seen> seen = new LinkedHashMap<>();
            for (String session : order) {
                execute("SAVEPOINT pgprop_session");
                execute((replay(session, seen, false) != null ? "ROLLBACK TO" : "RELEASE") + " SAVEPOINT pgprop_session");
            }
            return new Replay(seen, state());
        }));
    }

    /**
     * Runs one session's steps; returns the first difference from the interleaving (when {@code
     * compare}) or failure, null when none. What each step gave goes to {@code seen}.
     */
    private @Nullable String replay(String session, Map<Integer, Seen> seen, boolean compare) {
        for (Interleaving.Step step : outcome.interleaving().stepsOf(session)) {
            if (step.ends()) {
                continue;
            }
            Seen got;
            try {
                if (step.kind() == Interleaving.Kind.ACTION) {
                    Objects.requireNonNull(step.action()).run(Views.tx(st.pool().handle(c), outcome.session(session).number()));
                    got = new Seen(false, List.of(), -1, null);
                } else {
                    InterleavingRunner.Executed e = InterleavingRunner.executeSql(c, step);
                    got = new Seen(e.query(), e.rows(), e.updateCount(), null);
                }
            } catch (Exception e) {
                String error = PgError.classify(e).map(PgError::toString).orElse(e.toString());
                seen.put(step.index(), new Seen(false, List.of(), -1, error));
                return "#" + step.index() + " " + session + ": " + step.describe() + " fails serially: " + error;
            }
            seen.put(step.index(), got);
            if (compare && step.kind() == Interleaving.Kind.SQL) {
                Seen was = Seen.of(outcome.step(step.index()));
                if (!was.sameAs(got)) {
                    return "#" + step.index() + " " + session + ": " + step.describe() + " gave " + was + ", serially " + got;
                }
            }
        }
        return null;
    }

    private interface Body<T> {
        @Nullable T run();
    }

    /** Runs {@code body} in a savepoint and rolls it back (sequences too), whatever happens. */
    private <T> @Nullable T inSavepoint(Body<T> body) {
        String sp = "pgprop_order_" + depth++;
        List<Object> sequencesBefore = sequenceValues();
        execute("SAVEPOINT " + sp);
        try {
            return body.run();
        } finally {
            depth--;
            execute("ROLLBACK TO SAVEPOINT " + sp);
            setSequences(sequencesBefore);
        }
    }

    private String stateDifference(List<List<String>> serial) {
        for (int i = 0; i < labels.size(); i++) {
            if (!serial.get(i).equals(actual.get(i))) {
                List<String> onlyActual = minus(actual.get(i), serial.get(i));
                List<String> onlySerial = minus(serial.get(i), actual.get(i));
                return "final " + labels.get(i) + ": " + (onlyActual.isEmpty() ? "" : "the interleaving left " + onlyActual)
                        + (onlyActual.isEmpty() || onlySerial.isEmpty() ? "" : ", ")
                        + (onlySerial.isEmpty() ? "" : "serially " + onlySerial);
            }
        }
        return "final state differs";
    }

    /** The rows of {@code a} not in {@code b} (as multisets). */
    public static List<String> minus(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(b);
        List<String> out = new ArrayList<>();
        for (String s : a) {
            if (!rest.remove(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private List<List<String>> state() {
        if (stateSql == null) {
            return List.of();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(stateSql)) {
            rs.next();
            List<List<String>> out = new ArrayList<>();
            for (int i = 1; i <= labels.size(); i++) {
                Array a = rs.getArray(i);
                out.add(a == null ? List.of() : java.util.Arrays.asList((String[]) a.getArray()));
            }
            return out;
        } catch (SQLException e) {
            throw new PgPropException("serial replays: reading the compared state failed: " + PgError.of(e)
                    + "; state query: " + stateSql, e);
        }
    }

    private static @Nullable String sequencesSql(List<Catalog.Sequence> sequences) {
        if (sequences.isEmpty()) {
            return null;
        }
        StringJoiner j = new StringJoiner(", ", "SELECT ", "");
        for (Catalog.Sequence s : sequences) {
            j.add("(SELECT last_value FROM " + s.qualified() + ")");
            j.add("(SELECT is_called FROM " + s.qualified() + ")");
        }
        return j.toString();
    }

    private List<Object> sequenceValues() {
        if (sequencesSql == null) {
            return List.of();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sequencesSql)) {
            rs.next();
            List<Object> out = new ArrayList<>();
            for (int i = 1; i <= sequences.size() * 2; i++) {
                out.add(rs.getObject(i));
            }
            return out;
        } catch (SQLException e) {
            throw new PgPropException("serial replays: reading the sequences failed: " + PgError.of(e), e);
        }
    }

    private void setSequences(List<Object> values) {
        if (values.isEmpty()) {
            return;
        }
        StringJoiner j = new StringJoiner(", ", "SELECT ", "");
        for (int i = 0; i < sequences.size(); i++) {
            j.add("setval(" + dev.pgprop.dsl.internal.Escape.sqlString(sequences.get(i).qualified()) + ", " + values.get(2 * i)
                    + ", " + values.get(2 * i + 1) + ")");
        }
        execute(j.toString());
    }

    private void execute(String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new PgPropException("serial replays: " + PgError.of(e) + " in: " + sql, e);
        }
    }

    /** Rolls the replays back, and puts the sequences back to what the interleaving left. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            if (ownTransaction) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                execute("ROLLBACK TO SAVEPOINT " + OUTER + "; RELEASE SAVEPOINT " + OUTER);
            }
            setSequences(sequencesAfter);
        } catch (SQLException e) {
            throw new PgPropException("serial replays: rolling back failed: " + PgError.of(e), e);
        }
    }
}

package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.engine.SerialOrders;
import dev.pgprop.dsl.internal.engine.SerialOrders.Replay;
import dev.pgprop.dsl.internal.engine.SerialOrders.Seen;
import dev.pgprop.dsl.internal.engine.Views;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Whether an interleaving you ran is equivalent to a serial one: some order of its committed
 * sessions, each run alone from the state the interleaving started from, gives what every
 * statement of theirs gave in the interleaving (rows read, rows updated) and leaves the same
 * final state. Works on any schema: the compared state is every table of the database (each as
 * a multiset of rows), or the tables and queries you name.
 *
 * <pre>{@code
 * Interleaving transfer = Interleaving.of(TransactionIsolationLevel.REPEATABLE_READ, "T1", "T2")
 *     .step("T1", "select balance from account where id = 1")
 *     .step("T2", "select balance from account where id = 1")
 *     .step("T1", "update account set balance = 90 where id = 1")
 *     .step("T2", "update account set balance = 80 where id = 1")
 *     .commit("T1").commit("T2");
 * db.given(accounts).whenInterleaved(transfer)
 *     .then(SerialEquivalence.ofEveryTable().invariant());        // or HistoryInvariants.serialEquivalent()
 *
 * // clocks and generated keys differ between a replay and the interleaving: compare what they do not touch
 * SerialEquivalence.ofEveryTable().queries("select id, sku, quantity from allocations").tables("inventory");
 * }</pre>
 *
 * <p>How it checks: in the try's database, inside a transaction that is rolled back, the start
 * state is rebuilt (the migrations' state, then the dataset given, loaded as the try loaded it);
 * the committed sessions' steps ({@code step} SQL and {@code action} code) are replayed one
 * session after another, depth first over the orders, each session in a savepoint. An order is
 * abandoned at the first statement whose result differs. Sessions that rolled back or failed
 * (a serialization failure, a deadlock) are left out: their effects must not be seen. When no
 * order fits, the result names the anomaly when it recognises one (lost update, write skew,
 * read skew, a predicate anti-dependency cycle), lists each order tried with its first
 * difference, and prints the interleaving.
 *
 * <p>Limits: n committed sessions have n! orders. Pruning on reads keeps real searches small,
 * but the search is bounded by {@link #maxReplays} session replays ({@value #DEFAULT_MAX_REPLAYS}
 * by default, enough for every order of 7 sessions without pruning); past it the check fails as
 * "could not be checked", never as passed. The interleaving must be the scenario's only step
 * (its start state is the dataset given). {@code now()}, sequences consumed by failed sessions
 * and other non-repeatable values differ between a replay and the interleaving: leave those
 * columns out with {@link #queries}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SerialEquivalence {
    /** Session replays a search may spend by default. */
    public static final int DEFAULT_MAX_REPLAYS = 50_000;
    /** Up to this many committed sessions, a failed search looks for a named anomaly among their pairs. */
    static final int MAX_NAMED = 6;

    private final List<String> tables;
    private final List<String> queries;
    private final boolean reads;
    private final int maxReplays;

    private SerialEquivalence(List<String> tables, List<String> queries, boolean reads, int maxReplays) {
        this.tables = List.copyOf(tables);
        this.queries = List.copyOf(queries);
        this.reads = reads;
        this.maxReplays = maxReplays;
    }

    /** Compares what each statement gave and every table of the database. */
    public static SerialEquivalence ofEveryTable() {
        return new SerialEquivalence(List.of(), List.of(), true, DEFAULT_MAX_REPLAYS);
    }

    /** Compares these tables only ({@code name} or {@code schema.name}) instead of every table; adds to earlier ones. */
    public SerialEquivalence tables(String... names) {
        List<String> all = new ArrayList<>(tables);
        for (String n : names) {
            all.add(Objects.requireNonNull(n, "table"));
        }
        return new SerialEquivalence(all, queries, reads, maxReplays);
    }

    /**
     * Compares the rows of these queries (as multisets) instead of every table; with {@link
     * #tables}, those tables too.
     */
    public SerialEquivalence queries(String... sql) {
        List<String> all = new ArrayList<>(queries);
        for (String q : sql) {
            if (Objects.requireNonNull(q, "query").isBlank()) {
                throw new IllegalArgumentException("a compared query is blank");
            }
            all.add(q);
        }
        return new SerialEquivalence(tables, all, reads, maxReplays);
    }

    /** Compares the final state only, not what each statement gave (no pruning: every order is replayed to its end). */
    public SerialEquivalence finalStateOnly() {
        return new SerialEquivalence(tables, queries, false, maxReplays);
    }

    /** The most session replays one check may spend. */
    public SerialEquivalence maxReplays(int replays) {
        if (replays < 1) {
            throw new IllegalArgumentException("maxReplays must be at least 1, not " + replays);
        }
        return new SerialEquivalence(tables, queries, reads, replays);
    }

    /** The name the invariant reports. */
    public String name() {
        return "serial equivalence: some serial order of the committed sessions gives " + (reads ? "what they read and " : "")
                + "the final state";
    }

    /**
     * This check as an invariant of a scenario with one {@code whenInterleaved} step. Sessions that
     * fail with a serialization failure or a deadlock are expected (and left out of the orders).
     */
    public Invariant invariant() {
        return Invariant.of(name(), ctx -> {
            Result r = check(ctx);
            if (!r.serializable()) {
                ctx.fail(r.summary(), r.rows()); // the violation prints the interleaving
            }
        }).expecting(Set.of(ErrorClass.SERIALIZATION_FAILURE, ErrorClass.DEADLOCK));
    }

    /**
     * Checks the scenario's interleaving from inside an invariant of your own (after the actions).
     *
     * <pre>{@code
     * Invariant.of("serializable, and counted", ctx -> {
     *     SerialEquivalence.Result r = SerialEquivalence.ofEveryTable().check(ctx);
     *     Statistics.label("serial order").collect(r.serialOrder());
     *     if (!r.serializable()) ctx.fail(r.message(), r.rows());
     * });
     * }</pre>
     */
    public Result check(CheckContext ctx) {
        Outcome out = ctx.outcome();
        if (out.interleavings().size() != 1 || out.results().size() != out.interleaving().sessions().size()) {
            throw new IllegalArgumentException("serial equivalence replays the sessions from the dataset given, so the"
                    + " interleaving must be the scenario's only step; this scenario ran " + out.interleavings().size()
                    + " interleaving(s) and " + out.results().size() + " transaction(s)");
        }
        InterleavingOutcome io = out.interleaving();
        List<String> committed = io.committedSessions();
        try (SerialOrders orders = SerialOrders.open(Views.tryState(ctx), ctx.handle().getConnection(), ctx.given(), io,
                tables, queries, reads, maxReplays)) {
            SerialOrders.Search search = orders.search(committed);
            List<Miss> misses = search.misses().stream().map(m -> new Miss(m.order(), m.difference())).toList();
            if (search.order() != null) {
                return new Result(committed, search.order(), null, "", misses, search.missed(), search.replays(), io);
            }
            Named named = committed.size() <= MAX_NAMED ? name(orders, io, committed) : null;
            return new Result(committed, null, named == null ? null : named.anomaly(), named == null
                    ? "no anomaly of the catalogue recognised" : named.explanation(), misses, search.missed(),
                    search.replays(), io);
        }
    }

    /**
     * What a check found.
     *
     * @param committed   the committed sessions, in declaration order
     * @param serialOrder the first serial order that gives what the interleaving gave; null when none does
     * @param anomaly     the anomaly recognised when none does; null when serializable or not recognised
     * @param explanation why the anomaly was named (empty when serializable)
     * @param misses      the orders (or prefixes) tried that did not fit, each with its first difference: the
     *                    first 100 of them
     * @param missed      how many orders (or prefixes) did not fit
     * @param replays     session replays spent
     * @param interleaving what the interleaving did
     */
    public record Result(List<String> committed, @Nullable List<String> serialOrder, @Nullable Anomaly anomaly,
                         String explanation, List<Miss> misses, int missed, int replays,
                         InterleavingOutcome interleaving) {
        public Result {
            committed = List.copyOf(committed);
            serialOrder = serialOrder == null ? null : List.copyOf(serialOrder);
            misses = List.copyOf(misses);
        }

        public boolean serializable() {
            return serialOrder != null;
        }

        /** The verdict, the orders tried, and the interleaving as a table. */
        public String message() {
            return summary() + "\nthe interleaving:\n" + interleaving;
        }

        /** The verdict and the orders tried, each with its first difference. */
        public String summary() {
            if (serialOrder != null) {
                return "the committed sessions " + committed + " give what they gave in the interleaving when run in the"
                        + " order " + String.join(" then ", serialOrder) + " (" + replays + " replays)";
            }
            StringBuilder b = new StringBuilder("no serial order of the committed sessions ").append(committed)
                    .append(" gives what the interleaving gave (").append(missed).append(" orders tried, ")
                    .append(replays).append(" replays): ");
            b.append(anomaly == null ? explanation : anomaly.description() + " (" + anomaly.label() + "): " + explanation);
            int shown = 0;
            for (Miss m : misses) {
                if (shown++ == 20) {
                    b.append("\n  ... ").append(missed - 20).append(" more orders");
                    break;
                }
                b.append("\n  ").append(String.join(" then ", m.order())).append(": ").append(m.difference());
            }
            return b.toString();
        }

        /** One row per order tried, for the failure report. */
        public List<Row> rows() {
            return misses.stream().limit(20).map(m -> Row.of("serial order", String.join(" then ", m.order()),
                    "first difference", m.difference())).toList();
        }
    }

    /** A serial order (or the prefix of one) that did not give what the interleaving gave, and the first difference. */
    public record Miss(List<String> order, String difference) {
        public Miss {
            order = List.copyOf(order);
        }
    }

    // ------------------------------------------------------------------ naming the anomaly

    private record Named(Anomaly anomaly, String explanation) {}

    /** How a session's statements relate to another session's writes. */
    private enum Relation { INDEPENDENT, MISSED, SAW, FRACTURED, OTHER }

    /**
     * Looks at each pair of committed sessions, each replayed alone and after the other: two that
     * each missed what the other wrote form an anti-dependency cycle (a lost update when both
     * changed one row, a predicate cycle when both only inserted, else write skew); one that saw
     * some of the other's writes and missed others read skew.
     */
    private static @Nullable Named name(SerialOrders orders, InterleavingOutcome io, List<String> committed) {
        Map<String, Replay> alone = new HashMap<>();
        for (String s : committed) {
            alone.put(s, orders.replayAll(List.of(s)));
        }
        Named skew = null;
        for (int i = 0; i < committed.size(); i++) {
            for (int j = i + 1; j < committed.size(); j++) {
                String a = committed.get(i);
                String b = committed.get(j);
                Replay aThenB = orders.replayAll(List.of(a, b));
                Replay bThenA = orders.replayAll(List.of(b, a));
                Relation ra = relation(io, a, alone.get(a), bThenA);
                Relation rb = relation(io, b, alone.get(b), aThenB);
                if (ra == Relation.MISSED && rb == Relation.MISSED) {
                    List<String> both = changedByBoth(orders, alone.get(a), alone.get(b));
                    if (!both.isEmpty()) {
                        return new Named(Anomaly.P4, a + " and " + b + " each read before the other's write, and both"
                                + " changed " + String.join(", ", both));
                    }
                    if (removed(orders, alone.get(a)).isEmpty() && removed(orders, alone.get(b)).isEmpty()) {
                        return new Named(Anomaly.G2, a + " and " + b + " each read what the other's insert would have"
                                + " changed, and neither saw it");
                    }
                    return new Named(Anomaly.G2_ITEM, a + " and " + b + " each read what the other changes, neither saw"
                            + " the other's change, and they changed different rows");
                }
                if (skew == null && (ra == Relation.FRACTURED || rb == Relation.FRACTURED)) {
                    String reader = ra == Relation.FRACTURED ? a : b;
                    String writer = ra == Relation.FRACTURED ? b : a;
                    skew = new Named(Anomaly.G_SINGLE, reader + " saw some of " + writer + "'s writes and missed others");
                }
            }
        }
        return skew;
    }

    private static Relation relation(InterleavingOutcome io, String session, Replay alone, Replay after) {
        boolean differs = false;
        boolean allAlone = true;
        boolean allAfter = true;
        boolean eachOne = true;
        for (Interleaving.Step step : io.interleaving().stepsOf(session)) {
            if (step.kind() != Interleaving.Kind.SQL) {
                continue;
            }
            Seen was = Seen.of(io.step(step.index()));
            Seen first = alone.steps().get(step.index());
            Seen second = after.steps().get(step.index());
            if (first == null || second == null) {
                return Relation.OTHER;
            }
            differs |= !first.sameAs(second);
            boolean likeAlone = was.sameAs(first);
            boolean likeAfter = was.sameAs(second);
            allAlone &= likeAlone;
            allAfter &= likeAfter;
            eachOne &= likeAlone || likeAfter;
        }
        if (!differs) {
            return Relation.INDEPENDENT;
        }
        if (allAlone) {
            return Relation.MISSED;
        }
        if (allAfter) {
            return Relation.SAW;
        }
        return eachOne ? Relation.FRACTURED : Relation.OTHER;
    }

    /** Rows of the start state that a replay changed or deleted, as {@code label row}. */
    private static List<String> removed(SerialOrders orders, Replay r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < orders.labels().size(); i++) {
            for (String row : SerialOrders.minus(orders.start().get(i), r.state().get(i))) {
                out.add(orders.labels().get(i) + " " + row);
            }
        }
        return out;
    }

    private static List<String> changedByBoth(SerialOrders orders, Replay a, Replay b) {
        List<String> both = new ArrayList<>(removed(orders, a));
        both.retainAll(removed(orders, b));
        return both;
    }

    @Override
    public String toString() {
        return name() + (tables.isEmpty() && queries.isEmpty() ? " (every table)" : " (tables " + tables + ", queries "
                + queries + ")") + (maxReplays == DEFAULT_MAX_REPLAYS ? "" : ", at most " + maxReplays + " replays");
    }
}

package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.engine.SerialOrders.Seen;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Checks of an interleaving you ran, on any schema: what an isolation level promises, read from
 * the interleaving's outcome. Use them as invariants of a scenario whose one step is {@code
 * whenInterleaved}, with interleavings you write or generate.
 *
 * <pre>{@code
 * db.given(accounts)
 *     .whenInterleaved(history.interleaving())           // sessions at SERIALIZABLE
 *     .allowing(ErrorClass.SERIALIZATION_FAILURE)
 *     .then(HistoryInvariants.serialEquivalent(), HistoryInvariants.repeatableReads());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class HistoryInvariants {
    private HistoryInvariants() {}

    /**
     * SERIALIZABLE: some serial order of the committed sessions gives what they read and leaves
     * every table as the interleaving left it ({@link SerialEquivalence#ofEveryTable()}; tune it
     * there: the tables or queries compared, a replay budget).
     */
    public static Invariant serialEquivalent() {
        return SerialEquivalence.ofEveryTable().invariant();
    }

    /**
     * REPEATABLE READ and above: a session that runs the same query (same SQL, same arguments)
     * twice, with no statement of its own between them that is not a query, gets the same rows
     * (as a multiset) both times. A read is a query by its text (SELECT, TABLE, VALUES, a WITH
     * without DML); a SELECT of a function that writes counts as a read, so do not repeat one.
     */
    public static Invariant repeatableReads() {
        return Invariant.of("repeatable read: a session reads the same rows again", ctx -> {
            InterleavingOutcome o = ctx.outcome().interleaving();
            List<Interleaving.Step> steps = o.interleaving().steps();
            for (int i = 0; i < steps.size(); i++) {
                Interleaving.Step a = steps.get(i);
                if (!isRead(o, a)) {
                    continue;
                }
                for (int j = i + 1; j < steps.size(); j++) {
                    Interleaving.Step b = steps.get(j);
                    if (!b.session().equals(a.session())) {
                        continue;
                    }
                    if (!isRead(o, b)) {
                        break; // its own write, code, a failure or its end: later rows may differ
                    }
                    if (!b.text().equals(a.text()) || !Objects.deepEquals(b.args().toArray(), a.args().toArray())) {
                        continue;
                    }
                    StepOutcome first = o.step(i);
                    StepOutcome again = o.step(j);
                    if (!Seen.of(first).sameAs(Seen.of(again))) {
                        ctx.fail(a.session() + " read " + first.rows() + " at #" + i + " and " + again.rows() + " at #" + j
                                + " with no write of its own in between: " + a.describe(),
                                List.of(Row.of("step", i, "rows", first.rows().toString()),
                                        Row.of("step", j, "rows", again.rows().toString())));
                    }
                }
            }
        });
    }

    private static final Pattern READ = Pattern.compile("(?is)\\s*(select|table|values)\\b.*");
    private static final Pattern WRITE = Pattern.compile("(?is).*\\b(insert|update|delete|merge)\\b.*");

    /** A query that returned rows and writes nothing it says: SELECT, TABLE, VALUES, or a WITH of no DML. */
    private static boolean isRead(InterleavingOutcome o, Interleaving.Step s) {
        if (s.kind() != Interleaving.Kind.SQL) {
            return false;
        }
        StepOutcome r = o.step(s.index());
        boolean reads = READ.matcher(s.text()).matches()
                || s.text().strip().regionMatches(true, 0, "with", 0, 4) && !WRITE.matcher(s.text()).matches();
        return r.status() == InterleavingOutcome.Status.DONE && r.query() && reads;
    }
}

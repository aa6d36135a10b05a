package dev.pgprop.properties.concurrency;

import static dev.pgprop.dsl.Invariants.constraintsHold;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Scenario;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated interleavings of up to three transactions over inventory and allocations, run
 * statement by statement in the generated order, checked against each level's guarantees
 * ({@link HistoryChecks}). A failure shrinks to the shortest interleaving that still fails.
 */
@PgProperties
class RandomInterleavingProperties {
    // 200 tries each (about 15 ms a try): a fifth of the histories make sessions collide on a row,
    // and those are the tries that test a level's guarantees
    static final int MAX_STEPS = 14;

    @Provide
    Arbitrary<RandomHistory> histories() {
        return RandomHistory.histories(MAX_STEPS);
    }

    static Scenario scenario(Db db, RandomHistory h, Level level) {
        return db.given(h.stock())
                .whenInterleaved(Sessions.fastDeadlocks(db, h.interleaving(level)))
                .allowing(ErrorClass.SERIALIZATION_FAILURE, ErrorClass.DEADLOCK);
    }

    @Property(tries = 200)
    void serializableHistoriesEqualASerialOrder(@ForAll("histories") RandomHistory h, Db db) {
        Outcome out = scenario(db, h, Level.SERIALIZABLE).then(HistoryChecks.serialEquivalent(), constraintsHold());
        collect(out.interleaving());
    }

    @Property(tries = 200)
    void readCommittedReadsOnlyCommittedRows(@ForAll("histories") RandomHistory h, Db db) {
        Outcome out = scenario(db, h, Level.READ_COMMITTED).then(HistoryChecks.readCommitted(h), constraintsHold());
        collect(out.interleaving());
    }

    @Property(tries = 200)
    void repeatableReadRepeatsReadsAndLetsOneOfTwoConcurrentUpdatersCommit(@ForAll("histories") RandomHistory h, Db db) {
        Outcome out = scenario(db, h, Level.REPEATABLE_READ)
                .then(HistoryChecks.repeatableReads(), HistoryChecks.firstUpdaterWins(h), constraintsHold());
        collect(out.interleaving());
    }

    /** The generated histories must meet the situations the checks are about. */
    private static void collect(InterleavingOutcome o) {
        Statistics.label("a step blocked").collect(HistoryChecks.anyBlocked(o));
        Statistics.label("a transaction was aborted by the server").collect(
                !o.sessionsFailedWith(ErrorClass.SERIALIZATION_FAILURE).isEmpty() || !o.sessionsFailedWith(ErrorClass.DEADLOCK).isEmpty());
        Statistics.label("a step blocked").coverage(c -> c.check(true).percentage(p -> p >= 15));
    }
}

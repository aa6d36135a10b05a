package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.PgProperties;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Allocation races driven statement by statement: up to eight sessions call {@code allocate},
 * cancel and commit in a generated order, so that two sessions meet on one SKU's last units
 * deterministically (the second blocks on the first's row lock, which the scheduler detects).
 * Stock is never oversold, and {@code allocated} stays the sum of the live allocations.
 *
 * <p>{@link AllocationMutantTest} runs this class on a schema whose allocate() reads without
 * locking: it must fail, and shrink to one SKU and two calls.
 */
@PgProperties
class InterleavedAllocationProperties {

    @Provide
    Arbitrary<AllocationRace> races() {
        return AllocationRace.races(16);
    }

    @Property(tries = 100)
    void interleavedAllocationsNeverOversell(@ForAll("races") AllocationRace race, Db db) {
        InterleavingOutcome o = db.given(race.stock())
                .whenInterleaved(Sessions.fastDeadlocks(db, race.interleaving()))
                .allowing(ErrorClass.RAISED, ErrorClass.DEADLOCK)
                .then(AllocationRace.invariants())
                .interleaving();
        Statistics.label("sessions").collect(race.sessions() <= 2 ? "1-2" : race.sessions() <= 5 ? "3-5" : "6-8");
        Statistics.label("an allocate waited for another session").collect(!o.blockedSteps().isEmpty());
        Statistics.label("an allocate waited for another session").coverage(c -> c.check(true).percentage(p -> p >= 20));
    }
}

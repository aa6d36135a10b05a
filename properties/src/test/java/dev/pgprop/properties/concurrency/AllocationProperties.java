package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.properties.concurrency.AllocationRace.Call;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Two to eight sessions released together, each calling {@code allocate} (and cancelling) on
 * random SKUs and quantities in its own transaction, scheduled by the server: stock is never
 * oversold and {@code allocated} stays the sum of the live allocations. (Thread scheduling
 * decides which races happen here; {@link InterleavedAllocationProperties} drives them.)
 */
@PgProperties
class AllocationProperties {

    @Provide
    Arbitrary<AllocationRace> races() {
        return AllocationRace.races(24);
    }

    @Property(tries = 100)
    void concurrentAllocationsNeverOversell(@ForAll("races") AllocationRace race, Db db) {
        int sessions = Math.max(2, race.sessions());
        List<Call> calls = race.steps();
        boolean superuser = Sessions.superuser(db);
        Outcome out = db.given(race.stock())
                .whenConcurrently(sessions, tx -> {
                    if (superuser) {
                        tx.execute("set local deadlock_timeout = '" + Sessions.DEADLOCK_TIMEOUT.toMillis() + "ms'");
                    }
                    for (Call c : calls) {
                        if (c.session() != tx.session()) {
                            continue;
                        }
                        switch (c.kind()) {
                            case ALLOCATE -> tx.call("allocate", AllocationRace.sku(c.sku()), c.quantity());
                            case CANCEL -> tx.execute("update allocations set status = 'cancelled' where id = (select id"
                                    + " from allocations where sku = ? and status <> 'cancelled' order by id limit 1)",
                                    AllocationRace.sku(c.sku()));
                            case COMMIT -> { } // each session commits at its end
                        }
                    }
                })
                .allowing(ErrorClass.RAISED, ErrorClass.DEADLOCK)
                .then(AllocationRace.invariants());
        Statistics.label("sessions").collect(sessions);
        Statistics.label("out of stock").collect(out.failed(ErrorClass.RAISED));
    }
}

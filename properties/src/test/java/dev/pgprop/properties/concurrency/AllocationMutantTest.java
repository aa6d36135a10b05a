package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The meta-test of the allocation race: {@link InterleavedAllocationProperties} on a schema
 * whose allocate() reads the free stock without locking and whose inventory_not_oversold is
 * dropped ({@code mutants/allocate_without_lock}) fails and shrinks to the minimal race; on the
 * reference schema the same property, with the same seed and samples, passes.
 */
class AllocationMutantTest {

    @PgProperties(migrations = {"classpath:pgprop/reference", "classpath:mutants/allocate_without_lock"})
    static class OnMutant extends InterleavedAllocationProperties {}

    @PgProperties(migrations = "classpath:pgprop/reference")
    static class OnReferenceSchema extends InterleavedAllocationProperties {}

    @Test
    void theNonLockingAllocateIsCaughtAndShrunkToOneSkuAndTwoCalls() {
        EngineExecutionResults r = Jqwik.run(OnMutant.class);
        r.testEvents().assertStatistics(s -> s.started(1).failed(1));
        Throwable t = Jqwik.failure(r);
        assertThat(t).isInstanceOf(InvariantViolationException.class);
        InvariantViolationException e = (InvariantViolationException) t;
        assertThat(e.violations()).extracting(v -> v.invariant()).first().asString().contains("allocated > on_hand");

        // jqwik reports the shrunk sample's failure. Its dataset is one inventory row: with no row
        // every allocate() fails with 'out of stock', so nothing can be oversold; one row is the least.
        assertThat(e.outcome()).isNotNull();
        assertThat(e.outcome().given().rowCount()).isEqualTo(1);
        assertThat(e.outcome().given().rows("inventory")).containsExactly(Row.of("sku", "SKU-000001", "on_hand", 1));
        // and two allocate() calls of one unit by two sessions: one session alone sees its own
        // allocations, and on_hand 0 refuses any call, so on_hand 1 and 1 + 1 units is the least race
        InterleavingOutcome race = e.outcome().interleaving();
        assertThat(race.interleaving().steps()).hasSize(2);
        assertThat(race.interleaving().steps()).allMatch(s -> s.text().equals("select allocate(?, ?)"));
        assertThat(race.interleaving().steps()).extracting(s -> s.args().get(1)).containsExactly(1, 1);
        assertThat(race.interleaving().steps()).extracting(s -> s.session()).containsExactly("T1", "T2");
        // the scheduler drove the race: T2's allocate waited for T1's row lock, then oversold
        assertThat(race.step(1).blocked()).as(race.toString()).isTrue();
        assertThat(race.step(1).blockedBy()).containsExactly("T1");
        assertThat(race.committedSessions()).containsExactly("T1", "T2");
    }

    @Test
    void theReferenceSchemaPassesTheSameProperty() {
        EngineExecutionResults r = Jqwik.run(OnReferenceSchema.class);
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }
}

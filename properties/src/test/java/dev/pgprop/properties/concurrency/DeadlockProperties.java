package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Two sessions lock two inventory rows in opposite orders: the server's deadlock detector aborts
 * exactly one of them with 40P01 within deadlock_timeout plus a margin, the outcome names which,
 * and the other commits everything it wrote.
 */
@PgProperties
class DeadlockProperties {
    /**
     * Scheduling slack on top of deadlock_timeout: the JVM, the server and other builds share two
     * cores, so a backend can wait this long for a CPU. Still far below lock_timeout (10 s), the
     * only other thing that would end the wait.
     */
    static final Duration MARGIN = Duration.ofSeconds(2);

    /** How a session takes a row lock. */
    enum LockBy {
        UPDATE("update inventory set on_hand = on_hand + 1 where sku = ?"),
        SELECT_FOR_UPDATE("select sku from inventory where sku = ? for update"),
        SELECT_FOR_NO_KEY_UPDATE("select sku from inventory where sku = ? for no key update");

        final String sql;

        LockBy(String sql) {
            this.sql = sql;
        }
    }

    /** SKUs in stock, the two rows the sessions fight over, how each locks, and the level. */
    record Case(int skus, int first, int second, LockBy t1, LockBy t2, Level level, boolean warmUp) {
        String sku(int i) {
            return String.format("SKU-%06d", i + 1);
        }

        Dataset stock() {
            Dataset d = Dataset.empty();
            for (int i = 0; i < skus; i++) {
                d = d.plus("inventory", Row.of("sku", sku(i), "on_hand", 10));
            }
            return d;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(2, 5).flatMap(n -> {
            Arbitrary<Integer> row = Arbitraries.integers().between(0, n - 1);
            return Combinators.combine(row, row, Arbitraries.of(LockBy.class), Arbitraries.of(LockBy.class),
                            Arbitraries.of(Level.class), Arbitraries.of(true, false))
                    .as((a, b, l1, l2, level, warm) -> new Case(n, a, b, l1, l2, level, warm))
                    .filter(c -> c.first() != c.second());
        });
    }

    @Property(tries = 100)
    void lockingTwoRowsInOppositeOrdersAbortsExactlyOneSession(@ForAll("cases") Case c, Db db) {
        String a = c.sku(c.first());
        String b = c.sku(c.second());
        Interleaving il = Interleaving.of(c.level().jdbi(), "T1", "T2");
        if (c.warmUp()) {
            // reads first, so that at REPEATABLE READ and SERIALIZABLE both snapshots predate the locks
            il = il.step("T1", "select count(*) from inventory").step("T2", "select count(*) from inventory");
        }
        int base = il.size();
        il = il.step("T1", c.t1().sql, a)          // base:     T1 locks a
                .step("T2", c.t2().sql, b)          // base + 1: T2 locks b
                .step("T1", c.t1().sql, b)          // base + 2: T1 waits for T2
                .step("T2", c.t2().sql, a)          // base + 3: T2 waits for T1: a cycle
                .commit("T1")
                .commit("T2");
        InterleavingOutcome o = db.given(c.stock())
                .whenInterleaved(Sessions.fastDeadlocks(db, il))
                .allowing(ErrorClass.DEADLOCK)
                .run().interleaving();

        List<String> victims = o.sessionsFailedWith(ErrorClass.DEADLOCK);
        assertThat(victims).as("sessions aborted by the deadlock detector\n%s", o).hasSize(1);
        String victim = victims.get(0);
        String survivor = victim.equals("T1") ? "T2" : "T1";
        assertThat(o.committedSessions()).as(o.toString()).containsExactly(survivor);

        StepOutcome failed = o.step(o.session(victim).failedStep());
        assertThat(failed.index()).as("the victim fails on its wait, the second lock").isEqualTo(victim.equals("T1") ? base + 2 : base + 3);
        assertThat(o.step(base + 2).blocked()).as(o.toString()).isTrue();
        assertThat(o.step(base + 2).blockedBy()).containsExactly("T2");
        // T2's closing request gets its lock once T1 is aborted, or is itself the victim. (It is not
        // always seen blocked: when T1's timer fires just after the request starts waiting, the wait
        // ends before the scheduler's first look, which is why this is no assertion on blocked().)
        StepOutcome closing = o.step(base + 3);
        assertThat(victim.equals("T1") ? closing.status() == InterleavingOutcome.Status.DONE
                : closing.failedWith(ErrorClass.DEADLOCK)).as(o.toString()).isTrue();

        // the deadlock exists once T2's second lock request waits; the detector runs deadlock_timeout after a wait began
        Duration timeout = Sessions.deadlockTimeout(db);
        Duration detectedAfter = failed.endedAt().minus(closing.startedAt());
        assertThat(detectedAfter).as("40P01 after the cycle formed\n%s", o).isLessThanOrEqualTo(timeout.plus(MARGIN));
        assertThat(failed.duration()).as("the victim waited at least deadlock_timeout").isGreaterThanOrEqualTo(timeout);

        // the survivor's writes are all there, the victim's none
        long bumped = db.rows("select sku from inventory where on_hand = 11").size();
        long expected = (survivor.equals("T1") ? c.t1() : c.t2()) == LockBy.UPDATE ? 2 : 0;
        assertThat(bumped).as("rows the survivor updated").isEqualTo(expected);

        Statistics.label("victim").collect(victim);
        Statistics.label("the closing request was seen waiting").collect(closing.blocked());
        Statistics.label("level").collect(c.level());
    }
}

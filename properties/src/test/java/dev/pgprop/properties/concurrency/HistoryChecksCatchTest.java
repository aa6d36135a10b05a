package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.properties.concurrency.RandomHistory.Kind;
import dev.pgprop.properties.concurrency.RandomHistory.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Each level's check fails where the level does not give the guarantee (the check run on a
 * weaker level's execution), and jqwik shrinks the failure to the shortest interleaving that
 * shows it.
 */
class HistoryChecksCatchTest {
    static final List<RandomHistory> FAILING = new ArrayList<>();

    /** Runs a history at {@code level} and checks it with {@code check}; records every failing history. */
    static void runAndCheck(RandomHistory h, Db db, Level level, Function<RandomHistory, Invariant> check) {
        try {
            RandomInterleavingProperties.scenario(db, h, level).then(check.apply(h));
        } catch (InvariantViolationException e) {
            FAILING.add(h);
            throw e;
        }
    }

    abstract static class Base {
        @Provide
        Arbitrary<RandomHistory> histories() {
            return RandomHistory.histories(RandomInterleavingProperties.MAX_STEPS);
        }
    }

    @PgProperties
    static class FirstUpdaterWinsAtReadCommitted extends Base {
        @Property(tries = 200)
        void check(@ForAll("histories") RandomHistory h, Db db) {
            runAndCheck(h, db, Level.READ_COMMITTED, HistoryChecks::firstUpdaterWins);
        }
    }

    @PgProperties
    static class RepeatableReadsAtReadCommitted extends Base {
        // a read repeated around another transaction's committed write is in about 2 % of the
        // histories; the property stops at the first failure, so the tries only bound the search
        @Property(tries = 1000)
        void check(@ForAll("histories") RandomHistory h, Db db) {
            runAndCheck(h, db, Level.READ_COMMITTED, h2 -> HistoryChecks.repeatableReads());
        }
    }

    @PgProperties
    static class ReadCommittedAtRepeatableRead extends Base {
        @Property(tries = 200)
        void check(@ForAll("histories") RandomHistory h, Db db) {
            runAndCheck(h, db, Level.REPEATABLE_READ, HistoryChecks::readCommitted);
        }
    }

    @PgProperties
    static class SerialEquivalenceAtRepeatableRead extends Base {
        @Property(tries = 200)
        void check(@ForAll("histories") RandomHistory h, Db db) {
            runAndCheck(h, db, Level.REPEATABLE_READ, h2 -> HistoryChecks.serialEquivalent());
        }
    }

    private static List<Step> shrunk(Class<?> property) {
        FAILING.clear();
        EngineExecutionResults r = Jqwik.run(property);
        r.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(Jqwik.failure(r)).isInstanceOf(InvariantViolationException.class);
        assertThat(FAILING).as("shrink steps ran").hasSizeGreaterThan(1);
        RandomHistory last = FAILING.get(FAILING.size() - 1);
        System.out.println("pgprop: " + property.getSimpleName() + " shrank to " + last);
        return last.steps();
    }

    @Test
    void concurrentUpdatersBothCommittingIsCaughtAtReadCommittedAndShrinksToTwoWrites() {
        List<Step> steps = shrunk(FirstUpdaterWinsAtReadCommitted.class);
        // Two steps, and no fewer can fail: the check needs two sessions that both update one row.
        // T1 updates it, T2's update waits for T1's lock, both commit at the end (READ COMMITTED
        // lets T2 write over T1's committed update instead of failing with 40001).
        assertThat(steps).hasSize(2);
        assertThat(steps).allMatch(s -> s.op().writes());
        assertThat(steps.get(0).txn()).isNotEqualTo(steps.get(1).txn());
        assertThat(steps.get(0).op().sku()).isEqualTo(steps.get(1).op().sku());
    }

    @Test
    void aNonRepeatableReadIsCaughtAtReadCommittedAndShrinksToFourSteps() {
        List<Step> steps = shrunk(RepeatableReadsAtReadCommitted.class);
        // Four steps, the fewest that can fail: one transaction reads a row twice, and before the
        // second read another transaction has written that row and committed explicitly (a commit
        // at the end would come after the second read).
        assertThat(steps).hasSize(4);
        assertNonRepeatable(steps);
    }

    @Test
    void aStaleSnapshotReadIsCaughtByTheReadCommittedCheckAndShrinksToFourSteps() {
        List<Step> steps = shrunk(ReadCommittedAtRepeatableRead.class);
        // Four steps, the fewest that can fail: the reader takes its snapshot with a first read,
        // another transaction writes and commits, and the reader reads the row again without
        // seeing the committed value (REPEATABLE READ keeps its snapshot).
        assertThat(steps).hasSize(4);
        assertNonRepeatable(steps);
    }

    /** Two reads of one transaction, and a write and a commit of another before the second read. */
    private static void assertNonRepeatable(List<Step> steps) {
        Step lastRead = steps.get(3);
        assertThat(lastRead.op().reads()).as(steps.toString()).isTrue();
        assertThat(steps.stream().filter(s -> s.txn() == lastRead.txn() && s.op().reads()).count()).isEqualTo(2);
        List<Step> other = steps.stream().filter(s -> s.txn() != lastRead.txn()).toList();
        assertThat(other).hasSize(2);
        assertThat(other).anyMatch(s -> s.op().writes() && s.op().sku() == lastRead.op().sku() || s.op().writes()
                && lastRead.op().kind() == Kind.PREDICATE_READ);
        assertThat(other.get(1).op().kind()).isEqualTo(Kind.COMMIT);
    }

    @Test
    void aNonSerializableHistoryIsCaughtAtRepeatableReadAndShrinksToWriteSkew() {
        List<Step> steps = shrunk(SerialEquivalenceAtRepeatableRead.class);
        // Four steps, the fewest that can fail: each of two transactions must read what the other
        // writes before that write commits (two rw-antidependencies make the cycle), so each
        // needs a read and a write; every order of one read and one write per session that
        // is not serialisable is write skew.
        assertThat(steps).hasSize(4);
        assertThat(steps.stream().filter(s -> s.op().reads()).count()).isEqualTo(2);
        assertThat(steps.stream().filter(s -> s.op().writes()).count()).isEqualTo(2);
    }
}

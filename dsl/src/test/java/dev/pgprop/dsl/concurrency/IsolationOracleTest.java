package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each oracle rejects a planted violation and accepts the same spec where it holds. */
class IsolationOracleTest {
    private static TestDatabase database;

    static final String SKEW = """
            setup { CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL);
                    INSERT INTO doctors VALUES ('alice', true), ('bob', true); }
            teardown { DROP TABLE doctors; }
            session s1
            setup { BEGIN ISOLATION LEVEL LEVEL_HERE; }
            step r1 { SELECT count(*) FROM doctors WHERE on_call; }
            step w1 { UPDATE doctors SET on_call = false WHERE name = 'alice'; }
            step c1 { COMMIT; }
            session s2
            setup { BEGIN ISOLATION LEVEL LEVEL_HERE; }
            step r2 { SELECT count(*) FROM doctors WHERE on_call; }
            step w2 { UPDATE doctors SET on_call = false WHERE name = 'bob'; }
            step c2 { COMMIT; }
            """;

    @BeforeAll
    static void start() {
        database = PgProp.server().createDatabase(MigrationSet.of("classpath:pgprop-test/tiny"), "isolation_oracles");
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void serializableRejectsWriteSkewAtRepeatableReadAndAcceptsSerialOrdersAndSerializable() {
        IsolationProperty rr = IsolationSpec.parse("skew", SKEW.replace("LEVEL_HERE", "REPEATABLE READ"))
                .property(IsolationOracle.serializable("SELECT * FROM doctors ORDER BY name"));
        assertThatThrownBy(() -> rr.check(database, rr.spec().permutation("r1 r2 w1 w2 c1 c2")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("permutation r1 r2 w1 w2 c1 c2: serializable fails: every step succeeded, but no serial"
                        + " order (s1 then s2; s2 then s1) reads and leaves the same");
        assertThat(rr.check(database, rr.spec().permutation("r1 w1 c1 r2 w2 c2")).allSucceeded()).isTrue();
        assertThat(rr.check(database, rr.spec().permutation("r2 w2 c2 r1 w1 c1")).allSucceeded()).isTrue();
        IsolationProperty sz = IsolationSpec.parse("skew", SKEW.replace("LEVEL_HERE", "SERIALIZABLE"))
                .property(IsolationOracle.serializable("SELECT * FROM doctors ORDER BY name"));
        IsolationRun.PermutationOutcome o = sz.check(database, sz.spec().permutation("r1 r2 w1 w2 c1 c2"));
        assertThat(o.serializationFailures()).extracting(IsolationRun.StepOutcome::step).containsExactly("c2");
    }

    @Test
    void noDeadlockRejectsAnUndeclaredDeadlock() {
        IsolationSpec spec = IsolationSpec.load(IsolationSpecCorpusTest.CORPUS.resolve("lock-upgrade-deadlock.spec"));
        IsolationSpec.Permutation p = spec.permutation("b1 b2 share1 share2 up1 up2 c1 c2");
        IsolationProperty strict = spec.property(IsolationOracle.noDeadlockExcept());
        assertThatThrownBy(() -> strict.check(database, p)).isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("step up2 (#5) failed with a deadlock");
        IsolationRun.PermutationOutcome o = spec.property(IsolationOracle.noDeadlockExcept("up2")).check(database, p);
        assertThat(o.deadlocks()).extracting(IsolationRun.StepOutcome::step).containsExactly("up2");
        assertThat(o.step(4).blockedBy()).containsExactly("s2");
        assertThat(o.step(5).blockedBy()).containsExactly("s1");
    }

    @Test
    void finalStateRejectsAnOrphanAndStepNeverErrorsRejectsAFailedStep() {
        IsolationSpec spec = IsolationSpec.load(IsolationSpecCorpusTest.CORPUS.resolve("ri-trigger.spec"));
        IsolationOracle noOrphans = IsolationOracle.finalState("no orphans",
                "SELECT c.id FROM child c WHERE NOT EXISTS (SELECT FROM parent p WHERE p.id = c.parent_id)");
        IsolationProperty p = spec.property(noOrphans);
        assertThatThrownBy(() -> p.check(database, spec.permutation("ins1 del2 c1 c2")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("final state breaks \"no orphans\": 1 row(s) [id] [[10]]");
        assertThat(p.check(database, spec.permutation("insl1 del2 c1 c2")).failedSteps())
                .extracting(IsolationRun.StepOutcome::step).containsExactly("del2");
        IsolationProperty delNeverFails = spec.property(IsolationOracle.allOf(noOrphans, IsolationOracle.stepNeverErrors("del2")));
        assertThatThrownBy(() -> delNeverFails.check(database, spec.permutation("insl1 del2 c1 c2")))
                .isInstanceOf(IsolationViolationException.class)
                .hasMessageContaining("step del2 never errors: step del2 (#1) failed: ERROR:  parent 1 still has children [P0001]");
    }

    @Test
    void aPermutationThatCannotFinishIsCanceledAndReportedIncomplete() {
        IsolationSpec spec = IsolationSpec.load(IsolationSpecCorpusTest.CORPUS.resolve("unique-race.spec"));
        IsolationRun run = spec.run(database, java.util.List.of(spec.permutation("b1 ins1 b2 ins2 c2")));
        IsolationRun.PermutationOutcome o = run.permutations().get(0);
        assertThat(o.completed()).isFalse();
        assertThat(o.output()).contains("step ins2: INSERT INTO users VALUES ('ann@example.org', 'Anne'); <waiting ...>\n")
                .endsWith("failed to complete permutation due to mutually-blocking steps\n");
        assertThat(o.rolledBack()).as("s1 never committed; s2's insert was canceled in its open transaction")
                .containsExactly("s1", "s2");
        assertThat(o.step(3).completed()).isFalse();
    }
}

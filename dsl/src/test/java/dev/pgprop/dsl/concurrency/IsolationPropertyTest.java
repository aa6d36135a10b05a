package dev.pgprop.dsl.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.jqwik.Jqwik;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Random permutations find a planted anomaly (referential integrity checked by triggers without a
 * lock, under READ COMMITTED) and shrink to the shortest failing permutation; with the lock, the
 * same property holds.
 */
class IsolationPropertyTest {
    static final String SPEC = """
            setup
            {
              CREATE TABLE parent (id int PRIMARY KEY);
              CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL);
              INSERT INTO parent VALUES (1), (2);
              CREATE FUNCTION child_checks_parent() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF NOT EXISTS (SELECT 1 FROM parent WHERE id = NEW.parent_id LOCK_HERE) THEN
                  RAISE EXCEPTION 'parent % does not exist', NEW.parent_id;
                END IF;
                RETURN NEW;
              END $$;
              CREATE FUNCTION parent_checks_children() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF EXISTS (SELECT 1 FROM child WHERE parent_id = OLD.id) THEN
                  RAISE EXCEPTION 'parent % still has children', OLD.id;
                END IF;
                RETURN OLD;
              END $$;
              CREATE TRIGGER child_ri BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION child_checks_parent();
              CREATE TRIGGER parent_ri BEFORE DELETE ON parent FOR EACH ROW EXECUTE FUNCTION parent_checks_children();
            }
            teardown { DROP TABLE child; DROP TABLE parent; DROP FUNCTION child_checks_parent(); DROP FUNCTION parent_checks_children(); }
            session s1
            setup { BEGIN; }
            step r1 { SELECT count(*) FROM parent; }
            step ins1 { INSERT INTO child VALUES (10, 1); }
            step c1 { COMMIT; }
            session s2
            setup { BEGIN; }
            step r2 { SELECT count(*) FROM child; }
            step del2 { DELETE FROM parent WHERE id = 1; }
            step c2 { COMMIT; }
            """;
    static final IsolationOracle NO_ORPHANS = IsolationOracle.finalState("no orphans",
            "SELECT c.id FROM child c WHERE NOT EXISTS (SELECT FROM parent p WHERE p.id = c.parent_id)");
    static final List<String> CHECKED = new CopyOnWriteArrayList<>();

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class WithoutLock {
        static final IsolationProperty PROPERTY = IsolationSpec.parse("fk-trigger", SPEC.replace("LOCK_HERE", ""))
                .property(NO_ORPHANS);

        @Provide
        Arbitrary<IsolationSpec.Permutation> permutations() {
            return PROPERTY.permutations();
        }

        @Property(tries = 40, seed = "19", shrinking = ShrinkingMode.FULL)   // no time bound: a busy machine must not cut it short
        void noOrphans(@ForAll("permutations") IsolationSpec.Permutation p, Db db) {
            CHECKED.add(p.toString());
            PROPERTY.check(db, p);
        }
    }

    @PgProperties(migrations = "classpath:pgprop-test/tiny")
    static class WithLock {
        static final IsolationProperty PROPERTY = IsolationSpec.parse("fk-trigger-locked",
                SPEC.replace("LOCK_HERE", "FOR KEY SHARE")).property(NO_ORPHANS);

        @Provide
        Arbitrary<IsolationSpec.Permutation> permutations() {
            return PROPERTY.permutations();
        }

        @Property(tries = 20, seed = "19")
        void noOrphans(@ForAll("permutations") IsolationSpec.Permutation p, Db db) {
            PROPERTY.check(db, p);
        }
    }

    @Test
    void thePlantedAnomalyIsFoundAndShrunkToTheMinimalPermutation() {
        CHECKED.clear();
        EngineExecutionResults r = Jqwik.run(WithoutLock.class);
        r.testEvents().assertStatistics(s -> s.failed(1));
        Optional<Throwable> thrown = r.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable);
        assertThat(thrown).get().isInstanceOf(IsolationViolationException.class);
        IsolationViolationException e = (IsolationViolationException) thrown.get();
        assertThat(e.outcome().permutation()).hasToString("ins1 del2 c1 c2");
        assertThat(e.getMessage()).startsWith("isolation spec fk-trigger, permutation ins1 del2 c1 c2: final state: no orphans"
                + " fails: final state breaks \"no orphans\": 1 row(s) [id] [[10]]");
        assertThat(CHECKED).as("a longer permutation failed first, then shrank")
                .anyMatch(p -> p.split(" ").length == 6 && !p.equals("ins1 del2 c1 c2"));
    }

    @Test
    void withTheLockTheSamePropertyHolds() {
        EngineExecutionResults r = Jqwik.run(WithLock.class);
        r.testEvents().assertStatistics(s -> s.failed(0).succeeded(1));
    }
}

package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.concurrency.IsolationOracle;
import dev.pgprop.dsl.concurrency.IsolationProperty;
import dev.pgprop.dsl.concurrency.IsolationRun;
import dev.pgprop.dsl.concurrency.IsolationSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reference schema's allocate() as an isolation spec: the listed permutations print exactly
 * the expected output (checked by hand; -Dpgprop.isolation.repeat=N runs them N times), and in
 * random permutations it never oversells and never deadlocks.
 */
@PgProperties
class AllocateIsolationSpecProperties {
    static final Path DIR = Path.of("src/test/resources/isolation");
    static final IsolationSpec SPEC = IsolationSpec.load(DIR.resolve("allocate.spec"));
    static final IsolationProperty NEVER_OVERSOLD = SPEC.property(IsolationOracle.allOf(
            IsolationOracle.finalState("not oversold", "SELECT sku FROM inventory WHERE allocated > on_hand"),
            IsolationOracle.finalState("allocated is the sum of live allocations", """
                    SELECT i.sku FROM inventory i
                     WHERE i.allocated <> (SELECT coalesce(sum(a.quantity), 0) FROM allocations a
                                            WHERE a.sku = i.sku AND a.status <> 'cancelled')"""),
            IsolationOracle.noDeadlockExcept()));

    @Property(tries = 1)
    void theListedPermutationsPrintTheExpectedOutput(Db db) throws IOException {
        String expected = Files.readString(DIR.resolve("expected/allocate.out"));
        int repeat = Integer.getInteger("pgprop.isolation.repeat", 1);   // the 20-run loop: -Dpgprop.isolation.repeat=20
        for (int i = 0; i < repeat; i++) {
            IsolationRun run = SPEC.run(db);
            assertThat(run.output()).as("run %d: %s", i + 1, run.firstDifference(expected).orElse("")).isEqualTo(expected);
            assertThat(run.permutations().get(1).step(3).blockedBy()).containsExactly("s1");
        }
    }

    @Provide
    Arbitrary<IsolationSpec.Permutation> permutations() {
        return NEVER_OVERSOLD.permutations();
    }

    @Property(tries = 12)
    void allocateNeverOversellsInAnyPermutation(@ForAll("permutations") IsolationSpec.Permutation p, Db db) {
        NEVER_OVERSOLD.check(db, p);
    }
}

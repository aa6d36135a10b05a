package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;
import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.UNKNOWN;

import dev.pgprop.dsl.Interleaving;
import org.junit.jupiter.api.Test;

/** A scenario is a description: its steps are records, and the modifiers change the step declared last. */
class ScenarioSpecTest {
    private static final Db NO_TRY = new Db(() -> {
        throw new IllegalStateException("a description needs no try");
    });

    @Test
    void modifiersChangeTheLastStepAndItsName() {
        Role alice = Role.named("alice");
        Scenario s = NO_TRY.scenario()
                .whenCommitted(tx -> { })
                .whenRolledBack(tx -> { }).withRole(alice).atLevel(SERIALIZABLE)
                .whenConcurrently(3, tx -> { }).atLevel(REPEATABLE_READ)
                .whenCommittedAs(alice, tx -> { });
        assertThat(s.spec().steps()).extracting(Scenario.Step::name).containsExactly(
                "whenCommitted(read committed)",
                "whenRolledBackAs(alice, serializable)",
                "whenConcurrently(3, repeatable read)",
                "whenCommittedAs(alice, read committed)");
        Scenario.Transaction t = (Scenario.Transaction) s.spec().steps().get(1);
        assertThat(t.commit()).isFalse();
        assertThat(t.role()).isEqualTo(alice);
        assertThat(t.level()).isEqualTo(SERIALIZABLE);
    }

    @Test
    void aModifierWithoutAStepOrOnAnInterleavingSaysWhatItAppliesTo() {
        assertThatThrownBy(() -> NO_TRY.scenario().atLevel(SERIALIZABLE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("declare a step first");
        Interleaving il = Interleaving.of(SERIALIZABLE, "T1").step("T1", "select 1");
        assertThatThrownBy(() -> NO_TRY.scenario().whenInterleaved(il).withRole(Role.named("bob")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not to whenInterleaved");
        assertThatThrownBy(() -> NO_TRY.scenario().whenCommitted(tx -> { }).atLevel(UNKNOWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot run a transaction");
    }

    @Test
    void theDescriptionIsImmutable() {
        Scenario base = NO_TRY.given(Dataset.empty().plus("t", Row.of("id", 1)));
        Scenario more = base.whenCommitted(tx -> { }).allowing(ErrorClass.RAISED);
        assertThat(base.spec().steps()).isEmpty();
        assertThat(base.spec().allowed()).isEmpty();
        assertThat(more.spec().steps()).hasSize(1);
        assertThat(more.spec().allowed()).containsExactly(ErrorClass.RAISED);
        assertThat(more.spec().given()).isEqualTo(base.spec().given());
    }
}

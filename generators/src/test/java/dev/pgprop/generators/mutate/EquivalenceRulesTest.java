package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each equivalence rule on a mutant it sets apart and on a near twin it does not. */
class EquivalenceRulesTest {
    static final MigrationSet RULES = MigrationSet.of("filesystem:" + Path.of("src/test/resources/mutate/rules").toAbsolutePath());
    static Map<String, Mutant> mutants;

    @BeforeAll
    static void derive() {
        mutants = MutationAnalysis.of(RULES).mutants().stream().collect(Collectors.toMap(Mutant::id, Function.identity()));
    }

    static Equivalence of(String id) {
        assertThat(mutants).as("mutant ids").containsKey(id);
        return mutants.get(id).equivalence();
    }

    static void rule(String equivalentId, String twinId, String rule) {
        Equivalence e = of(equivalentId);
        assertThat(e.verdict()).as(equivalentId + ": " + e.reason()).isEqualTo(Equivalence.Verdict.EQUIVALENT);
        assertThat(e.rule()).isEqualTo(rule);
        assertThat(e.reason()).isNotBlank();
        Equivalence twin = of(twinId);
        assertThat(twin.verdict()).as(twinId + ": " + twin.reason()).isNotEqualTo(Equivalence.Verdict.EQUIVALENT);
        assertThat(twin.rule()).isNotEqualTo(rule);
    }

    @Test
    void primaryKeyKeepsNotNull() {
        rule("notnull.drop/rules.id", "notnull.drop/rules.code", "pk-implies-not-null");
    }

    @Test
    void identityKeepsNotNull() {
        rule("notnull.drop/rules.serial_no", "notnull.drop/rules.code", "identity-implies-not-null");
    }

    @Test
    void domainKeepsNotNull() {
        rule("notnull.drop/rules.label", "notnull.drop/rules.code", "domain-implies-not-null");
    }

    @Test
    void aCheckRequiringTheColumnMakesNotNullRedundant() {
        rule("notnull.add/rules.note", "notnull.add/rules.memo", "check-implies-not-null");
    }

    @Test
    void aCheckTheDomainAlsoMakesIsRedundant() {
        rule("check.drop/rules.amount_positive", "check.drop/rules.qty_over_five", "domain-implies-check");
    }

    @Test
    void aCheckRepeatedByAnotherIsRedundant() {
        rule("check.drop/rules.dup_first", "check.drop/rules.qty_over_five", "duplicate-check");
    }

    @Test
    void aBoundBeyondTheTypesRangeChangesNothing() {
        rule("check.bound/rules.small_at_most_max/small<=32768", "check.bound/rules.small_at_most_max/small<=32766", "bound-outside-type");
    }

    @Test
    void aBoundBeyondTheRangeOfANumericWithPrecisionChangesNothing() {
        // numeric(4,1) holds at most 999.9: price < 1000 and price < 1001 take the same values
        rule("check.bound/rules.price_range/price<1001", "check.bound/rules.price_range/price<999", "bound-outside-type");
    }

    @Test
    void aLengthBoundBeyondTheDeclaredLengthChangesNothing() {
        rule("check.bound/rules.name5_length/char_lengthname5text<=6", "check.bound/rules.name5_length/char_lengthname5text<=4",
                "bound-outside-type");
    }

    @Test
    void aComparisonFlippedAtAValueTheColumnCannotHoldChangesNothing() {
        // price = 1000 does not fit numeric(4,1); price = 0 does
        rule("check.operator/rules.price_range/price<to<=", "check.operator/rules.price_range/price>to>=", "boundary-outside-type");
        // price = 0.05 is finer than numeric(4,1)'s one digit after the point
        rule("check.operator/rules.price_step/price>=to>", "check.operator/rules.price_range/price>to>=", "boundary-outside-type");
        // the length of a varchar(5) can be 5
        Equivalence atLength = of("check.operator/rules.name5_length/char_lengthname5text<=to<");
        assertThat(atLength.verdict()).as(atLength.reason()).isEqualTo(Equivalence.Verdict.NOT_EQUIVALENT);
    }

    @Test
    void aBoundOtherChecksImplyIsRedundant() {
        rule("check.drop/stock.stock_on_hand_nonneg", "check.drop/stock.stock_on_order_nonneg", "implied-by-checks");
        rule("check.bound/stock.stock_on_hand_nonneg/on_hand>=-1", "check.bound/stock.stock_on_hand_nonneg/on_hand>=1", "implied-by-checks");
    }

    @Test
    void aBoundAnotherCheckMakesStrongerIsRedundant() {
        rule("check.drop/levels.lvl_nonneg", "check.drop/levels.lvl_range", "implied-by-checks");
        rule("check.bound/levels.lvl_nonneg/lvl>=1", "check.bound/levels.lvl_range/lvl>=0", "implied-by-checks");
        // lvl >= 0 flipped to lvl > 0: lvl >= 1 implies both
        rule("check.operator/levels.lvl_nonneg/lvl>=to>", "check.operator/levels.lvl_range/lvl>=to>", "implied-by-checks");
    }

    @Test
    void aCheckThatOnlyRepeatsNotNullIsRedundant() {
        rule("check.drop/rules.present_required", "check.drop/rules.note_required", "not-null-implies-check");
    }

    @Test
    void aKeyImpliedByAKeyOnFewerColumnsIsRedundant() {
        rule("unique.drop/rules.rules_a_b_key", "unique.drop/rules.rules_a_key", "key-implied-by-subset");
        rule("key.remove-column/rules.rules_a_b_key/b", "key.remove-column/rules.rules_a_b_key/a", "key-implied-by-subset");
    }

    @Test
    void aForeignKeyReAddedNotValidStillChecksEveryWrite() {
        rule("fk.not-valid/child.child_p_fkey", "fk.drop/child.child_p_fkey", "fk-not-valid");
    }

    @Test
    void aPolicyThatIsAlreadyTrueCannotBeWidened() {
        rule("policy.true/rules.open_read", "policy.true/rules.own_read", "policy-already-true");
    }

    @Test
    void aPolicyTurnedForAllWhereOtherPoliciesGrantTheRestByTheSameExpression() {
        rule("policy.command/owned.owned_delete/all", "policy.command/owned.owned_purge/all", "policy-command-covered");
    }

    @Test
    void aPrivilegeAlreadyHeldThroughPublic() {
        rule("grant.role/rules.select/pgprop_mutate_clerk", "grant.role/rules.update/pgprop_mutate_clerk", "grant-already-held");
    }

    @Test
    void restrictAgainstNoActionIsNeverEquivalent() {
        // not deferrable: one statement that deletes the parent and inserts it again tells them apart
        Equivalence immediate = of("fk.on-delete/child.child_p_fkey/no-action");
        assertThat(immediate.verdict()).as(immediate.reason()).isEqualTo(Equivalence.Verdict.NOT_EQUIVALENT);
        assertThat(immediate.reason()).contains("one statement");
        Equivalence deferrable = of("fk.on-delete/child.child_q_fkey/no-action");
        assertThat(deferrable.verdict()).as(deferrable.reason()).isEqualTo(Equivalence.Verdict.NOT_EQUIVALENT);
        assertThat(deferrable.reason()).contains("deferrable");
    }

    @Test
    void everyMutantThatRunsHasDdlThatRunsOnTheMigratedSchema() throws Exception {
        // a policy named "Clerks read their rules." is one identifier: quoted whole, not split at its dot
        assertThat(of("policy.drop/rules.Clerks read their rules.")).isNotNull();
        assertThat(mutants.get("policy.drop/rules.Clerks read their rules.").ddl()).contains("\"Clerks read their rules.\"");
        try (TestDatabase db = PgProp.server().createDatabase(RULES, "Rules"); Connection c = db.openConnection()) {
            c.setAutoCommit(false);
            for (Mutant m : mutants.values()) {
                if (m.equivalence().equivalent()) {
                    continue; // never run (some, such as NOT NULL dropped from a key column, PostgreSQL refuses)
                }
                try (Statement st = c.createStatement()) {
                    st.execute(m.ddl());
                } catch (SQLException e) {
                    throw new AssertionError(m.id() + ": " + m.ddl() + ": " + e.getMessage(), e);
                } finally {
                    c.rollback();
                }
            }
        }
    }

    @Test
    void noKeyMutantLeavesOutAPartitionColumn() {
        // PostgreSQL refuses such a key ("unique constraint on partitioned table must include all
        // partitioning columns"): the mutant would be broken, never a bug a schema can have
        assertThat(mutants).doesNotContainKey("key.remove-column/rules_audit.rules_audit_pkey/region")
                .containsKey("key.remove-column/rules_audit.rules_audit_pkey/audit_id");
        assertThat(mutants.keySet()).filteredOn(id -> id.startsWith("key.exchange-column/rules_audit."))
                .containsExactly("key.exchange-column/rules_audit.rules_audit_pkey/audit_id-actor");
    }

    @Test
    void everyOperatorWithATargetHereIsDerived() {
        List<String> operators = mutants.values().stream().map(Mutant::operator).distinct().sorted().toList();
        assertThat(operators).contains("notnull.drop", "notnull.add", "check.drop", "check.bound", "check.operator", "check.negate",
                "unique.drop", "pk.drop", "key.remove-column", "key.add-column", "key.exchange-column", "fk.drop", "fk.on-delete",
                "fk.on-update", "fk.not-valid", "default.drop", "rls.disable", "policy.true", "policy.drop", "policy.command",
                "policy.role", "grant.public", "grant.role");
        assertThat(mutants.values()).allSatisfy(m -> {
            assertThat(m.id()).startsWith(m.operator() + "/" + m.table() + ".");
            assertThat(m.description()).isNotBlank();
            assertThat(m.ddl()).isNotBlank();
        });
    }
}

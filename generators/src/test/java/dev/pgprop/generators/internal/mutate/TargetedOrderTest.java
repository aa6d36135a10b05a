package dev.pgprop.generators.internal.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.generators.mutate.Equivalence;
import dev.pgprop.generators.mutate.Mutant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order in which a mutant meets the checks: the datasets that name its object on its own
 * table first, then its table's, then the others (each group in drawing order); and the mutants
 * of operators no loaded dataset can show (actions, policies, grants, defaults) meet their
 * behavioural check first.
 */
class TargetedOrderTest {
    static MutationRun.Probe probe(String killer, String table) {
        return new MutationRun.Probe(killer, table, Dataset.empty(), "loaded");
    }

    @Test
    void theDatasetsThatNameTheMutatedObjectComeFirst() {
        Mutant m = new Mutant("check.drop/employees.employees_level_range", "check.drop", "employees", "employees_level_range", "d",
                "ALTER TABLE …", Equivalence.notEquivalent("w"));
        List<MutationRun.Probe> drawn = List.of(probe("schema check: a valid dataset of departments", "departments"),
                probe("schema check: a valid dataset of employees", "employees"),
                probe("schema check: CHECK employees_salary_positive (salary = 0)", "employees"),
                probe("schema check: edge of employees_level_range: level = 0", "employees"),
                probe("schema check: CHECK employees_level_range (level = 11)", "employees"),
                probe("schema check: CHECK departments_not_own_parent (parent_id = dept_id)", "departments"));
        assertThat(MutationRun.targeted(m, drawn).stream().map(MutationRun.Probe::killer).toList()).containsExactly(
                "schema check: edge of employees_level_range: level = 0", "schema check: CHECK employees_level_range (level = 11)",
                "schema check: a valid dataset of employees", "schema check: CHECK employees_salary_positive (salary = 0)",
                "schema check: a valid dataset of departments", "schema check: CHECK departments_not_own_parent (parent_id = dept_id)");
    }

    @Test
    void onlyTheOperatorsADatasetCannotShowGoToTheirBehaviouralCheckFirst() {
        assertThat(MutationRun.behaviour("fk.on-delete")).isEqualTo("fk-action");
        assertThat(MutationRun.behaviour("fk.on-update")).isEqualTo("fk-action");
        assertThat(MutationRun.behaviour("policy.command")).isEqualTo("rls");
        assertThat(MutationRun.behaviour("rls.disable")).isEqualTo("rls");
        assertThat(MutationRun.behaviour("grant.public")).isEqualTo("grant");
        assertThat(MutationRun.behaviour("default.change")).isEqualTo("default");
        for (String op : List.of("fk.drop", "fk.references", "fk.not-valid", "notnull.drop", "check.bound", "trigger.drop", "unique.drop")) {
            assertThat(MutationRun.behaviour(op)).as(op).isNull();
        }
    }
}

package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behavioural checks as the second stage of the mutation analysis, on mutants no dataset can
 * kill: each is killed by the named check, its reason says what differs, and its stored minimal
 * dataset replays in one try (the check passes on the original and fails on the mutant).
 */
class BehaviouralKillsTest {
    @Test
    void foreignKeyActionsAreJudgedByTheDeclaredAction() {
        Map<String, String> expected = Map.of(
                // NO ACTION against RESTRICT: one statement that deletes the parent and inserts it again
                "fk.on-delete/mentorships.mentorships_mentor_fk/restrict", "as RESTRICT does",
                // the parent is also held by departments_head_fk and mentorships_mentee_fk: they are set aside for the comparison
                "fk.on-delete/mentorships.mentorships_mentor_fk/cascade", "the child rows",
                // SET NULL on a NOT NULL column where a refusal is declared: the NULL shows
                "fk.on-update/employees.employees_dept_fk/set-null", "wrote NULL into employees.dept_id",
                // ON DELETE SET NULL declared, the mutant refuses
                "fk.on-delete/employees.employees_manager_fk/no-action", "was refused");
        assertKilled("org_chart", "fk-action", expected);
    }

    @Test
    void anUpdateMovesAKeyThatAForeignKeyOfTheParentHolds() {
        // leads.member_id is the key teams_lead_fk references and itself references members: leads_member_fk is set aside for
        // the comparison, so that a new member_id is taken and its cascade (or its SET NULL) shows
        assertKilled("graph_cycles", "fk-action", Map.of(
                "fk.on-update/teams.teams_lead_fk/cascade", "the child rows",
                "fk.on-update/teams.teams_lead_fk/set-null", "the child rows"));
    }

    @Test
    void aSelfReferenceIsJudgedOnTheDelete() {
        // comments.parent_id references comments: deleting a parent comment is refused (NO ACTION), the mutants cascade, set NULL or
        // refuse at once
        assertKilled("supabase_like", "fk-action", Map.of(
                "fk.on-delete/comments.comments_parent_id_fkey/cascade", "the child rows",
                "fk.on-delete/comments.comments_parent_id_fkey/set-null", "the child rows",
                "fk.on-delete/comments.comments_parent_id_fkey/restrict", "as RESTRICT does"));
    }

    @Test
    void rowLevelSecurityIsJudgedByTheDeclaredPolicies() {
        Map<String, String> expected = Map.of(
                // the policy admits a note through shares: a dataset of shares and the claim of one of its accounts show it
                "policy.drop/notes.notes_shared", "reads rows",
                // FOR SELECT becomes FOR ALL: the sharer may now delete
                "policy.command/notes.notes_shared/all", "deletes rows",
                // without row security a role that no policy names reads or writes rows (which first depends on the draw)
                "rls.disable/notes.row security", "but the policies admit []");
        assertKilled("rls_notes", "rls", expected);
    }

    @Test
    void aRowLevelSecurityKillStoresTheMinimalDatasetOfTheRoleThatKilledIt() {
        // the rls check compares every role, and anon, authenticated and a role no policy names each disagree here, each on its own
        // minimal dataset (and the claims drawn from it): the kill (as anon) stores anon's, which replays, not the last role's
        assertKilled("supabase_like", "rls", Map.of(
                "policy.true/posts.Authors write their posts.", "as anon",
                "rls.disable/posts.row security", "as anon"));
    }

    @Test
    void aMinimalDatasetStaysOneTheCheckCanUse() {
        // a trigger makes the profile of each auth.users row: a dataset without profiles still shows the update of the parent's
        // key, but the check only draws datasets that hold a child row, so the minimal dataset keeps one and replays
        assertKilled("supabase_app", "fk-action", Map.of("fk.on-update/profiles.profiles_id_fkey/cascade", "was not refused"));
    }

    private static void assertKilled(String schema, String check, Map<String, String> expected) {
        MutationAnalysis analysis = MutationAnalysis.of(Corpus.migrations(schema)).withTries(2).withSamples(1)
                .withOutputDir(Path.of("target/pgprop/behavioural-kills/" + schema)).withOnly(expected.keySet().toArray(String[]::new));
        MutationResult result = analysis.run();
        assertThat(result.mutants()).hasSize(expected.size());
        expected.forEach((id, reason) -> {
            MutationResult.Outcome o = result.outcome(id);
            assertThat(o.status()).as(id + ": " + o.note()).isEqualTo(MutantStatus.KILLED);
            assertThat(o.killedBy()).as(id).startsWith("schema check: " + check + " on ");
            assertThat(o.note()).as(id).contains(reason);
            assertThat(o.minimalRows()).as(id).isPositive();
            assertThat(o.minimalSqlFile()).as(id).isPresent();
            MutationAnalysis.Replay r = analysis.replay(id);
            assertThat(r.original()).as(id).startsWith("behaves as declared");
            assertThat(r.mutant()).as(id).startsWith("does not behave as declared");
            assertThat(r.reproduced()).as(id).isTrue();
        });
    }
}

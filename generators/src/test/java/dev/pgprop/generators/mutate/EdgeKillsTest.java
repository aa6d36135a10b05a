package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mutants that a dataset at a constraint's edge kills where the drawn datasets may not: the edge is
 * among the datasets that kill each, and its minimal dataset replays in one try (the original and
 * the mutant take it differently).
 */
class EdgeKillsTest {
    @Test
    void anArrayOfEachLengthAroundACardinalityBound() {
        assertKilled("catalogue", Map.of(
                // cardinality(tags) <= 10 becomes <= 9: an array of 10 elements
                "check.bound/products.products_tags_limit/cardinalitytags<=9", "cardinality(tags) = 10",
                // <= becomes <: the same array
                "check.operator/products.products_tags_limit/cardinalitytags<=to<", "cardinality(tags) = 10",
                // <= 11: an array of 11 elements
                "check.bound/products.products_tags_limit/cardinalitytags<=11", "cardinality(tags) = 11"));
    }

    @Test
    void aListOfCastValuesANullableColumnHoldingNullAndTwoRowsEqualOnAnIdentityKey() {
        assertKilled("saas_tenants", Map.of(
                // ((kind)::text = ANY ((ARRAY['invoice'::character varying, …])::text[])): the list's near miss 'INVOICE'
                "check.in-add/billing_events.billing_events_kind_valid/INVOICE", "kind = 'INVOICE'",
                // a NULL the generator rarely draws, a composite foreign key holding the column
                "notnull.add/app.tasks.assignee_id", "assignee_id: NULL",
                // GENERATED ALWAYS AS IDENTITY: two rows equal on it, written with OVERRIDING SYSTEM VALUE
                "pk.drop/billing_events.billing_events_pkey", "two rows equal on [event_id]"));
    }

    @Test
    void aBoundAtItsEdgeWithTheColumnsComparedWithItThere() {
        // on_hand >= 0 at 0 is refused by allocated <= on_hand unless allocated is 0 too: the edge
        // sets both, and a bound narrowed to 1 (or >= turned into >) refuses the row the original takes
        assertKilled(dev.pgprop.dsl.MigrationSet.of("classpath:pgprop/reference"), "reference", Map.of(
                "check.bound/inventory.inventory_on_hand_nonneg/on_hand>=1", "on_hand = 0 and allocated = 0",
                "check.operator/inventory.inventory_on_hand_nonneg/on_hand>=to>", "on_hand = 0 and allocated = 0"));
    }

    private static void assertKilled(String schema, Map<String, String> expected) {
        assertKilled(Corpus.migrations(schema), schema, expected);
    }

    private static void assertKilled(dev.pgprop.dsl.MigrationSet migrations, String schema, Map<String, String> expected) {
        MutationAnalysis analysis = MutationAnalysis.of(migrations).withTries(4).withSamples(1).withAllKillers(true)
                .withOutputDir(Path.of("target/pgprop/edge-kills/" + schema)).withOnly(expected.keySet().toArray(String[]::new));
        MutationResult result = analysis.run();
        assertThat(result.mutants()).hasSize(expected.size());
        expected.forEach((id, edge) -> {
            MutationResult.Outcome o = result.outcome(id);
            assertThat(o.status()).as(id + ": " + o.note()).isEqualTo(MutantStatus.KILLED);
            // every dataset that kills it is named: the edge is among them
            assertThat(o.killedBy()).as(id).startsWith("schema check: ").contains(edge);
            assertThat(o.minimalRows()).as(id).isPositive();
            MutationAnalysis.Replay r = analysis.replay(id);
            assertThat(r.reproduced()).as(id + ": " + r).isTrue();
        });
    }
}

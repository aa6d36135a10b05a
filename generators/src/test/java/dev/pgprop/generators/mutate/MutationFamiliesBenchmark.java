package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance of the schema check as a killer: on {@code org_chart} (self-references, a
 * nullable cycle, every foreign-key action) and {@code rls_notes} (policies on a setting, one of
 * them reading another table), every mutant of the NOT NULL, CHECK, UNIQUE / PRIMARY KEY, FOREIGN
 * KEY and row-level-security operators is killed by the schema check alone, or equivalent by a
 * rule, or listed below with the reason it survives. Each kill names its check, and its minimal
 * dataset replays in one try: the first kill of every operator by default, every kill with
 * {@code -Dpgprop.mutate.replayAll=true}. About five minutes under load, so it runs with {@code -Pbench}
 * ({@code mvn -Pbench test -pl generators -am -Dtest=MutationFamiliesBenchmark}); the default run has
 * the shorter {@link MutationAnalysisTest}.
 */
class MutationFamiliesBenchmark {
    static final Set<String> FAMILIES = Set.of("notnull.drop", "notnull.add", "check.drop", "check.bound", "check.operator",
            "check.in-remove", "check.in-add", "check.negate", "pk.drop", "unique.drop", "key.remove-column", "key.add-column",
            "key.exchange-column", "index.drop-unique", "fk.drop", "fk.on-delete", "fk.on-update", "fk.references", "fk.not-valid",
            "rls.disable", "policy.true", "policy.drop", "policy.command", "policy.role");
    /** Mutants of these families the schema check does not kill, with the reason; each must still survive. */
    static final Map<String, String> KNOWN_SURVIVORS = Map.of();

    /**
     * {@code org_chart} and {@code rls_notes}; {@code -Dpgprop.mutate.families=a,b} for others ({@code reference} for the
     * reference schema), {@code all} for the whole corpus.
     */
    static List<String> schemas() {
        String named = System.getProperty("pgprop.mutate.families", "org_chart,rls_notes");
        return named.equals("all") ? Corpus.names() : List.of(named.split(","));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void theSchemaCheckAloneKillsEveryMutantOfTheFiveFamilies(String schema) throws Exception {
        Path out = Path.of("target/pgprop/mutation-families/" + schema);
        MutationAnalysis analysis = MutationAnalysis.of(schema.equals("reference") ? MigrationSet.of("classpath:pgprop/reference")
                        : Corpus.migrations(schema)).withTries(4).withSamples(1).withOutputDir(out)
                .withOperators(FAMILIES.toArray(String[]::new));
        MutationResult result = analysis.run();

        assertThat(result.mutants()).isNotEmpty();
        assertThat(result.mutants()).filteredOn(o -> !KNOWN_SURVIVORS.containsKey(o.mutant().id()))
                .allSatisfy(o -> assertThat(o.status()).as(o.mutant().id() + ": " + o.note())
                        .isIn(MutantStatus.KILLED, MutantStatus.EQUIVALENT));
        KNOWN_SURVIVORS.forEach((id, why) -> result.mutants().stream().filter(o -> o.mutant().id().equals(id)).forEach(o ->
                assertThat(o.status()).as(id + " is killed now; remove it from KNOWN_SURVIVORS").isEqualTo(MutantStatus.SURVIVED)));
        assertThat(result.mutants()).filteredOn(o -> o.status() == MutantStatus.EQUIVALENT)
                .allSatisfy(o -> assertThat(o.note()).as(o.mutant().id()).isNotBlank());

        Map<String, MutationResult.Outcome> firstPerOperator = new LinkedHashMap<>();
        for (MutationResult.Outcome o : result.mutants()) {
            if (o.status() != MutantStatus.KILLED) {
                continue;
            }
            assertThat(o.killedBy()).as(o.mutant().id()).startsWith("schema check: ");
            assertThat(o.minimalRows()).as(o.mutant().id()).isPositive();
            assertThat(o.minimalSqlFile()).as(o.mutant().id()).isPresent();
            assertThat(Files.readString(o.minimalSqlFile().orElseThrow())).as(o.mutant().id()).contains("INSERT INTO");
            assertThat(o.replay()).as(o.mutant().id()).contains("-Dpgprop.mutate.replay=" + o.mutant().id());
            firstPerOperator.putIfAbsent(o.mutant().operator(), o);
        }
        List<MutationResult.Outcome> replayed = Boolean.getBoolean("pgprop.mutate.replayAll")
                ? result.mutants().stream().filter(o -> o.status() == MutantStatus.KILLED).toList()
                : List.copyOf(firstPerOperator.values());
        for (MutationResult.Outcome o : replayed) {
            MutationAnalysis.Replay r = analysis.replay(o.mutant().id());
            assertThat(r.reproduced()).as(o.mutant().id() + " (" + o.killedBy() + "): " + r).isTrue();
        }
        System.out.printf("MutationFamiliesBenchmark %s: %d mutants, %d killed, %d equivalent, %d survived; %d kills replayed%n", schema,
                result.mutants().size(), result.count(MutantStatus.KILLED), result.count(MutantStatus.EQUIVALENT),
                result.count(MutantStatus.SURVIVED), replayed.size());
    }
}

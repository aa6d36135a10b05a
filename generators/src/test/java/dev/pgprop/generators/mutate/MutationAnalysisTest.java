package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner on a small corpus schema with few datasets: the schema check kills every
 * non-equivalent mutant of the NOT NULL, CHECK, key and foreign-key operators, each kill names
 * its check and a minimal dataset that replays in one try, and the CSV and the report say so.
 */
class MutationAnalysisTest {
    static final Set<String> CORE = Set.of("notnull.drop", "notnull.add", "check.drop", "check.bound", "check.operator", "check.in-remove",
            "check.in-add", "pk.drop", "unique.drop", "key.remove-column", "key.add-column", "key.exchange-column", "fk.drop",
            "index.drop-unique");
    /**
     * Mutants the check does not kill on this schema, with the reason. Each must still survive, so
     * that the day it is killed this test says to remove it from here. (None: the two mentorships
     * rows equal on one column of its two-column key need a third employee, and a table with a
     * composite key is drawn until a dataset holds three of its rows.)
     */
    static final java.util.Map<String, String> KNOWN_SURVIVORS = java.util.Map.of();
    static final Path OUT = Path.of("target/pgprop/mutation-test");
    static MutationAnalysis analysis;
    static MutationResult result;

    @BeforeAll
    static void run() {
        analysis = MutationAnalysis.of(Corpus.migrations("org_chart")).withTries(4).withSamples(1).withOutputDir(OUT)
                .withOperators(CORE.toArray(String[]::new));
        result = analysis.run();
    }

    @Test
    void theSchemaCheckKillsEveryCoreMutantThatIsNotEquivalent() {
        assertThat(result.mutants()).hasSizeGreaterThan(40);
        assertThat(result.mutants()).filteredOn(o -> !KNOWN_SURVIVORS.containsKey(o.mutant().id()))
                .allSatisfy(o -> assertThat(o.status()).as(o.mutant().id() + " " + o.note()).isIn(MutantStatus.KILLED, MutantStatus.EQUIVALENT));
        KNOWN_SURVIVORS.forEach((id, why) -> assertThat(result.outcome(id).status())
                .as(id + " is killed now; remove it from KNOWN_SURVIVORS").isEqualTo(MutantStatus.SURVIVED));
        assertThat(result.count(MutantStatus.KILLED)).isGreaterThan(40);
        assertThat(result.count(MutantStatus.EQUIVALENT)).isEqualTo(4);
        // named kills, one per operator family
        assertThat(result.outcome("notnull.drop/employees.full_name").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(result.outcome("check.bound/employees.employees_level_range/level>=0").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(result.outcome("check.bound/employees.employees_level_range/level>=2").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(result.outcome("fk.drop/employees.employees_dept_fk").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(result.outcome("unique.drop/employees.employees_email_key").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(result.outcome("notnull.drop/employees.emp_id").status()).isEqualTo(MutantStatus.EQUIVALENT);
        assertThat(result.outcome("key.remove-column/mentorships.mentorships_pkey/mentee_id").status()).isEqualTo(MutantStatus.KILLED);
    }

    @Test
    void everyKillNamesItsCheckAndAMinimalDatasetThatReplaysInOneTry() throws Exception {
        List<MutationResult.Outcome> killed = result.mutants().stream().filter(o -> o.status() == MutantStatus.KILLED).toList();
        for (MutationResult.Outcome o : killed) {
            assertThat(o.killedBy()).as(o.mutant().id()).startsWith("schema check: ");
            assertThat(o.minimalRows()).as(o.mutant().id()).isPositive();
            assertThat(o.minimalSqlFile()).as(o.mutant().id()).isPresent();
            assertThat(Files.readString(o.minimalSqlFile().orElseThrow())).contains("INSERT INTO");
            assertThat(o.replay()).contains("-Dpgprop.mutate.replay=" + o.mutant().id());
        }
        // a weaker mutant (a NULL accepted) and a stronger one (a valid row refused), each replayed once
        for (String id : List.of("notnull.drop/employees.full_name", "check.bound/employees.employees_level_range/level>=2",
                "fk.drop/employees.employees_dept_fk")) {
            MutationAnalysis.Replay r = analysis.replay(id);
            assertThat(r.reproduced()).as(id + ": " + r).isTrue();
        }
        MutationAnalysis.Replay notNull = analysis.replay("notnull.drop/employees.full_name");
        assertThat(notNull.original()).startsWith("refused 23502");
        assertThat(notNull.mutant()).startsWith("loaded");
        assertThat(result.outcome("notnull.drop/employees.full_name").minimalRows()).isLessThanOrEqualTo(2);
    }

    @Test
    void theCsvHasTheDeclaredColumnsAndTheScoreItsDefinition() throws Exception {
        List<String> lines = Files.readAllLines(OUT.resolve("mutation/mutants.csv"));
        assertThat(lines.get(0)).isEqualTo("id,operator,table,object,description,status,killed_by,minimal_rows,seconds");
        assertThat(lines).hasSize(result.mutants().size() + 1);
        long counted = result.mutants().size() - result.count(MutantStatus.EQUIVALENT) - result.count(MutantStatus.BROKEN);
        assertThat(result.score()).isEqualTo(result.count(MutantStatus.KILLED) / (double) counted);
        String html = Files.readString(OUT.resolve("report/index.html"));
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "Mutation score: %.1f %%", 100 * result.score()));
        for (String id : KNOWN_SURVIVORS.keySet()) { // every survivor is listed
            assertThat(html).contains("<tr class=\"bad\"><td>" + id + "</td>");
        }
    }
}

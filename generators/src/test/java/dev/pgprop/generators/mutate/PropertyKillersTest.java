package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The user's property classes as killers: each class database is the mutant, a failed property kills it. */
class PropertyKillersTest {
    @Test
    void aPropertyClassKillsTheMutantItCoversAndNoOther() {
        MutationResult r = MutationAnalysis.of(Corpus.migrations("org_chart")).withOutputDir(Path.of("target/pgprop/mutation-properties"))
                .withTests(".*FullNameRequiredProbe")
                .withOnly("notnull.drop/employees.full_name", "notnull.drop/employees.email", "notnull.drop/employees.emp_id")
                .run();
        assertThat(r.mutants()).hasSize(3);
        MutationResult.Outcome fullName = r.outcome("notnull.drop/employees.full_name");
        assertThat(fullName.status()).isEqualTo(MutantStatus.KILLED);
        assertThat(fullName.killedBy()).isEqualTo("dev.pgprop.generators.mutate.probe.FullNameRequiredProbe#anEmployeeNeedsAFullName");
        assertThat(fullName.replay()).contains("-Dpgprop.mutation.ddl=ALTER TABLE public.employees ALTER COLUMN full_name DROP NOT NULL");
        assertThat(r.outcome("notnull.drop/employees.email").status()).isEqualTo(MutantStatus.SURVIVED);
        assertThat(r.outcome("notnull.drop/employees.emp_id").status()).isEqualTo(MutantStatus.EQUIVALENT);
        assertThat(r.score()).isEqualTo(0.5);
    }
}

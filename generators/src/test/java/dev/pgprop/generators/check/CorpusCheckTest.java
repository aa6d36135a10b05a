package dev.pgprop.generators.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.generators.corpus.Corpus;
import dev.pgprop.generators.internal.check.DerivedSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The schema check passes on every corpus schema: valid datasets for every table load, pass
 * constraintsHold and read back, and every constraint refuses what breaks it with its SQLSTATE
 * and name; every behavioural check (foreign-key actions, defaults, row-level security, grants,
 * rollbacks) agrees with the catalog. The default suite draws 5 datasets per table and 1 violation per constraint; {@code
 * -Dpgprop.check.tries=1000 -Dpgprop.check.samples=3} runs the acceptance figures, {@code
 * -Dpgprop.check.only=film_rental,ledger} some schemas only.
 */
class CorpusCheckTest {
    static final int TRIES = Integer.getInteger("pgprop.check.tries", 5);
    static final int SAMPLES = Integer.getInteger("pgprop.check.samples", 1);

    /**
     * Constraints the check cannot break yet, with the reason. Each must still fail, so that the
     * day it is caught this test says to remove it from here.
     */
    static final Map<String, Map<String, String>> KNOWN_GAPS = Map.of();

    @TestFactory
    List<DynamicTest> theCheckPassesOnEverySchemaOfTheCorpus() {
        List<DynamicTest> tests = new ArrayList<>();
        String only = System.getProperty("pgprop.check.only", "");
        for (String name : Corpus.names()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(name)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                try (TestDatabase db = PgProp.server().createDatabase(Corpus.migrations(name), "Check_" + name)) {
                    SchemaCheck.Result r = SchemaCheck.run(db, DerivedSource.of(db), TRIES, SAMPLES, 20261202L,
                            Path.of("target/pgprop/corpus-check/" + name));
                    List<String> failed = new ArrayList<>();
                    r.tables().stream().filter(t -> !t.passed()).forEach(t -> failed.add(t.table() + ": " + t.firstError()));
                    Map<String, String> gaps = KNOWN_GAPS.getOrDefault(name, Map.of());
                    r.entries().stream().filter(e -> !e.passed() && !gaps.containsKey(e.constraint()))
                            .forEach(e -> failed.add(e.constraint() + ": " + e.note()));
                    r.behaviours().stream().filter(b -> !b.passed())
                            .forEach(b -> failed.add(b.check() + " " + b.object() + " on " + b.table() + ": " + b.problem()));
                    assertThat(failed).as(name).isEmpty();
                    assertThat(r.entries()).as(name + ": a known gap that now passes; remove it from KNOWN_GAPS")
                            .filteredOn(e -> gaps.containsKey(e.constraint()))
                            .hasSize(gaps.size())
                            .noneMatch(SchemaCheck.EntryResult::passed);
                    assertThat(r.tables()).allMatch(t -> t.loaded() == TRIES);
                }
            }));
        }
        return tests;
    }
}

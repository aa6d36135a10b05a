package dev.pgprop.generators.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.generators.corpus.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The full run: every corpus schema and the reference schema, every operator, the schema check
 * alone, default settings. Prints each schema's score and survivors, and writes them to {@code
 * target/pgprop/bench-mutation-corpus/summary.csv}. Runs only with {@code -Pbench} ({@code
 * -Dpgprop.mutate.corpus=film_rental,ledger} for some schemas only). Asserts that every mutant of
 * the NOT NULL, CHECK, key and foreign-key-drop operators is killed or equivalent, except those
 * listed with their reason in BENCHMARKS.md (printed as survivors).
 */
class MutationCorpusBenchmark {
    static final Set<String> CORE = Set.of("notnull.drop", "notnull.add", "check.drop", "check.bound", "check.operator", "check.in-remove",
            "pk.drop", "unique.drop", "key.remove-column", "key.add-column", "key.exchange-column", "fk.drop", "index.drop-unique");

    @Test
    void corpusAndReference() throws Exception {
        Map<String, MigrationSet> schemas = new TreeMap<>();
        for (String name : Corpus.names()) {
            schemas.put(name, Corpus.migrations(name));
        }
        schemas.put("reference", MigrationSet.of("classpath:pgprop/reference"));
        String only = System.getProperty("pgprop.mutate.corpus", "");
        StringBuilder csv = new StringBuilder("schema,mutants,killed,survived,equivalent,broken,timeout,score,seconds,core_survivors\n");
        List<String> survivors = new ArrayList<>();
        Path out = Path.of("target/pgprop/bench-mutation-corpus");
        for (Map.Entry<String, MigrationSet> e : schemas.entrySet()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(e.getKey())) {
                continue;
            }
            MutationResult r = MutationAnalysis.of(e.getValue()).withOutputDir(out.resolve(e.getKey())).run();
            long core = r.survivors().stream().filter(o -> CORE.contains(o.mutant().operator())).count();
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%d,%.3f,%.1f,%d%n", e.getKey(), r.mutants().size(),
                    r.count(MutantStatus.KILLED), r.count(MutantStatus.SURVIVED), r.count(MutantStatus.EQUIVALENT), r.count(MutantStatus.BROKEN),
                    r.count(MutantStatus.TIMEOUT), r.score(), r.seconds(), core));
            for (MutationResult.Outcome o : r.survivors()) {
                survivors.add(e.getKey() + " " + o.mutant().id() + " | " + o.mutant().description() + " | " + o.note());
            }
            assertThat(r.mutants()).isNotEmpty();
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.csv"), csv.toString());
        Files.write(out.resolve("survivors.txt"), survivors);
        System.out.println("BENCH mutation corpus\n" + csv + "BENCH survivors:\n" + String.join("\n", survivors));
    }
}

package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.concurrency.Anomaly;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The isolation matrix: every anomaly of the catalogue run at every level, each cell decided from
 * the observed outcome; written to {@code target/pgprop/report/isolation-matrix.csv} and printed.
 * It must be the same in three runs, and match what Hermitage reports for PostgreSQL.
 */
class IsolationMatrixTest {
    static IsolationMatrix current = new IsolationMatrix();

    @PgProperties(migrations = "classpath:concurrency/hermitage")
    static class Catalogue {
        // exhaustive: every level x anomaly exactly once, 30 tries (a cell is one observation, not a sample)
        @Property(generation = GenerationMode.EXHAUSTIVE)
        void cell(@ForAll Anomaly anomaly, @ForAll Level level, Db db) {
            current.put(level, anomaly, IsolationMatrix.observe(db, anomaly, level));
        }
    }

    static IsolationMatrix runCatalogue() {
        current = new IsolationMatrix();
        EngineExecutionResults r = Jqwik.run(Catalogue.class);
        r.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(current.complete()).as("every cell was run").isTrue();
        return current;
    }

    @Test
    void theMatrixIsComputedStableAcrossThreeRunsAndAsHermitageReportsForPostgres() throws Exception {
        List<IsolationMatrix> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(runCatalogue());
        }
        IsolationMatrix matrix = runs.get(0);
        Path file = matrix.write();
        System.out.println("pgprop isolation matrix, PostgreSQL " + PgProp.server().version()
                + ", computed from the observed outcomes (" + file + "):\n" + matrix.table());

        assertThat(runs.get(1)).as("second run").isEqualTo(matrix);
        assertThat(runs.get(2)).as("third run").isEqualTo(matrix);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("level,anomaly,prevented");
        assertThat(lines).hasSize(1 + 30);
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches(
                "(read committed|repeatable read|serializable),(G0|G1a|G1b|G1c|OTV|PMP|P4|G-single|G2-item|G2),(true|false)"));

        // What Hermitage reports for PostgreSQL: the computed matrix must agree, cell by cell.
        for (Level l : Level.values()) {
            for (Anomaly a : Anomaly.values()) {
                assertThat(matrix.prevented(l, a)).as(a.label() + " at " + l.label() + ": " + matrix.verdict(l, a).evidence())
                        .isEqualTo(hermitage(l, a));
            }
        }
    }

    /** Hermitage's PostgreSQL column: what each level is documented to prevent. */
    private static boolean hermitage(Level level, Anomaly anomaly) {
        return switch (anomaly) {
            case G0, G1A, G1B, G1C, OTV -> true;
            case PMP, P4, G_SINGLE -> level != Level.READ_COMMITTED;
            case G2_ITEM, G2 -> level == Level.SERIALIZABLE;
        };
    }
}

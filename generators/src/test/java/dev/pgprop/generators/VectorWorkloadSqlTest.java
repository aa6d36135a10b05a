package dev.pgprop.generators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.generators.model.VectorWorkload;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A vector workload prints as SQL that recreates its vectors, for a failure report. */
class VectorWorkloadSqlTest {
    @Test
    void theWorkloadPrintsAsRunnableSqlWithItsVectors() {
        VectorWorkload w = new VectorWorkload(List.of(new float[] {1, 0, 0}, new float[] {0.5f, -2.25f, 0.001f}),
                List.of(new float[] {1, 0.1f, 0}));
        String sql = w.toSql();
        assertThat(sql).contains("CREATE TEMP TABLE workload_data (id integer PRIMARY KEY, embedding vector(3));")
                .contains("(2, '[0.5,-2.25,0.001]')").contains("CREATE TEMP TABLE workload_queries")
                .doesNotContain("VectorWorkload[");
        try (ReferenceDb db = new ReferenceDb("VectorWorkloadSql")) {
            db.inRollback(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                    List<Integer> nearest = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery("SELECT d.id FROM workload_data d, workload_queries q WHERE q.id = 1"
                            + " ORDER BY d.embedding <-> q.embedding LIMIT 2")) {
                        while (rs.next()) {
                            nearest.add(rs.getInt(1));
                        }
                    }
                    assertThat(nearest).containsExactly(1, 2);
                }
            });
        }
    }
}

package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCheckSectionTest {
    private static void write(Path dir, String tables, String constraints) throws Exception {
        Files.createDirectories(dir.resolve("schema"));
        Files.writeString(dir.resolve("schema/tables.csv"), tables);
        Files.writeString(dir.resolve("schema/constraints.csv"), constraints);
    }

    @Test
    void nothingWhenTheCheckDidNotRun(@TempDir Path dir) {
        assertThat(SchemaCheckSection.render(dir, new ArrayList<>())).isEmpty();
        assertThat(HtmlReport.render(dir, null, Instant.now())).doesNotContain("schema-check");
    }

    @Test
    void aFailedCheckShowsTheTablesAndTheConstraintsNotRefused(@TempDir Path dir) throws Exception {
        write(dir, """
                table,columns,tries,loaded,load_errors,first_error
                film,13,100,100,0,
                rental,7,100,97,3,"load error 23505: duplicate key, twice"
                """, """
                table,constraint,kind,violation_drawn,refused,sqlstate,expected_sqlstate,named_correctly,note
                film,film_rental_rate_positive,CHECK,3,3,23514,23514,3,
                rental,rental_returned_after_rented,CHECK,3,0,,23514,0,not enforced: the change was accepted
                billing,event_id NOT NULL,NOT_NULL,0,0,,23502,0,unreachable: an identity column GENERATED ALWAYS
                """);
        List<String> sources = new ArrayList<>();
        String html = SchemaCheckSection.render(dir, sources);
        assertThat(html).contains("verdict bad").contains("Failed: 2 tables, 1 with load errors; 1 of 2 constraints refused as declared"
                + " (1 unreachable by an INSERT)");
        assertThat(html).contains("<h3>Constraints not refused as declared</h3>").contains("rental_returned_after_rented")
                .contains("load error 23505: duplicate key, twice");
        assertThat(sources).containsExactly("schema/tables.csv (2 tables), schema/constraints.csv (3 constraints)");
        assertThat(HtmlReport.render(dir, null, Instant.now())).contains("<section id=\"schema-check\">");
    }

    @Test
    void aPassedCheckSaysSo(@TempDir Path dir) throws Exception {
        write(dir, "table,columns,tries,loaded,load_errors,first_error\nfilm,13,100,100,0,\n",
                "table,constraint,kind,violation_drawn,refused,sqlstate,expected_sqlstate,named_correctly,note\n"
                        + "film,film_pkey,PRIMARY_KEY,3,3,23505,23505,3,\n");
        String html = SchemaCheckSection.render(dir, new ArrayList<>());
        assertThat(html).contains("verdict good").contains("Passed: 1 tables, 0 with load errors; 1 of 1 constraints refused as declared")
                .doesNotContain("<h3>");
    }
}

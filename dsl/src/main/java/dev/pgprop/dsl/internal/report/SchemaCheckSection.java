package dev.pgprop.dsl.internal.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's section for the schema check ({@code ./pgprop check}), read from {@code
 * schema/tables.csv} and {@code schema/constraints.csv}: a verdict, every table with its load
 * errors, and every constraint that was not refused as declared; all constraints behind a fold.
 * Nothing when the check did not run.
 */
final class SchemaCheckSection {
    private SchemaCheckSection() {}

    static String render(Path outputDir, List<String> sources) {
        Path tablesFile = outputDir.resolve("schema").resolve("tables.csv");
        Path constraintsFile = outputDir.resolve("schema").resolve("constraints.csv");
        if (!Files.isRegularFile(tablesFile) || !Files.isRegularFile(constraintsFile)) {
            return "";
        }
        Csv tables;
        Csv constraints;
        try {
            tables = Csv.read(tablesFile);
            constraints = Csv.read(constraintsFile);
        } catch (IOException | RuntimeException e) {
            return "<section id=\"schema-check\"><h2>Schema check</h2><p class=\"note\">Unreadable: "
                    + Html.esc(String.valueOf(e.getMessage())) + "</p></section>\n";
        }
        sources.add("schema/tables.csv (" + tables.rows().size() + " tables), schema/constraints.csv ("
                + constraints.rows().size() + " constraints)");
        int badTables = 0;
        for (int r = 0; r < tables.rows().size(); r++) {
            if (!tables.cell(r, tables.column("load_errors")).equals("0")) {
                badTables++;
            }
        }
        List<Integer> badEntries = new ArrayList<>();
        int unreachable = 0;
        for (int r = 0; r < constraints.rows().size(); r++) {
            String note = constraints.cell(r, constraints.column("note"));
            if (note.startsWith("unreachable")) {
                unreachable++;
                continue;
            }
            String drawn = constraints.cell(r, constraints.column("violation_drawn"));
            if (drawn.equals("0") || !drawn.equals(constraints.cell(r, constraints.column("refused")))
                    || !drawn.equals(constraints.cell(r, constraints.column("named_correctly")))) {
                badEntries.add(r);
            }
        }
        boolean passed = badTables == 0 && badEntries.isEmpty();
        StringBuilder b = new StringBuilder();
        b.append("<section id=\"schema-check\"><h2>Schema check</h2><div class=\"verdict ").append(passed ? "good" : "bad").append("\">")
                .append(Html.esc((passed ? "Passed: " : "Failed: ") + tables.rows().size() + " tables, " + badTables
                        + " with load errors; " + (constraints.rows().size() - unreachable - badEntries.size()) + " of "
                        + (constraints.rows().size() - unreachable) + " constraints refused as declared"
                        + (unreachable > 0 ? " (" + unreachable + " unreachable by an INSERT)" : "")))
                .append("</div>");
        table(b, tables, allRows(tables), r -> !tables.cell(r, tables.column("load_errors")).equals("0"));
        if (!badEntries.isEmpty()) {
            b.append("<h3>Constraints not refused as declared</h3>");
            table(b, constraints, badEntries, r -> true);
        }
        b.append("<details><summary>All ").append(constraints.rows().size()).append(" constraints</summary>");
        table(b, constraints, allRows(constraints), badEntries::contains);
        b.append("</details></section>\n");
        return b.toString();
    }

    private static List<Integer> allRows(Csv csv) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            rows.add(r);
        }
        return rows;
    }

    private static void table(StringBuilder b, Csv csv, List<Integer> rows, java.util.function.IntPredicate bad) {
        b.append("<table><thead><tr>");
        for (String h : csv.header()) {
            b.append("<th>").append(Html.esc(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r : rows) {
            b.append(bad.test(r) ? "<tr class=\"bad\">" : "<tr>");
            for (int c = 0; c < csv.header().size(); c++) {
                b.append("<td>").append(Html.esc(csv.cell(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }
}

package dev.pgprop.dsl.internal.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections for pgprop's own features, read from the files those features write: the
 * schema check ({@code schema/tables.csv}, {@code schema/constraints.csv}) and the mutation
 * analysis ({@code mutation/mutants.csv}, with each survivor's DDL from {@code mutation/ddl.csv}). A feature that has not run gets a note saying so.
 */
final class BuiltInSections {
    private BuiltInSections() {}

    static void schema(HtmlReport.Page p) {
        Path dir = p.outputDir.resolve("schema");
        StringBuilder b = p.b;
        b.append("<section id=\"schema\"><h2>Schema check</h2>");
        Path tables = dir.resolve("tables.csv");
        Path constraints = dir.resolve("constraints.csv");
        if (!Files.isRegularFile(tables) && !Files.isRegularFile(constraints)) {
            b.append("<p class=\"note\">The schema check has not run (no <code>schema/tables.csv</code> or <code>schema/constraints.csv</code>; ")
                    .append("<code>./pgprop check</code> writes them).</p></section>\n");
            return;
        }
        Csv t = Files.isRegularFile(tables) ? p.csv(tables) : null;
        if (t != null) {
            b.append("<h3>Tables <span class=\"muted\">schema/tables.csv</span>").append(p.staleNote(tables)).append("</h3>");
            grid(p, t, r -> {
                double loaded = Csv.number(col(t, r, "loaded")).orElse(-1);
                double errors = Csv.number(col(t, r, "load_errors")).orElse(0);
                if (errors > 0 || loaded == 0) {
                    return new String[] {"bad", "fails"};
                }
                return loaded > 0 ? new String[] {"good", "loads"} : new String[] {"neutral", "?"};
            });
        }
        Csv c = Files.isRegularFile(constraints) ? p.csv(constraints) : null;
        if (c != null) {
            b.append("<h3>Constraints <span class=\"muted\">schema/constraints.csv</span>").append(p.staleNote(constraints)).append("</h3>");
            grid(p, c, r -> {
                String refused = col(c, r, "refused").toLowerCase(Locale.ROOT);
                String named = col(c, r, "named_correctly").toLowerCase(Locale.ROOT);
                if (refused.equals("false")) {
                    return new String[] {"bad", "not enforced"};
                }
                if (refused.equals("true")) {
                    return named.equals("false") ? new String[] {"warn", "other name"} : new String[] {"good", "enforced"};
                }
                return new String[] {"neutral", refused.isEmpty() ? "?" : refused};
            });
        }
        b.append("</section>\n");
    }

    static void mutation(HtmlReport.Page p) {
        Path file = p.outputDir.resolve("mutation").resolve("mutants.csv");
        StringBuilder b = p.b;
        b.append("<section id=\"mutation\"><h2>Mutation analysis</h2>");
        Csv m = Files.isRegularFile(file) ? p.csv(file) : null;
        if (m == null) {
            b.append("<p class=\"note\">The mutation analysis has not run (no <code>mutation/mutants.csv</code>; ")
                    .append("<code>./pgprop mutate</code> writes it).</p></section>\n");
            return;
        }
        int status = m.column("status");
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        List<Integer> survivors = new ArrayList<>();
        for (int r = 0; r < m.rows().size(); r++) {
            String s = status < 0 ? "" : m.cell(r, status).toLowerCase(Locale.ROOT);
            byStatus.merge(s, 1, Integer::sum);
            if (s.equals("survived")) {
                survivors.add(r);
            }
        }
        int all = m.rows().size();
        int killed = byStatus.getOrDefault("killed", 0);
        int counted = all - byStatus.getOrDefault("equivalent", 0) - byStatus.getOrDefault("broken", 0);
        b.append("<p><span class=\"score\" data-score=\"").append(counted == 0 ? "" : String.format(Locale.ROOT, "%.4f", killed / (double) counted))
                .append("\">Mutation score: ").append(counted == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * killed / counted))
                .append("</span> <span class=\"muted\">killed ").append(killed).append(" of ").append(counted)
                .append(" (all ").append(all).append(" mutants less the equivalent and broken ones)")
                .append(p.staleNote(file)).append("</span></p><p class=\"muted\">");
        List<String> parts = new ArrayList<>();
        byStatus.forEach((k, v) -> parts.add(v + " " + (k.isEmpty() ? "without status" : k)));
        b.append(Html.esc(String.join(" · ", parts))).append("</p>");
        if (survivors.isEmpty()) {
            b.append("<p class=\"note\">No mutant survived.</p>");
        } else {
            b.append("<h3>Surviving mutants: the guarantees the tests do not cover</h3><table class=\"data grid\"><thead><tr>");
            List<String> shown = new ArrayList<>();
            for (String h : List.of("id", "operator", "table", "object", "description", "ddl")) {
                if (m.column(h) >= 0) {
                    shown.add(h);
                    b.append("<th>").append(Html.esc(h)).append("</th>");
                }
            }
            Map<String, String> ddl = m.column("ddl") < 0 ? ddl(p, file.resolveSibling("ddl.csv")) : Map.of();
            if (!ddl.isEmpty()) {
                b.append("<th>ddl</th>");
            }
            b.append("</tr></thead><tbody>");
            for (int r : survivors) {
                b.append("<tr class=\"bad\">");
                for (String h : shown) {
                    String v = m.cell(r, m.column(h));
                    b.append(h.equals("ddl") || h.equals("description") ? "<td><code>" + Html.esc(v) + "</code></td>" : "<td>" + Html.esc(v) + "</td>");
                }
                if (!ddl.isEmpty()) {
                    b.append("<td><code>").append(Html.esc(ddl.getOrDefault(col(m, r, "id"), ""))).append("</code></td>");
                }
                b.append("</tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<details><summary>all mutants (").append(all).append(")</summary>");
        p.table(m);
        b.append("</details></section>\n");
    }

    /** {@code mutation/ddl.csv}: mutant id -> the DDL that made it (empty when there is none). */
    private static Map<String, String> ddl(HtmlReport.Page p, Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        Csv d = Files.isRegularFile(file) ? p.csv(file) : null;
        if (d != null) {
            for (int r = 0; r < d.rows().size(); r++) {
                out.put(col(d, r, "id"), col(d, r, "ddl"));
            }
        }
        return out;
    }

    private static String col(Csv csv, int row, String name) {
        int c = csv.column(name);
        return c < 0 ? "" : csv.cell(row, c);
    }

    /** The CSV as a table with a verdict column first, coloured: [css class, word] per row. */
    private static void grid(HtmlReport.Page p, Csv csv, java.util.function.IntFunction<String[]> verdict) {
        StringBuilder b = p.b;
        b.append("<table class=\"data grid\"><thead><tr><th>verdict</th>");
        for (String h : csv.header()) {
            b.append("<th>").append(Html.esc(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < csv.rows().size(); r++) {
            String[] v = verdict.apply(r);
            b.append("<tr><td class=\"verdict ").append(v[0]).append("\">").append(Html.esc(v[1])).append("</td>");
            for (int c = 0; c < csv.header().size(); c++) {
                b.append("<td>").append(Html.esc(csv.cell(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
    }
}

package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.report.Figure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    private static final Instant NOW = Instant.parse("2026-11-24T02:00:00Z");

    @TempDir
    Path out;

    private static Map<String, Object> run(String timestamp, String type, String method, String status, long tries, long ms,
                                           String context) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", timestamp);
        m.put("class", "com.example." + type);
        m.put("method", method);
        m.put("property", type + "#" + method);
        m.put("status", status);
        m.put("seed", "-42" + tries);
        m.put("suiteSeed", "20261124");
        m.put("tries", tries);
        m.put("checks", tries);
        m.put("durationMs", ms);
        m.put("replay", false);
        m.put("context", context);
        m.put("metrics", Map.of("tries_rollback", tries));
        return m;
    }

    private void results(Map<?, ?>... lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map<?, ?> l : lines) {
            b.append(Json.write(l)).append('\n');
        }
        Files.writeString(out.resolve("results.jsonl"), b.toString(), StandardCharsets.UTF_8);
    }

    private void csv(String name, String text) throws IOException {
        Files.createDirectories(out.resolve("report"));
        Files.writeString(out.resolve("report").resolve(name), text, StandardCharsets.UTF_8);
    }

    private static int count(String html, String needle) {
        int n = 0;
        for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> chartIds(String html) {
        Matcher m = Pattern.compile("<svg class=\"pgprop-chart\" data-chart=\"([^\"]+)\"").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void everyPropertyFailureMatrixAndChartIsOnThePage() throws IOException {
        Path sql = Files.createDirectories(out.resolve("failures")).resolve("Shop.<script>neverOversold.sql");
        Files.writeString(sql, "insert into inventory (sku, note) values ('SKU-1', '</pre><script>alert(1)</script>');\n");
        Map<String, Object> failed = run("2026-11-24T01:59:00Z", "Shop", "<script>neverOversold", "failed", 37, 4200, "suite");
        failed.put("invariant", "noRows(select * from inventory where allocated > on_hand)");
        failed.put("minimalDatasetFile", sql.toString());
        failed.put("minimalDatasetRows", 1);
        failed.put("replayCommand", "mvn -pl properties -am test -Dtest='Shop#neverOversold' -Dpgprop.replay=inline:H4sI&<>");
        results(run("2026-11-24T01:58:00Z", "Shop", "totalsAdd", "successful", 100, 1500, "suite"),
                failed,
                run("2026-11-24T01:59:30Z", "Payments", "rlsHides", "successful", 50, 800, "suite"),
                run("2026-11-24T01:59:40Z", "Shop", "mutantCaught", "failed", 3, 90, "meta"));
        Figure.of("matrix", "isolation", "Isolation matrix").withChart(Figure.Chart.matrix("cells", "level", "anomaly", "prevented")
                .withTitle("Anomaly prevented at each isolation level").withCellLabels("prevented", "occurs")).write(out,
                "level,anomaly,prevented\nread committed,G0,true\nread committed,G2,false\nserializable,G0,true\nserializable,G2,true\n");
        Figure.of("recall", "search", "Search quality").withParameters("dim", "distribution")
                .withChart(Figure.Chart.line("curve", "ef", "recall").withSeries("n").withBand("lower", "upper").withLogX()
                        .withAxisTitles("ef (candidates)", "recall@10").withReference(0.95, "threshold 0.95"))
                .withChart(Figure.Chart.line("latency", "ef", "p95_ms").withSeries("n").withAxisTitles("ef", "p95 latency (ms)").withLogY())
                .write(out, "dim,n,ef,recall,lower,upper,p95_ms,distribution\n8,100,10,0.71,0.6,0.8,0.8,gauss\n8,100,40,0.93,0.9,0.97,1.4,gauss\n"
                        + "8,100,400,1.0,0.98,1,7.5,gauss\n8,1000,10,0.5,0.4,0.6,1.1,gauss\n8,1000,40,0.8,0.7,0.9,2.5,gauss\n"
                        + "8,1000,400,0.99,0.97,1,9.5,gauss\n");
        Figure.of("calls", "load", "Load").withChart(Figure.Chart.line("rate", "sessions", "calls_per_second")
                .withAxisTitles("sessions", "calls per second").withCounts("calls", "lost", "doubled"))
                .write(out, "sessions,calls,calls_per_second,lost,doubled\n1,100,500,0,0\n2,100,900,0,0\n4,100,1300,0,0\n");
        Figure.of("runners", "load", "Load").withBench().withChart(Figure.Chart.bar("rate", "runner", "tries_per_second")
                .withAxisTitles("runner", "tries per second"))
                .write(out, "runner,tries_per_second\ndsl,700\nplain loop,2100\npgbench,2500\n");
        csv("loose.csv", "k,v\n1,2\n2,4\n");

        String html = HtmlReport.render(out, null, NOW);

        // summary counts only the suite's runs; the meta run is listed apart
        assertThat(html).contains("1 of 3 properties failed").contains(">2</div><div class=\"l\">passed")
                .contains(">187</div><div class=\"l\">tries").contains("6.5 s").contains("20261124");
        assertThat(html).contains("Shop#totalsAdd", "Payments#rlsHides", "Runs started by meta-tests and benchmarks", "Shop#mutantCaught");
        assertThat(html.indexOf("Shop#mutantCaught")).isGreaterThan(html.indexOf("id=\"other-runs\""));
        // the failure: invariant, escaped minimal SQL from its file, replay command
        assertThat(html).contains("noRows(select * from inventory where allocated &gt; on_hand)")
                .contains("values (&#39;SKU-1&#39;, &#39;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;);")
                .contains("-Dtest=&#39;Shop#neverOversold&#39; -Dpgprop.replay=inline:H4sI&amp;&lt;&gt;")
                .contains("Shop#&lt;script&gt;neverOversold");
        assertThat(html).doesNotContain("<script");
        // the matrix: one cell per level x anomaly, coloured by verdict
        assertThat(count(html, "class=\"cell\"")).isEqualTo(4);
        assertThat(html).contains("data-column=\"read committed\" data-row=\"G2\"").contains(">occurs</text>");
        assertThat(count(html, "fill=\"#d9534f\"><title>G2 at read committed: occurs")).isEqualTo(1);
        // charts: exactly what the specs declare, sections by their titles, the bench figure marked
        assertThat(chartIds(html)).containsExactly("matrix.cells", "calls.rate", "bench-runners.rate", "recall.curve", "recall.latency");
        assertThat(html).contains("<h2>Isolation matrix</h2>", "<h2>Load</h2>", "<h2>Search quality</h2>")
                .contains("data-kind=\"line\" data-series-count=\"2\" data-points=\"3,3\" data-y=\"recall\" data-params=\"dim,distribution\"")
                .contains("data-kind=\"bar\" data-series-count=\"1\" data-points=\"3\"")
                .contains("data-spec=\"report/recall.figure.json\"", "data-spec=\"bench/runners.figure.json\"")
                .contains("class=\"band\"", "threshold 0.95", "class=\"al x-title\"", ">ef (candidates) (log scale)</text>",
                        ">p95 latency (ms), log scale</text>", ">n 1,000</text>")
                .contains("dim: 8 · distribution: gauss")
                .contains("0 lost, 0 doubled over 300 calls")
                .contains("<span class=\"benchmark\">bench · ");
        // the parameter is in the caption, not a series or an axis
        assertThat(html).doesNotContain(">dim</text>", ">dim 8</text>");
        // a CSV without a spec is a table, not a guessed chart
        assertThat(html).contains("report/loose.csv").contains("declare no chart");
        assertThat(count(html, "<svg")).isEqualTo(5);
    }

    @Test
    void aFigureMayNotPlotItsParameter() {
        assertThatThrownBy(() -> Figure.of("f", "s", "S").withParameters("n").withChart(Figure.Chart.bar("c", "path", "n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plots 'n'").hasMessageContaining("parameter");
        assertThatThrownBy(() -> Figure.Chart.bar("c", "path", "rows").withBand("a", "b")).hasMessageContaining("line chart");
        assertThatThrownBy(() -> Figure.Chart.line("c", "x", "y").withAxisTitles("x", " ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> Figure.of("../x", "s", "S")).hasMessageContaining("letters, digits");
    }

    @Test
    void missingInputsGiveNotesNotErrors() throws IOException {
        String html = HtmlReport.render(out, null, NOW);
        assertThat(html).contains("No results.jsonl: no property ran").contains("No property results in this run.")
                .contains("The schema check has not run").contains("The mutation analysis has not run");
        assertThat(chartIds(html)).isEmpty();

        HtmlReport.Written w = HtmlReport.write(out, null);
        assertThat(w.file()).isEqualTo(out.resolve("report").resolve("index.html"));
        assertThat(Files.readString(w.file())).endsWith("</html>\n");
        assertThat(w.charts()).isZero();
    }

    @Test
    void schemaCheckAndMutationSectionsReadTheirFiles() throws IOException {
        Files.createDirectories(out.resolve("schema"));
        Files.writeString(out.resolve("schema/tables.csv"), "table,columns,tries,loaded,load_errors,first_error\nfilm,4,100,100,0,\n"
                + "rental,6,100,0,100,\"insert or update violates fk\"\n");
        Files.writeString(out.resolve("schema/constraints.csv"), "table,constraint,kind,violation_drawn,refused,sqlstate,expected_sqlstate,"
                + "named_correctly,note\nfilm,film_pkey,pk,true,true,23505,23505,true,\nfilm,film_len,check,true,false,,23514,,\n");
        Files.createDirectories(out.resolve("mutation"));
        Files.writeString(out.resolve("mutation/mutants.csv"), "id,operator,table,object,description,status,killed_by,minimal_rows,seconds\n"
                + "m1,drop-not-null,film,title,alter table film alter title drop not null,killed,FilmProps#titled,1,0.4\n"
                + "m2,drop-check,film,film_len,alter table film drop constraint film_len,survived,,,0.9\n"
                + "m3,drop-index,film,film_idx,drop index film_idx,equivalent,,,0.1\n");
        String html = HtmlReport.render(out, null, NOW);
        assertThat(html).doesNotContain("has not run");
        assertThat(html).contains("<td class=\"verdict good\">loads</td>", "<td class=\"verdict bad\">fails</td>",
                "<td class=\"verdict good\">enforced</td>", "<td class=\"verdict bad\">not enforced</td>");
        // killed 1 of (3 - 1 equivalent): 50 %; the survivor with its DDL
        assertThat(html).contains("Mutation score: 50.0 %", "data-score=\"0.5000\"", "<code>alter table film drop constraint film_len</code>");
        assertThat(html.indexOf("Surviving mutants")).isLessThan(html.indexOf("alter table film drop constraint film_len"));
        // the DDL comes from ddl.csv when mutants.csv has no ddl column
        Files.writeString(out.resolve("mutation/ddl.csv"), "id,ddl\nm1,ALTER TABLE film ALTER title DROP NOT NULL\n"
                + "m2,\"ALTER TABLE film DROP CONSTRAINT film_len, ADD CHECK (true)\"\n");
        String withDdl = HtmlReport.render(out, null, NOW);
        assertThat(withDdl).contains("<th>ddl</th>", "<td><code>ALTER TABLE film DROP CONSTRAINT film_len, ADD CHECK (true)</code></td>")
                .doesNotContain("<td><code>ALTER TABLE film ALTER title DROP NOT NULL</code></td>");
    }

    @Test
    void damagedAndOddInputsDegrade() throws IOException {
        Map<String, Object> failed = run("2026-11-24T01:59:00Z", "Shop", "gone", "failed", 5, 10, "suite");
        failed.put("minimalDatasetFile", out.resolve("failures/Shop.gone.sql").toString());
        Files.writeString(out.resolve("results.jsonl"), Json.write(failed) + "\n{not json\n\n");
        csv("empty.csv", "");
        Figure.of("nodata", "s", "S").withChart(Figure.Chart.line("c", "x", "y").withAxisTitles("x", "y")).write(out, "x,y\n");
        Figure.of("wrongcol", "s", "S").withChart(Figure.Chart.line("c", "x", "nope").withAxisTitles("x", "y")).write(out, "x,y\n1,2\n");
        Figure.of("nocsv", "s", "S").withChart(Figure.Chart.line("c", "x", "y").withAxisTitles("x", "y")).write(out, "x,y\n1,2\n");
        Files.delete(out.resolve("report/nocsv.csv"));
        Files.writeString(out.resolve("report/garbled.figure.json"), "{\"section\": 3");
        String html = HtmlReport.render(out, null, NOW);
        assertThat(html).contains("1 of 1 properties failed").contains("1 unreadable lines skipped")
                .contains("The file is not there any more.").contains("No replay command: rerun with seed -425")
                .contains("The file has no data rows.").contains("Chart c cannot be drawn: column &#39;nope&#39; is not in wrongcol.csv")
                .contains("report/nocsv.csv is missing or unreadable").contains("Figure specs that could not be read")
                .contains("report/garbled.figure.json");
        assertThat(chartIds(html)).isEmpty();
    }

    @Test
    void onlyTheLinesOfThisRunCount() throws IOException {
        results(run("2026-11-23T10:00:00Z", "Old", "stale", "failed", 1, 1, "suite"),
                run("2026-11-24T01:59:00Z", "New", "fresh", "successful", 10, 100, "suite"));
        csv("rate.csv", "sessions,calls_per_second\n1,500\n");
        csv("paths.csv", "path,rows_per_second\ncopy,9000\n");
        Files.setLastModifiedTime(out.resolve("report/paths.csv"), java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-23T10:00:00Z")));
        String html = HtmlReport.render(out, Instant.parse("2026-11-24T01:00:00Z"), NOW);
        assertThat(html).contains("All 1 properties passed", "New#fresh", "1 from earlier runs left out").doesNotContain("Old#stale");
        // a CSV left from an earlier run is still shown, and marked
        assertThat(count(html, "before this run")).isEqualTo(1);
        assertThat(html).contains("report/paths.csv</span> <span class=\"stale\">written 2026-11-23T10:00:00Z, before this run");
    }

    @Test
    void aBenchFigureShowsItsAge() throws IOException {
        Path csv = Figure.of("old", "s", "S").withBench().withChart(Figure.Chart.bar("c", "k", "v").withAxisTitles("k", "v"))
                .write(out, "k,v\na,1\nb,2\n");
        Files.writeString(out.resolve("bench/old.figure.json"), Files.readString(out.resolve("bench/old.figure.json"))
                .replaceAll("\"written\":\"[^\"]+\"", "\"written\":\"2026-11-23T23:30:00Z\""));
        assertThat(csv).isEqualTo(out.resolve("bench/old.csv"));
        String html = HtmlReport.render(out, Instant.parse("2026-11-24T01:00:00Z"), NOW);
        assertThat(html).contains("bench · 2026-11-23 23:30 UTC · 2 h 30 min old").doesNotContain("before this run");
    }

    @Test
    void chartsDrawWhatIsDeclared() {
        Figure fig = Figure.of("lat", "s", "S");
        Csv numeric = Csv.parse("lat", "k,p50_ms,p95_ms\n1,1.0,2.0\n10,1.5,3.0\n1000,2.0,5.5\n");
        Charts.Spec two = Charts.build(numeric, fig, Figure.Chart.line("c", "k", "p50_ms", "p95_ms").withLogX(), "lat.c", "report/lat.figure.json");
        assertThat(two.series()).extracting(Charts.Series::label).containsExactly("p50 (ms)", "p95 (ms)");
        assertThat(Charts.svg(two)).contains("k (log scale)").contains("<polyline").contains(">value</text>");

        Csv bars = Csv.parse("b", "path,\"rows, per s\"\ncopy,\"1000\"\n\"say \"\"hi\"\"\",20\n");
        Charts.Spec bar = Charts.build(bars, fig, Figure.Chart.bar("c", "path", "rows, per s"), "b.c", "report/b.figure.json");
        assertThat(bar.categories()).containsExactly("copy", "say \"hi\"");
        String svg = Charts.svg(bar);
        assertThat(svg).doesNotContain("<polyline").contains("say &quot;hi&quot;").contains("rows, per s");
        assertThat(count(svg, "<rect class=\"bar\"")).isEqualTo(2);

        assertThat(Charts.logTicks(500, 2000)).containsExactly(500, 1000, 2000);
        assertThat(Charts.logTicks(1, 400)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200, 500);
        assertThat(Charts.ticks(0, 0.97)).hasSize(6).startsWith(0.0).endsWith(1.0);
        assertThat(Charts.fmt(125000)).isEqualTo("125k");
        assertThat(Charts.label("rows_per_second")).isEqualTo("rows per second");
    }

    @Test
    void aLargeRunIsWritten() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            b.append(Json.write(run("2026-11-24T01:59:00Z", "C" + i, "m", i % 50 == 0 ? "failed" : "successful", 100, 10, "suite"))).append('\n');
        }
        Files.writeString(out.resolve("results.jsonl"), b.toString());
        StringBuilder c = new StringBuilder("x,a,b\n");
        for (int i = 1; i <= 1000; i++) {
            c.append(i).append(',').append(i * 2).append(',').append(i * 3).append('\n');
        }
        Figure.of("big", "s", "S").withChart(Figure.Chart.line("c", "x", "a", "b").withAxisTitles("x", "y")).write(out, c.toString());
        HtmlReport.Written w = HtmlReport.write(out, null);
        assertThat(w.runs()).isEqualTo(500);
        assertThat(w.failed()).isEqualTo(10);
        assertThat(w.charts()).isEqualTo(1);
    }
}

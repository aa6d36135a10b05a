package dev.pgprop.dsl.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.Json;
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
        csv("isolation-matrix.csv", "level,anomaly,prevented\nread committed,G0,true\nread committed,G2,false\n"
                + "serializable,G0,true\nserializable,G2,true\n");
        csv("vector-recall.csv", "ef_search,recall_at_10,p95_ms\n10,0.71,0.8\n40,0.93,1.4\n100,0.99,2.9\n400,1.0,7.5\n");
        csv("bulk.csv", "path,rows,rows_per_second,ratio_to_psql_copy\ncopy binary,1000,90000,0.9\ncopy binary,100000,400000,1.1\n"
                + "row by row,1000,2000,0.02\nrow by row,100000,2100,0.005\n");
        csv("concurrency.csv", "sessions,allocations_per_second,oversold,drift\n1,500,0,0\n2,900,0,0\n4,1300,0,0\n8,1250,0,0\n");

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
        assertThat(html).contains("data-level=\"read committed\" data-anomaly=\"G2\"").contains(">occurs</text>");
        assertThat(count(html, "fill=\"#d9534f\"><title>G2 at read committed: occurs")).isEqualTo(1);
        // charts: the matrix, recall and latency apart (magnitudes differ), bulk rate and ratio apart, concurrency rate and the zero checks
        assertThat(chartIds(html)).containsExactly("isolation-matrix", "vector-recall.recall_at_10", "vector-recall.p95_ms",
                "bulk.rows_per_second", "bulk.ratio_to_psql_copy", "concurrency.allocations_per_second", "concurrency.oversold");
        assertThat(html).contains("p95 (ms)", "rows per second, log scale", "rows (log scale)", "copy binary", "row by row");
        assertThat(count(html, "<rect x=\"0\" y=\"0\"")).isEqualTo(7);
        assertThat(html).doesNotContain("Not produced in this run");
    }

    @Test
    void missingInputsGiveNotesNotErrors() throws IOException {
        String html = HtmlReport.render(out, null, NOW);
        assertThat(html).contains("No results.jsonl: no property ran").contains("No property results in this run.")
                .contains("Not produced in this run (<code>report/isolation-matrix.csv</code>)")
                .contains("Not produced in this run (<code>report/vector-*.csv</code>)")
                .contains("Not produced in this run (<code>report/bulk.csv</code>)")
                .contains("Not produced in this run (<code>report/concurrency.csv</code>)");
        assertThat(chartIds(html)).isEmpty();

        HtmlReport.Written w = HtmlReport.write(out, null);
        assertThat(w.file()).isEqualTo(out.resolve("report").resolve("index.html"));
        assertThat(Files.readString(w.file())).endsWith("</html>\n");
        assertThat(w.charts()).isZero();
    }

    @Test
    void damagedAndOddInputsDegrade() throws IOException {
        Map<String, Object> failed = run("2026-11-24T01:59:00Z", "Shop", "gone", "failed", 5, 10, "suite");
        failed.put("minimalDatasetFile", out.resolve("failures/Shop.gone.sql").toString());
        Files.writeString(out.resolve("results.jsonl"), Json.write(failed) + "\n{not json\n\n");
        csv("vector-latency.csv", "");
        csv("bulk.csv", "path,verdict\ncopy,ok\n");
        csv("isolation-matrix.csv", "a,b\n1,2\n");
        String html = HtmlReport.render(out, null, NOW);
        assertThat(html).contains("1 of 1 properties failed").contains("1 unreadable lines skipped")
                .contains("The file is not there any more.").contains("No replay command: rerun with seed -425")
                .contains("The file has no data rows.").contains("No numeric column to draw")
                .contains("isolation-matrix.csv has no <code>level,anomaly,prevented</code> rows");
        assertThat(chartIds(html)).isEmpty();
    }

    @Test
    void onlyTheLinesOfThisRunCount() throws IOException {
        results(run("2026-11-23T10:00:00Z", "Old", "stale", "failed", 1, 1, "suite"),
                run("2026-11-24T01:59:00Z", "New", "fresh", "successful", 10, 100, "suite"));
        csv("concurrency.csv", "sessions,allocations_per_second\n1,500\n");
        csv("bulk.csv", "path,rows_per_second\ncopy,9000\n");
        Files.setLastModifiedTime(out.resolve("report/bulk.csv"), java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-23T10:00:00Z")));
        String html = HtmlReport.render(out, Instant.parse("2026-11-24T01:00:00Z"), NOW);
        assertThat(html).contains("All 1 properties passed", "New#fresh", "1 from earlier runs left out").doesNotContain("Old#stale");
        // a CSV left from an earlier run is still drawn, and marked
        assertThat(count(html, "before this run")).isEqualTo(1);
        assertThat(html).contains("report/bulk.csv</span> <span class=\"stale\">written 2026-11-23T10:00:00Z, before this run");
    }

    @Test
    void chartsPickScalesAndShapesFromTheData() {
        Csv numeric = Csv.parse("lat", "k,p50_ms,p95_ms\n1,1.0,2.0\n10,1.5,3.0\n1000,2.0,5.5\n");
        List<Charts.Spec> one = Charts.fromCsv(numeric, "lat", "Lat");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).series()).extracting(Charts.Series::label).containsExactly("p50 (ms)", "p95 (ms)");
        assertThat(one.get(0).yLabel()).isEqualTo("value (ms)");
        assertThat(Charts.svg(one.get(0))).contains("k (log scale)").contains("<polyline");

        Csv spread = Csv.parse("v", "rows,exact_p95_ms,hnsw_p95_ms\n1000,0.9,0.6\n100000,71,1.4\n");
        List<Charts.Spec> shared = Charts.fromCsv(spread, "v", "V");
        assertThat(shared).hasSize(1);
        assertThat(Charts.svg(shared.get(0))).contains("value (ms), log scale").contains(">0.1</text>").contains(">100</text>");

        Csv linear = Csv.parse("c", "sessions,rate\n1,10\n8,20\n");
        assertThat(Charts.svg(Charts.fromCsv(linear, "c", "C").get(0))).doesNotContain("log scale").contains("<polyline");

        Csv bars = Csv.parse("b", "path,\"rows, per s\"\ncopy,\"1000\"\n\"say \"\"hi\"\"\",20\n");
        Charts.Spec bar = Charts.fromCsv(bars, "b", "B").get(0);
        assertThat(bar.categorical()).isTrue();
        assertThat(bar.categories()).containsExactly("copy", "say \"hi\"");
        String svg = Charts.svg(bar);
        assertThat(svg).doesNotContain("<polyline").contains("say &quot;hi&quot;").contains("rows, per s");
        assertThat(count(svg, "<rect x=\"")).isEqualTo(1 + 1 + 2); // background, legend swatch, two bars

        Csv labelled = Csv.parse("l", "path,rows,verdict\ncopy,10,ok\ncopy,20,ok\nbatch,5,ok\n");
        Charts.Spec byLabel = Charts.fromCsv(labelled, "l", "L").get(0);
        assertThat(byLabel.categorical()).isTrue();
        assertThat(byLabel.categories()).containsExactly("copy", "batch");

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
        csv("vector-big.csv", c.toString());
        HtmlReport.Written w = HtmlReport.write(out, null);
        assertThat(w.runs()).isEqualTo(500);
        assertThat(w.failed()).isEqualTo(10);
        assertThat(w.charts()).isEqualTo(1);
    }
}

package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.report.Figure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code <outputDir>/report/index.html}: a static page (inline CSS and SVG, no scripts, nothing
 * fetched) built only from {@code results.jsonl} and the CSV files under {@code report/} and
 * {@code bench/}. With a start instant, only the results lines written since then count (the file
 * is appended to across runs); earlier lines are counted and said to be left out.
 *
 * <pre>{@code
 * HtmlReport.Written w = HtmlReport.write(Path.of("target/pgprop"), sessionStart);
 * }</pre>
 */
public final class HtmlReport {
    private static final long MAX_SQL_CHARS = 200_000;
    private static final int MAX_TABLE_ROWS = 200;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private HtmlReport() {}

    /** What was written: the file, the property runs shown, and the charts drawn. */
    public record Written(Path file, int runs, int failed, int charts, long millis) {}

    /** One line of results.jsonl. */
    record Run(Map<String, @Nullable Object> m) {
        String s(String key) {
            Object v = m.get(key);
            return v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        }

        long n(String key) {
            return m.get(key) instanceof BigDecimal d ? d.longValue() : 0;
        }

        String context() {
            String c = s("context");
            return c.isEmpty() ? "suite" : c;
        }

        String status() {
            return s("status");
        }

        boolean failed() {
            return status().equals("failed");
        }

        /** Stopped by a configuration error or a fault: no counterexample, its own place in the report. */
        boolean stopped() {
            return status().equals("configuration-error") || status().equals("fault");
        }

        /** {@code SimpleClass#method}; the property key (with parameter types) when those are missing. */
        String name() {
            String c = s("class");
            if (c.isEmpty() || s("method").isEmpty()) {
                return s("property");
            }
            return c.substring(c.lastIndexOf('.') + 1) + "#" + s("method");
        }
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/pgprop");
        Written w = write(dir, null);
        System.out.println("pgprop: report " + w.file() + " (" + w.runs() + " property runs, " + w.charts() + " charts)");
    }

    /** Writes the report; {@code since} null means every line of results.jsonl counts. */
    public static Written write(Path outputDir, @Nullable Instant since) {
        long t0 = System.nanoTime();
        Page page = new Page(outputDir, since, Instant.now());
        String html = page.render();
        Path dir = outputDir.resolve("report");
        Path file = dir.resolve("index.html");
        try {
            dev.pgprop.dsl.internal.WholeFiles.write(file, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Written(file, page.suite.size(), (int) page.suite.stream().filter(Run::failed).count(), page.charts,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The page as a string (for tests). */
    static String render(Path outputDir, @Nullable Instant since, Instant now) {
        return new Page(outputDir, since, now).render();
    }

    static final class Page {
        final Path outputDir;
        final @Nullable Instant since;
        final Instant now;
        final List<Run> suite = new ArrayList<>();
        final List<Run> other = new ArrayList<>();
        int earlier;
        int unreadable;
        boolean resultsPresent;
        int charts;
        final List<String> sources = new ArrayList<>();
        final List<FigureSpecs.Declared> declared = new ArrayList<>();
        final StringBuilder b = new StringBuilder(64 * 1024);

        Page(Path outputDir, @Nullable Instant since, Instant now) {
            this.outputDir = outputDir;
            this.since = since;
            this.now = now;
            readResults();
        }

        private void readResults() {
            Path file = ResultsFile.path(outputDir);
            if (!Files.isRegularFile(file)) {
                return;
            }
            resultsPresent = true;
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                unreadable++;
                return;
            }
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                Run r;
                try {
                    if (!(JsonReader.parse(line) instanceof Map<?, ?> m)) {
                        unreadable++;
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, @Nullable Object> map = (Map<String, @Nullable Object>) m;
                    r = new Run(map);
                } catch (RuntimeException e) {
                    unreadable++;
                    continue;
                }
                if (since != null && before(r.s("timestamp"), since)) {
                    earlier++;
                    continue;
                }
                (r.context().equals("suite") ? suite : other).add(r);
            }
            sources.add("results.jsonl (" + (suite.size() + other.size()) + " lines of this run"
                    + (earlier > 0 ? ", " + earlier + " from earlier runs left out" : "")
                    + (unreadable > 0 ? ", " + unreadable + " unreadable lines skipped" : "") + ")");
        }

        private static boolean before(String timestamp, Instant since) {
            try {
                return Instant.parse(timestamp).isBefore(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }

        String render() {
            b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                    .append("<title>pgprop report</title><style>").append(CSS).append("</style></head><body>\n");
            b.append("<header><h1>pgprop report</h1><p class=\"muted\">Generated ").append(Html.esc(now.toString()))
                    .append(" from <code>").append(Html.esc(outputDir.toAbsolutePath().normalize().toString())).append("</code></p></header>\n");
            summary();
            properties();
            failures();
            BuiltInSections.schema(this);
            BuiltInSections.mutation(this);
            declaredSections();
            otherCsvs();
            otherRuns();
            b.append("<footer class=\"muted\"><p>Built only from these files: ")
                    .append(sources.isEmpty() ? "none were found" : Html.esc(String.join("; ", sources)))
                    .append(". Static page: no scripts, nothing fetched.</p></footer>\n</body></html>\n");
            return b.toString();
        }

        private void summary() {
            long passed = suite.stream().filter(r -> r.status().equals("successful")).count();
            long failed = suite.stream().filter(Run::failed).count();
            long stopped = suite.stream().filter(Run::stopped).count();
            long aborted = suite.size() - passed - failed - stopped;
            long tries = suite.stream().mapToLong(r -> r.n("tries")).sum();
            long ms = suite.stream().mapToLong(r -> r.n("durationMs")).sum();
            String seeds = suite.stream().map(r -> r.s("suiteSeed")).filter(s -> !s.isEmpty()).distinct().collect(Collectors.joining(", "));
            String verdict;
            String cls;
            if (suite.isEmpty()) {
                verdict = resultsPresent ? "No property ran in this run" : "No results.jsonl: no property ran";
                cls = "neutral";
            } else if (failed > 0 || stopped > 0) {
                verdict = (failed > 0 ? failed + " of " + suite.size() + " properties failed" : "")
                        + (failed > 0 && stopped > 0 ? "; " : "")
                        + (stopped > 0 ? stopped + " stopped by a configuration error or a fault" : "");
                cls = "bad";
            } else if (aborted > 0) {
                verdict = passed + " of " + suite.size() + " properties passed, " + aborted + " aborted";
                cls = "warn";
            } else {
                verdict = "All " + suite.size() + " properties passed";
                cls = "good";
            }
            b.append("<section id=\"summary\"><div class=\"verdict ").append(cls).append("\">").append(Html.esc(verdict)).append("</div>");
            b.append("<div class=\"cards\">");
            card("passed", String.valueOf(passed), "good");
            card("failed", String.valueOf(failed), failed > 0 ? "bad" : "");
            card("aborted", String.valueOf(aborted), aborted > 0 ? "warn" : "");
            if (stopped > 0) {
                card("configuration errors and faults", String.valueOf(stopped), "bad");
            }
            card("tries", String.format(Locale.ROOT, "%,d", tries), "");
            card("time in properties", duration(ms), "");
            card("suite seed", seeds.isEmpty() ? "–" : seeds, "");
            b.append("</div>");
            if (!other.isEmpty()) {
                b.append("<p class=\"muted\">").append(other.size())
                        .append(" runs started by meta-tests and benchmarks are not counted here; they are listed at the end.</p>");
            }
            b.append("</section>\n");
        }

        private void card(String label, String value, String cls) {
            b.append("<div class=\"card ").append(cls).append("\"><div class=\"v\">").append(Html.esc(value))
                    .append("</div><div class=\"l\">").append(Html.esc(label)).append("</div></div>");
        }

        private void properties() {
            b.append("<section id=\"properties\"><h2>Properties</h2>");
            if (suite.isEmpty()) {
                b.append("<p class=\"note\">No property results in this run.</p></section>\n");
                return;
            }
            runTable(sorted(suite));
            b.append("</section>\n");
        }

        private static List<Run> sorted(List<Run> runs) {
            return runs.stream().sorted(Comparator.comparing((Run r) -> !r.failed()).thenComparing(r -> r.s("class"))
                    .thenComparing(r -> r.s("method"))).toList();
        }

        private void runTable(List<Run> runs) {
            b.append("<table class=\"runs\"><thead><tr><th>status</th><th>property</th><th class=\"num\">tries</th>")
                    .append("<th class=\"num\">checks</th><th class=\"num\">time</th><th>seed</th><th>details</th></tr></thead><tbody>");
            for (Run r : runs) {
                String st = r.status();
                String badge = st.equals("successful") ? "pass" : st.equals("failed") ? "fail" : st.isEmpty() ? "?" : st;
                String cls = st.equals("successful") ? "good" : st.equals("failed") || r.stopped() ? "bad" : "warn";
                b.append("<tr class=\"").append(cls).append("\"><td><span class=\"badge ").append(cls).append("\">").append(Html.esc(badge))
                        .append("</span></td><td title=\"").append(Html.esc(r.s("property").isEmpty() ? r.s("class") + "#" + r.s("method")
                                : r.s("property"))).append("\">");
                if (r.failed()) {
                    b.append("<a href=\"#").append(anchor(r)).append("\">").append(Html.esc(r.name())).append("</a>");
                } else {
                    b.append(Html.esc(r.name()));
                }
                if (Boolean.TRUE.equals(r.m().get("replay"))) {
                    b.append(" <span class=\"tag\">replay</span>");
                }
                b.append("</td><td class=\"num\">").append(Html.esc(r.s("tries"))).append("</td><td class=\"num\">").append(Html.esc(r.s("checks")))
                        .append("</td><td class=\"num\">").append(Html.esc(duration(r.n("durationMs")))).append("</td><td class=\"seed\"><code>")
                        .append(Html.esc(r.s("seed"))).append("</code></td><td class=\"small\">");
                List<String> details = new ArrayList<>();
                if (r.failed() && !r.s("invariant").isEmpty()) {
                    details.add("invariant: " + r.s("invariant"));
                }
                if (r.stopped() && !r.s("error").isEmpty()) {
                    details.add(r.s("error"));
                }
                if (r.m().get("metrics") instanceof Map<?, ?> metrics) {
                    metrics.forEach((k, v) -> details.add(k + "=" + (v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v))));
                }
                b.append(Html.esc(String.join(" · ", details))).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }

        private String anchor(Run r) {
            return "failure-" + Integer.toHexString(Objects.hash(r.s("class"), r.s("method"), r.s("timestamp")));
        }

        private void failures() {
            List<Run> failed = suite.stream().filter(Run::failed).toList();
            b.append("<section id=\"failures\"><h2>Failures</h2>");
            if (failed.isEmpty()) {
                b.append("<p class=\"note\">").append(suite.isEmpty() ? "No property ran." : "None: every property held.").append("</p></section>\n");
                return;
            }
            for (Run r : failed) {
                b.append("<article class=\"failure\" id=\"").append(anchor(r)).append("\"><h3>").append(Html.esc(r.name())).append("</h3><dl>");
                dt("invariant", r.s("invariant").isEmpty() ? "–" : r.s("invariant"));
                dt("seed", r.s("seed"));
                dt("tries", r.s("tries"));
                if (!r.s("minimalDatasetRows").isEmpty()) {
                    dt("rows in the minimal dataset", r.s("minimalDatasetRows"));
                }
                b.append("</dl>");
                String sqlFile = r.s("minimalDatasetFile");
                b.append("<h4>Minimal dataset (SQL)").append(sqlFile.isEmpty() ? "" : " <span class=\"muted\">" + Html.esc(sqlFile) + "</span>")
                        .append("</h4>");
                String sql = sqlFile.isEmpty() ? null : readSql(sqlFile);
                if (sql == null) {
                    b.append("<p class=\"note\">").append(sqlFile.isEmpty() ? "No minimal dataset was stored for this failure."
                            : "The file is not there any more.").append("</p>");
                } else {
                    b.append("<pre class=\"sql\">").append(Html.esc(sql)).append("</pre>");
                }
                b.append("<h4>Replay</h4>");
                if (r.s("replayCommand").isEmpty()) {
                    b.append("<p class=\"note\">No replay command: rerun with seed ").append(Html.esc(r.s("seed"))).append(".</p>");
                } else {
                    b.append("<pre class=\"cmd\">").append(Html.esc(r.s("replayCommand"))).append("</pre>");
                }
                b.append("</article>");
            }
            b.append("</section>\n");
        }

        private void dt(String k, String v) {
            b.append("<dt>").append(Html.esc(k)).append("</dt><dd>").append(Html.esc(v)).append("</dd>");
        }

        private @Nullable String readSql(String name) {
            Path p = Path.of(name);
            List<Path> candidates = new ArrayList<>(List.of(p));
            if (!p.isAbsolute()) {
                candidates.add(outputDir.resolve(p));
            }
            if (p.getFileName() != null) {
                candidates.add(outputDir.resolve("failures").resolve(p.getFileName()));
            }
            for (Path c : candidates) {
                if (Files.isRegularFile(c)) {
                    try {
                        String s = Files.readString(c, StandardCharsets.UTF_8);
                        return s.length() > MAX_SQL_CHARS ? s.substring(0, (int) MAX_SQL_CHARS) + "\n-- … cut here: the file holds "
                                + s.length() + " characters\n" : s;
                    } catch (IOException | UncheckedIOException e) {
                        return null;
                    }
                }
            }
            return null;
        }

        /** A note when the file was written before this run began (a CSV left from an earlier run). */
        String staleNote(Path file) {
            if (since == null) {
                return "";
            }
            try {
                Instant modified = Files.getLastModifiedTime(file).toInstant();
                return modified.isBefore(since) ? " <span class=\"stale\">written " + Html.esc(modified.toString())
                        + ", before this run</span>" : "";
            } catch (IOException e) {
                return "";
            }
        }

        @Nullable Csv csv(Path file) {
            try {
                Csv c = Csv.read(file);
                sources.add(outputDir.relativize(file).toString().replace('\\', '/'));
                return c;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private List<Path> csvFiles(Path dir) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f)).sorted().toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        /** Every figure that declares itself, grouped by the section it names; a section's title is its first figure's. */
        private void declaredSections() {
            List<FigureSpecs.Declared> all = new ArrayList<>(FigureSpecs.read(outputDir.resolve("report"), false));
            all.addAll(FigureSpecs.read(outputDir.resolve("bench"), true));
            declared.addAll(all);
            Map<String, String> titles = new LinkedHashMap<>();
            for (FigureSpecs.Declared d : all) {
                if (d.figure() != null) {
                    titles.putIfAbsent(d.figure().section(), d.figure().sectionTitle());
                }
            }
            List<Map.Entry<String, String>> sections = new ArrayList<>(titles.entrySet());
            sections.sort(Map.Entry.comparingByValue(String.CASE_INSENSITIVE_ORDER));
            for (Map.Entry<String, String> sec : sections) {
                b.append("<section id=\"fig-").append(Html.esc(sec.getKey())).append("\" class=\"declared\"><h2>")
                        .append(Html.esc(sec.getValue())).append("</h2><div class=\"figs\">");
                all.stream().filter(d -> d.figure() != null && d.figure().section().equals(sec.getKey()))
                        .sorted(Comparator.comparing((FigureSpecs.Declared d) -> d.figure().name()).thenComparing(FigureSpecs.Declared::bench))
                        .forEach(this::figure);
                b.append("</div></section>\n");
            }
            List<FigureSpecs.Declared> broken = all.stream().filter(d -> d.figure() == null).toList();
            if (!broken.isEmpty()) {
                b.append("<section id=\"unreadable-specs\"><h2>Figure specs that could not be read</h2><ul>");
                for (FigureSpecs.Declared d : broken) {
                    b.append("<li><code>").append(Html.esc(rel(d.specFile()))).append("</code>: ").append(Html.esc(d.error())).append("</li>");
                }
                b.append("</ul></section>\n");
            }
        }

        private String rel(Path file) {
            return outputDir.relativize(file).toString().replace('\\', '/');
        }

        private void figure(FigureSpecs.Declared d) {
            Figure fig = Objects.requireNonNull(d.figure());
            String prefix = d.bench() ? "bench-" : "";
            b.append("<div class=\"figure").append(d.bench() ? " bench" : "").append("\" id=\"figure-").append(prefix)
                    .append(Html.esc(fig.name())).append("\"><h3>").append(Html.esc(title(fig.name()))).append(" <span class=\"muted\">")
                    .append(Html.esc(rel(d.csvFile()))).append("</span>");
            if (d.bench()) {
                b.append(" <span class=\"benchmark\">bench · ").append(Html.esc(DATE.format(d.written()))).append(" · ")
                        .append(Html.esc(age(d.written()))).append("</span>");
            } else {
                b.append(staleNote(d.csvFile()));
            }
            b.append("</h3>");
            Csv csv = Files.isRegularFile(d.csvFile()) ? csv(d.csvFile()) : null;
            if (csv == null) {
                b.append("<p class=\"note\">The spec is there but ").append(Html.esc(rel(d.csvFile())))
                        .append(" is missing or unreadable.</p></div>");
                return;
            }
            sources.add(rel(d.specFile()));
            if (csv.rows().isEmpty()) {
                b.append("<p class=\"note\">The file has no data rows.</p></div>");
                return;
            }
            String caption = caption(csv, fig.parameters());
            if (!caption.isEmpty()) {
                b.append("<p class=\"caption\">").append(Html.esc(caption)).append("</p>");
            }
            b.append("<div class=\"charts\">");
            for (Figure.Chart c : fig.charts()) {
                String id = prefix + fig.name() + "." + c.id();
                try {
                    b.append("<div class=\"chart\">");
                    if (!c.counts().isEmpty()) {
                        counts(csv, c.counts());
                    }
                    if (c.kind() == Figure.Kind.MATRIX) {
                        b.append(Charts.matrix(csv, c, id, rel(d.specFile()), fig.parameters(), c.title().isEmpty() ? title(fig.name()) : c.title()));
                    } else {
                        b.append(Charts.svg(Charts.build(csv, fig, c, id, rel(d.specFile()))));
                    }
                    b.append("</div>");
                    charts++;
                } catch (RuntimeException e) {
                    b.append("<p class=\"note\">Chart ").append(Html.esc(c.id())).append(" cannot be drawn: ")
                            .append(Html.esc(String.valueOf(e.getMessage()))).append("</p></div>");
                }
            }
            b.append("</div>");
            if (!fig.note().isEmpty()) {
                b.append("<p class=\"muted\">").append(Html.esc(fig.note())).append("</p>");
            }
            b.append("<details").append(fig.charts().isEmpty() ? " open" : "").append("><summary>figures (").append(csv.rows().size())
                    .append(" rows)</summary>");
            table(csv);
            b.append("</details></div>");
        }

        /** {@code run: short · dim: 128 · distribution: decaying gaussian(0.5)}: each parameter's distinct values. */
        private static String caption(Csv csv, List<String> parameters) {
            List<String> parts = new ArrayList<>();
            for (String p : parameters) {
                int c = csv.column(p);
                if (c < 0) {
                    continue;
                }
                java.util.Set<String> values = new java.util.LinkedHashSet<>();
                for (int r = 0; r < csv.rows().size(); r++) {
                    values.add(csv.cell(r, c));
                }
                parts.add(Charts.label(p) + ": " + String.join(", ", values));
            }
            return String.join(" · ", parts);
        }

        /** "0 oversold, 0 drift over 8,000 calls": the count columns summed, over the total column summed. */
        private void counts(Csv csv, List<String> columns) {
            double[] sums = new double[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                int c = csv.column(columns.get(i));
                if (c < 0) {
                    throw new IllegalArgumentException("column '" + columns.get(i) + "' is not in " + csv.name() + ".csv");
                }
                for (int r = 0; r < csv.rows().size(); r++) {
                    sums[i] += Csv.number(csv.cell(r, c)).orElse(0);
                }
            }
            List<String> parts = new ArrayList<>();
            boolean clean = true;
            for (int i = 1; i < columns.size(); i++) {
                parts.add(String.format(Locale.ROOT, "%,d", (long) sums[i]) + " " + Charts.label(columns.get(i)));
                clean &= sums[i] == 0;
            }
            b.append("<p class=\"counts ").append(clean ? "good" : "bad").append("\" data-counts=\"")
                    .append(Html.esc(String.join(",", columns.subList(1, columns.size())))).append("\">")
                    .append(Html.esc(String.join(", ", parts) + " over " + String.format(Locale.ROOT, "%,d", (long) sums[0]) + " "
                            + Charts.label(columns.get(0)))).append("</p>");
        }

        private String age(Instant written) {
            long min = Math.max(0, java.time.Duration.between(written, now).toMinutes());
            if (min < 60) {
                return min + " min old";
            }
            if (min < 48 * 60) {
                return (min / 60) + " h " + (min % 60) + " min old";
            }
            return (min / (24 * 60)) + " days old";
        }

        /** CSVs that declare no figure: shown as tables, never as guessed charts. */
        private void otherCsvs() {
            java.util.Set<Path> withSpec = new java.util.HashSet<>();
            declared.forEach(d -> withSpec.add(d.csvFile()));
            List<Path> rest = new ArrayList<>(csvFiles(outputDir.resolve("report")));
            rest.addAll(csvFiles(outputDir.resolve("bench")));
            rest.removeIf(withSpec::contains);
            if (rest.isEmpty()) {
                return;
            }
            b.append("<section id=\"other-figures\"><h2>Other figures</h2><p class=\"muted\">These CSVs declare no chart ")
                    .append("(no <code>&lt;name&gt;.figure.json</code> beside them), so they are shown as tables.</p><div class=\"figs\">");
            for (Path f : rest) {
                b.append("<div class=\"figure\"><h3>").append(Html.esc(title(f.getFileName().toString()))).append(" <span class=\"muted\">")
                        .append(Html.esc(rel(f))).append("</span>").append(staleNote(f)).append("</h3>");
                Csv csv = csv(f);
                if (csv == null) {
                    b.append("<p class=\"note\">Could not be read.</p></div>");
                    continue;
                }
                if (csv.rows().isEmpty()) {
                    b.append("<p class=\"note\">The file has no data rows.</p></div>");
                    continue;
                }
                table(csv);
                b.append("</div>");
            }
            b.append("</div></section>\n");
        }

        void table(Csv csv) {
            b.append("<table class=\"data\"><thead><tr>");
            for (String h : csv.header()) {
                b.append("<th>").append(Html.esc(h)).append("</th>");
            }
            b.append("</tr></thead><tbody>");
            int n = Math.min(csv.rows().size(), MAX_TABLE_ROWS);
            for (int r = 0; r < n; r++) {
                b.append("<tr>");
                for (int c = 0; c < csv.header().size(); c++) {
                    String v = csv.cell(r, c);
                    b.append(Csv.number(v).isPresent() ? "<td class=\"num\">" : "<td>").append(Html.esc(v)).append("</td>");
                }
                b.append("</tr>");
            }
            b.append("</tbody></table>");
            if (csv.rows().size() > n) {
                b.append("<p class=\"muted\">").append(csv.rows().size() - n).append(" more rows in the file.</p>");
            }
        }

        private void otherRuns() {
            if (other.isEmpty()) {
                return;
            }
            b.append("<section id=\"other-runs\"><h2>Runs started by meta-tests and benchmarks</h2><p class=\"muted\">")
                    .append("These properties ran inside other tests (context <code>meta</code> or <code>bench</code>): a meta-test ")
                    .append("expects its property to fail on a planted bug, so they are not counted in the summary.</p><details><summary>")
                    .append(other.size()).append(" runs</summary>");
            runTable(sorted(other).stream().sorted(Comparator.comparing(Run::context)).toList());
            b.append("</details></section>\n");
        }
    }

    /** {@code recall-ef.csv} -> {@code Recall ef}. */
    static String title(String fileName) {
        String s = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        s = s.replace('-', ' ').replace('_', ' ');
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
    }

    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d1d1f;background:#f6f7f9;margin:0;padding:0 24px 40px}
            header,section,footer{max-width:1180px;margin:0 auto}
            h1{font-size:26px;margin:20px 0 2px}h2{font-size:20px;margin:28px 0 10px;border-bottom:2px solid #dde1e6;padding-bottom:4px}
            h3{font-size:16px;margin:16px 0 6px}h4{font-size:14px;margin:12px 0 4px}
            .muted{color:#5f6670;font-weight:normal;font-size:13px}.note{color:#5f6670;font-style:italic}
            code,pre{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
            pre{background:#fff;border:1px solid #d5d9de;border-radius:6px;padding:10px 12px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}
            pre.cmd{background:#1f2430;color:#e8eaed;border-color:#1f2430}
            .verdict{font-size:22px;font-weight:700;padding:12px 16px;border-radius:8px;margin:12px 0;color:#fff}
            .verdict.good{background:#2e8b57}.verdict.bad{background:#c9302c}.verdict.warn{background:#c77c02}.verdict.neutral{background:#6c757d}
            .cards{display:flex;flex-wrap:wrap;gap:10px}
            .card{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:8px 14px;min-width:110px}
            .card .v{font-size:22px;font-weight:700}.card .l{color:#5f6670;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
            .card.good .v{color:#2e8b57}.card.bad .v{color:#c9302c}.card.warn .v{color:#c77c02}
            table{border-collapse:collapse;background:#fff;width:100%;font-size:13.5px}
            th,td{border-bottom:1px solid #e3e6ea;padding:5px 8px;text-align:left;vertical-align:top}
            th{background:#eef1f4;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td{overflow-wrap:break-word}td.seed{white-space:nowrap}
            td.small{font-size:12px;color:#5f6670}table.data{width:auto;min-width:40%}
            tr.bad td{background:#fdecea}
            .badge{display:inline-block;min-width:38px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:700;color:#fff;background:#6c757d}
            .badge.good{background:#2e8b57}.badge.bad{background:#c9302c}.badge.warn{background:#c77c02}
            .stale{font-size:12px;font-weight:600;color:#8a5300;background:#fff3cd;border-radius:4px;padding:1px 6px;margin-left:6px}
            .tag{font-size:11px;border:1px solid #999;border-radius:4px;padding:0 4px;color:#555}
            .failure{background:#fff;border:1px solid #e8b4b2;border-left:6px solid #c9302c;border-radius:6px;padding:4px 16px 12px;margin:12px 0}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dt{color:#5f6670}dd{margin:0}
            .charts{display:flex;flex-wrap:wrap;gap:14px}.chart svg{border:1px solid #d5d9de;border-radius:6px;max-width:100%;height:auto}
            .figs{display:flex;flex-wrap:wrap;gap:0 14px}.figure{margin-bottom:18px;max-width:100%}details{margin:8px 0}summary{cursor:pointer;color:#0b5cad}
            svg .tt{font:600 15px system-ui,"DejaVu Sans",sans-serif;fill:#1d1d1f}svg .lg{font:12.5px system-ui,"DejaVu Sans",sans-serif;fill:#333}
            svg .ax{font:11.5px system-ui,"DejaVu Sans",sans-serif;fill:#444}svg .al{font:600 12.5px system-ui,"DejaVu Sans",sans-serif;fill:#333}
            svg .cv{font:600 12.5px system-ui,"DejaVu Sans",sans-serif;fill:#fff}
            .benchmark{font-size:12px;font-weight:600;color:#fff;background:#5b4a9e;border-radius:4px;padding:1px 6px;margin-left:6px}
            .figure.bench{border-left:4px solid #5b4a9e;padding-left:10px}.caption{font-size:13px;color:#3d434a;margin:2px 0 8px}
            .counts{display:table;font-weight:700;font-size:13.5px;border-radius:12px;padding:2px 12px;margin:0 0 6px;color:#fff}
            .counts.good{background:#2e8b57}.counts.bad{background:#c9302c}
            svg .rl{font:600 11.5px system-ui,"DejaVu Sans",sans-serif;fill:#b00020}
            table.grid td.verdict{font-weight:700;color:#fff;text-align:center}table.grid td.verdict.good{background:#2e8b57}
            table.grid td.verdict.bad{background:#d9534f}table.grid td.verdict.warn{background:#c77c02}table.grid td.verdict.neutral{background:#9e9e9e}
            .score{font-size:20px;font-weight:700}
            footer{margin-top:30px}
            """;
}

package dev.pgprop.dsl.report;

import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.internal.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A figure of the HTML report: a CSV and a spec beside it ({@code <name>.figure.json}) that says
 * in which section it goes and which charts to draw from it. The report draws only what a figure
 * declares; a CSV without a spec is shown as a table. Immutable: every {@code withX} returns a new
 * figure and validates its argument.
 *
 * <pre>{@code
 * Figure.of("recall-ef", "vector", "Vector search")
 *     .withParameters("distribution")
 *     .withChart(Figure.Chart.line("curve", "ef_search", "recall_at_10")
 *         .withTitle("recall@10 against ef_search")
 *         .withAxisTitles("ef_search (candidates)", "recall@10")
 *         .withSeries("dim", "n").withLogX().withReference(0.95, "threshold 0.95"))
 *     .write(csvText);   // target/pgprop/report/recall-ef.csv and recall-ef.figure.json
 * }</pre>
 *
 * A benchmark writes with {@link #withBench()}: its files go to {@code target/pgprop/bench/}, which
 * later default runs keep, and the report marks them "bench" with their date and age.
 */
public final class Figure {
    /** How a chart draws its rows. */
    public enum Kind {
        /** x numeric, one line per series (at least 2 points each). */
        LINE,
        /** x a category, one bar per category and series. */
        BAR,
        /** x the columns, {@code rows} the rows, {@code value} true/false coloured cells. */
        MATRIX
    }

    private final String name;
    private final String section;
    private final String sectionTitle;
    private final String note;
    private final List<String> parameters;
    private final List<Chart> charts;
    private final boolean bench;

    private Figure(String name, String section, String sectionTitle, String note, List<String> parameters, List<Chart> charts,
                   boolean bench) {
        this.name = name;
        this.section = section;
        this.sectionTitle = sectionTitle;
        this.note = note;
        this.parameters = List.copyOf(parameters);
        this.charts = List.copyOf(charts);
        this.bench = bench;
    }

    /**
     * A figure written as {@code <name>.csv}, shown in the report's section {@code section} (an id:
     * letters, digits and dashes) titled {@code sectionTitle}; figures naming the same section share it.
     */
    public static Figure of(String name, String section, String sectionTitle) {
        return new Figure(checkedId(name, "name"), checkedId(section, "section"), text(sectionTitle, "sectionTitle"), "", List.of(), List.of(), false);
    }

    /** A sentence under the figure's charts: how the figures were measured. */
    public Figure withNote(String note) {
        return new Figure(name, section, sectionTitle, Objects.requireNonNull(note, "note"), parameters, charts, bench);
    }

    /** Columns that describe how the figures were taken: shown in the caption, never plotted. */
    public Figure withParameters(String... columns) {
        return new Figure(name, section, sectionTitle, note, columns(columns, "parameters"), charts, bench);
    }

    /** Adds a chart; its id must be new in this figure, and it may not plot a parameter. */
    public Figure withChart(Chart chart) {
        Objects.requireNonNull(chart, "chart");
        for (Chart c : charts) {
            if (c.id.equals(chart.id)) {
                throw new IllegalArgumentException("figure " + name + " has a chart '" + chart.id + "' already; give each chart its own id");
            }
        }
        List<String> plotted = new ArrayList<>(chart.y);
        plotted.add(chart.x);
        for (String p : plotted) {
            if (parameters.contains(p)) {
                throw new IllegalArgumentException("chart " + chart.id + " plots '" + p + "', which figure " + name
                        + " declares a parameter: a parameter goes in the caption; remove it from the parameters or from the chart");
            }
        }
        List<Chart> all = new ArrayList<>(charts);
        all.add(chart);
        return new Figure(name, section, sectionTitle, note, parameters, all, bench);
    }

    /** Written under {@code bench/} and marked "bench" in the report, kept by later default runs. */
    public Figure withBench() {
        return new Figure(name, section, sectionTitle, note, parameters, charts, true);
    }

    public String name() {
        return name;
    }

    public String section() {
        return section;
    }

    public String sectionTitle() {
        return sectionTitle;
    }

    public String note() {
        return note;
    }

    public List<String> parameters() {
        return parameters;
    }

    public List<Chart> charts() {
        return charts;
    }

    public boolean bench() {
        return bench;
    }

    /** The spec as the report reads it ({@code <name>.figure.json}), stamped with {@code written}. */
    public String toJson(Instant written) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("section", section);
        m.put("sectionTitle", sectionTitle);
        m.put("note", note);
        m.put("run", bench ? "bench" : "short");
        m.put("written", written.toString());
        m.put("parameters", parameters);
        List<Object> cs = new ArrayList<>();
        for (Chart c : charts) {
            cs.add(c.toMap());
        }
        m.put("charts", cs);
        return Json.write(m) + "\n";
    }

    /**
     * Writes {@code <name>.csv} (header line first) and its spec into {@code <outputDir>/report/}, or
     * {@code <outputDir>/bench/} for a bench figure; {@code outputDir} is {@code pgprop.outputDir}
     * ({@code target/pgprop} by default). Returns the CSV's path.
     */
    public Path write(String csv) {
        return write(Path.of(Settings.fromEnvironment().get("outputDir", "target/pgprop")), csv);
    }

    /** As {@link #write(String)}, under the given output directory. */
    public Path write(Path outputDir, String csv) {
        Path dir = outputDir.resolve(bench ? "bench" : "report");
        Path file = dir.resolve(name + ".csv");
        try {
            dev.pgprop.dsl.internal.WholeFiles.write(file, csv.endsWith("\n") ? csv : csv + "\n");
            dev.pgprop.dsl.internal.WholeFiles.write(dir.resolve(name + ".figure.json"), toJson(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    @Override
    public String toString() {
        return "Figure[" + name + " in " + section + ", " + charts.size() + " charts" + (bench ? ", bench" : "") + "]";
    }

    /**
     * One chart of a figure: its kind, x and y columns, the columns whose values make one series
     * each, axis titles (with units), log axes, a band and reference lines.
     *
     * <pre>{@code
     * Figure.Chart.line("rate", "rows", "rows_per_second").withSeries("path")
     *     .withAxisTitles("rows loaded", "rows per second").withLogX().withLogY();
     * }</pre>
     */
    public static final class Chart {
        private final String id;
        private final Kind kind;
        private final String title;
        private final String x;
        private final List<String> y;
        private final List<String> series;
        private final String xTitle;
        private final String yTitle;
        private final boolean logX;
        private final boolean logY;
        private final List<String> band;
        private final List<Map<String, Object>> references;
        private final List<String> counts;
        private final Map<String, String> labels;

        private Chart(String id, Kind kind, String title, String x, List<String> y, List<String> series, String xTitle, String yTitle,
                      boolean logX, boolean logY, List<String> band, List<Map<String, Object>> references, List<String> counts,
                      Map<String, String> labels) {
            this.id = id;
            this.kind = kind;
            this.title = title;
            this.x = x;
            this.y = List.copyOf(y);
            this.series = List.copyOf(series);
            this.xTitle = xTitle;
            this.yTitle = yTitle;
            this.logX = logX;
            this.logY = logY;
            this.band = List.copyOf(band);
            this.references = List.copyOf(references);
            this.counts = List.copyOf(counts);
            this.labels = Map.copyOf(labels);
        }

        /** Lines of y against a numeric x; each y column (and each series key) is a line. */
        public static Chart line(String id, String x, String... y) {
            return new Chart(checkedId(id, "chart id"), Kind.LINE, "", column(x, "x"), nonEmpty(y, "y"), List.of(), x, "", false, false,
                    List.of(), List.of(), List.of(), Map.of());
        }

        /** Bars of y for each value of the category column x. */
        public static Chart bar(String id, String x, String... y) {
            return new Chart(checkedId(id, "chart id"), Kind.BAR, "", column(x, "x"), nonEmpty(y, "y"), List.of(), x, "", false, false,
                    List.of(), List.of(), List.of(), Map.of());
        }

        /**
         * A grid: one column per value of {@code columns}, one row per value of {@code rows}, each
         * cell coloured by the true/false {@code value}.
         */
        public static Chart matrix(String id, String columns, String rows, String value) {
            return new Chart(checkedId(id, "chart id"), Kind.MATRIX, "", column(columns, "columns"), List.of(column(rows, "rows"),
                    column(value, "value")), List.of(), columns, rows, false, false, List.of(), List.of(), List.of(), Map.of());
        }

        public Chart withTitle(String title) {
            return new Chart(id, kind, text(title, "title"), x, y, series, xTitle, yTitle, logX, logY, band, references, counts, labels);
        }

        /** Axis titles with their units: {@code "n (rows)"}, {@code "p95 latency (ms)"}. */
        public Chart withAxisTitles(String xTitle, String yTitle) {
            return new Chart(id, kind, title, x, y, series, text(xTitle, "xTitle"), text(yTitle, "yTitle"), logX, logY, band, references,
                    counts, labels);
        }

        /** One series per distinct combination of these columns' values. */
        public Chart withSeries(String... columns) {
            return new Chart(id, kind, title, x, y, columns(columns, "series"), xTitle, yTitle, logX, logY, band, references, counts,
                    labels);
        }

        public Chart withLogX() {
            requireLine("a log x axis");
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, true, logY, band, references, counts, labels);
        }

        public Chart withLogY() {
            if (kind == Kind.MATRIX) {
                throw new IllegalArgumentException("chart " + id + " is a matrix: it has no y axis to draw on a log scale");
            }
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, logX, true, band, references, counts, labels);
        }

        /** A shaded band from column {@code low} to {@code high} around the (single) y column, such as a confidence interval. */
        public Chart withBand(String low, String high) {
            requireLine("a band");
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, logX, logY, List.of(column(low, "low"), column(high, "high")),
                    references, counts, labels);
        }

        /** A dashed horizontal line at {@code value} with its label: a threshold, a budget, a ratio of 1. */
        public Chart withReference(double value, String label) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a reference line needs a finite value, got " + value);
            }
            List<Map<String, Object>> refs = new ArrayList<>(references);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("value", value);
            r.put("label", text(label, "label"));
            refs.add(r);
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, logX, logY, band, refs, counts, labels);
        }

        /**
         * A badge over the chart that sums columns, as in "0 oversold, 0 drift over 8,000 calls":
         * {@code total} is summed for "over", each count column for its own figure. Counts do not get a
         * line of their own.
         */
        public Chart withCounts(String total, String... countColumns) {
            List<String> c = new ArrayList<>();
            c.add(column(total, "total"));
            c.addAll(nonEmpty(countColumns, "counts"));
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, logX, logY, band, references, c, labels);
        }

        /** The words a matrix shows for true and false cells (default "yes" and "no"). */
        public Chart withCellLabels(String whenTrue, String whenFalse) {
            if (kind != Kind.MATRIX) {
                throw new IllegalArgumentException("chart " + id + " is a " + kind.name().toLowerCase(Locale.ROOT)
                        + " chart; cell labels are for a matrix");
            }
            return new Chart(id, kind, title, x, y, series, xTitle, yTitle, logX, logY, band, references, counts,
                    Map.of("true", text(whenTrue, "whenTrue"), "false", text(whenFalse, "whenFalse")));
        }

        public String id() {
            return id;
        }

        public Kind kind() {
            return kind;
        }

        public String title() {
            return title;
        }

        public String x() {
            return x;
        }

        public List<String> y() {
            return y;
        }

        public List<String> series() {
            return series;
        }

        public String xTitle() {
            return xTitle;
        }

        public String yTitle() {
            return yTitle;
        }

        public boolean logX() {
            return logX;
        }

        public boolean logY() {
            return logY;
        }

        public List<String> band() {
            return band;
        }

        /** Each a map of {@code value} (a double) and {@code label}. */
        public List<Map<String, Object>> references() {
            return references;
        }

        /** The total column, then the count columns; empty without a badge. */
        public List<String> counts() {
            return counts;
        }

        public Map<String, String> cellLabels() {
            return labels;
        }

        private void requireLine(String what) {
            if (kind != Kind.LINE) {
                throw new IllegalArgumentException("chart " + id + " is a " + kind.name().toLowerCase(Locale.ROOT) + " chart; "
                        + what + " is for a line chart");
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("kind", kind.name().toLowerCase(Locale.ROOT));
            m.put("title", title);
            m.put("x", x);
            m.put("y", y);
            m.put("series", series);
            m.put("xTitle", xTitle);
            m.put("yTitle", yTitle);
            m.put("logX", logX);
            m.put("logY", logY);
            m.put("band", band);
            m.put("references", references);
            m.put("counts", counts);
            m.put("cellLabels", labels);
            return m;
        }

        /** Rebuilds a chart from its spec map (as {@code toJson} wrote it); for the report. */
        public static Chart fromMap(Map<?, ?> m) {
            String kind = str(m, "kind");
            List<String> ys = strings(m, "y");
            Chart c;
            if (kind.equals("matrix")) {
                if (ys.size() != 2) {
                    throw new IllegalArgumentException("a matrix spec names its rows and value column in y, got " + ys);
                }
                c = matrix(str(m, "id"), str(m, "x"), ys.get(0), ys.get(1));
            } else if (kind.equals("line") || kind.equals("bar")) {
                String[] y = ys.toArray(String[]::new);
                c = kind.equals("line") ? line(str(m, "id"), str(m, "x"), y) : bar(str(m, "id"), str(m, "x"), y);
            } else {
                throw new IllegalArgumentException("unknown chart kind '" + kind + "': use line, bar or matrix");
            }
            if (!str(m, "title").isEmpty()) {
                c = c.withTitle(str(m, "title"));
            }
            if (!str(m, "xTitle").isEmpty() && !str(m, "yTitle").isEmpty()) {
                c = c.withAxisTitles(str(m, "xTitle"), str(m, "yTitle"));
            }
            if (!strings(m, "series").isEmpty()) {
                c = c.withSeries(strings(m, "series").toArray(String[]::new));
            }
            if (Boolean.TRUE.equals(m.get("logX"))) {
                c = c.withLogX();
            }
            if (Boolean.TRUE.equals(m.get("logY"))) {
                c = c.withLogY();
            }
            List<String> band = strings(m, "band");
            if (band.size() == 2) {
                c = c.withBand(band.get(0), band.get(1));
            }
            if (m.get("references") instanceof List<?> refs) {
                for (Object r : refs) {
                    if (r instanceof Map<?, ?> rm && rm.get("value") instanceof Number v) {
                        c = c.withReference(v.doubleValue(), str(rm, "label"));
                    }
                }
            }
            List<String> counts = strings(m, "counts");
            if (counts.size() >= 2) {
                c = c.withCounts(counts.get(0), counts.subList(1, counts.size()).toArray(String[]::new));
            }
            if (m.get("cellLabels") instanceof Map<?, ?> l && l.get("true") instanceof String t && l.get("false") instanceof String f) {
                c = c.withCellLabels(t, f);
            }
            return c;
        }

        private static String str(Map<?, ?> m, String key) {
            return m.get(key) instanceof String s ? s : "";
        }

        private static List<String> strings(Map<?, ?> m, String key) {
            List<String> out = new ArrayList<>();
            if (m.get(key) instanceof List<?> l) {
                l.forEach(o -> out.add(String.valueOf(o)));
            }
            return out;
        }
    }

    private static String checkedId(String s, String what) {
        Objects.requireNonNull(s, what);
        if (!s.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException(what + " '" + s + "' must be letters, digits, '-' and '_' (it names a file and an HTML id)");
        }
        return s;
    }

    private static String text(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " is blank: give the reader a title with its unit, such as \"p95 latency (ms)\"");
        }
        return s;
    }

    private static String column(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException("the " + what + " column name is blank");
        }
        return s;
    }

    private static List<String> columns(String[] cols, String what) {
        List<String> out = new ArrayList<>();
        for (String c : cols) {
            out.add(column(c, what));
        }
        return out;
    }

    private static List<String> nonEmpty(String[] cols, String what) {
        if (cols.length == 0) {
            throw new IllegalArgumentException("a chart needs at least one " + what + " column");
        }
        return columns(cols, what);
    }

}

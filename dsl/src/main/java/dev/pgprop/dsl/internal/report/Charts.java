package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.report.Figure;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Inline SVG charts drawn as a figure declares them ({@link Figure.Chart}): nothing is guessed from
 * the CSV. Every chart carries machine-readable attributes for the browser check: {@code
 * data-chart}, {@code data-spec} (the spec file), {@code data-kind}, {@code data-series-count},
 * {@code data-points} (points per series), {@code data-y} and {@code data-params}; each series is a
 * {@code g.series}, each legend entry a {@code g.legend-item} with the same {@code data-series}, and
 * the axis titles are {@code text.x-title} and {@code text.y-title}.
 */
final class Charts {
    static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#7f6d00", "#333333"};
    private static final int W = 570;

    private Charts() {}

    /** One chart ready to draw. */
    record Spec(String id, String specFile, Figure.Kind kind, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                List<String> categories, List<Series> series, List<Ref> references, List<String> yColumns, List<String> parameters) {}

    /** Line: points (x, y) sorted by x, band (x, low, high); bar: one y per category (NaN when absent). */
    record Series(String label, List<double[]> points, List<double[]> band) {
        int drawn() {
            int n = 0;
            for (double[] p : points) {
                n += Double.isNaN(p[1]) ? 0 : 1;
            }
            return n;
        }
    }

    record Ref(double value, String label) {}

    /** The chart as declared over the CSV's rows. */
    static Spec build(Csv csv, Figure figure, Figure.Chart chart, String id, String specFile) {
        int xCol = csv.column(chart.x());
        if (xCol < 0) {
            throw new IllegalArgumentException("column '" + chart.x() + "' is not in " + csv.name() + ".csv (" + csv.header() + ")");
        }
        List<Integer> yCols = columns(csv, chart.y());
        List<Integer> keyCols = columns(csv, chart.series());
        List<Integer> bandCols = columns(csv, chart.band());
        List<String> keys = new ArrayList<>(distinct(csv, keyCols));
        List<String> categories = new ArrayList<>();
        if (chart.kind() == Figure.Kind.BAR) {
            categories.addAll(values(csv, xCol));
        }
        List<Series> series = new ArrayList<>();
        for (String key : keys) {
            for (int y : yCols) {
                String label = key.isEmpty() ? label(csv.header().get(y))
                        : yCols.size() == 1 ? key : key + " · " + label(csv.header().get(y));
                List<double[]> points = new ArrayList<>();
                List<double[]> band = new ArrayList<>();
                if (chart.kind() == Figure.Kind.BAR) {
                    for (String cat : categories) {
                        double v = Double.NaN;
                        for (int r = 0; r < csv.rows().size(); r++) {
                            if (csv.cell(r, xCol).equals(cat) && key(csv, r, keyCols).equals(key)) {
                                v = Csv.number(csv.cell(r, y)).orElse(Double.NaN);
                            }
                        }
                        points.add(new double[] {categories.indexOf(cat), v});
                    }
                } else {
                    for (int r = 0; r < csv.rows().size(); r++) {
                        if (!key(csv, r, keyCols).equals(key)) {
                            continue;
                        }
                        OptionalDouble x = Csv.number(csv.cell(r, xCol));
                        OptionalDouble v = Csv.number(csv.cell(r, y));
                        if (x.isPresent() && v.isPresent()) {
                            points.add(new double[] {x.getAsDouble(), v.getAsDouble()});
                            if (bandCols.size() == 2 && yCols.size() == 1) {
                                OptionalDouble lo = Csv.number(csv.cell(r, bandCols.get(0)));
                                OptionalDouble hi = Csv.number(csv.cell(r, bandCols.get(1)));
                                if (lo.isPresent() && hi.isPresent()) {
                                    band.add(new double[] {x.getAsDouble(), lo.getAsDouble(), hi.getAsDouble()});
                                }
                            }
                        }
                    }
                    points.sort((a, b) -> Double.compare(a[0], b[0]));
                    band.sort((a, b) -> Double.compare(a[0], b[0]));
                }
                Series ser = new Series(label, points, band);
                if (ser.drawn() > 0) {   // a key with no value for this column draws nothing, and gets no legend entry
                    series.add(ser);
                }
            }
        }
        List<Ref> refs = new ArrayList<>();
        for (Map<String, Object> r : chart.references()) {
            refs.add(new Ref(((Number) r.get("value")).doubleValue(), String.valueOf(r.get("label"))));
        }
        String title = chart.title().isEmpty() ? HtmlReport.title(csv.name()) : chart.title();
        String xLabel = chart.xTitle().isEmpty() ? label(chart.x()) : chart.xTitle();
        String yLabel = !chart.yTitle().isEmpty() ? chart.yTitle() : chart.y().size() == 1 ? label(chart.y().get(0)) : "value";
        return new Spec(id, specFile, chart.kind(), title, xLabel, yLabel, chart.logX(), chart.logY(), categories, series, refs,
                chart.y(), figure.parameters());
    }

    private static List<Integer> columns(Csv csv, List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            int c = csv.column(n);
            if (c < 0) {
                throw new IllegalArgumentException("column '" + n + "' is not in " + csv.name() + ".csv (" + csv.header() + ")");
            }
            out.add(c);
        }
        return out;
    }

    /** {@code dim 128, n 1,000}: the series key of a row ("" without series columns). */
    private static String key(Csv csv, int row, List<Integer> cols) {
        List<String> parts = new ArrayList<>();
        for (int c : cols) {
            String v = csv.cell(row, c);
            OptionalDouble d = Csv.number(v);
            String shown = d.isPresent() && d.getAsDouble() == Math.rint(d.getAsDouble()) && Math.abs(d.getAsDouble()) >= 1000
                    ? String.format(Locale.ROOT, "%,d", (long) d.getAsDouble()) : v;
            parts.add(cols.size() == 1 && d.isEmpty() ? shown : label(csv.header().get(c)) + " " + shown);
        }
        return String.join(", ", parts);
    }

    /** The series keys in order of first appearance. */
    private static Set<String> distinct(Csv csv, List<Integer> cols) {
        Set<String> seen = new LinkedHashSet<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            seen.add(key(csv, r, cols));
        }
        return seen;
    }

    /** A column's values in order of first appearance. */
    private static List<String> values(Csv csv, int col) {
        Set<String> seen = new LinkedHashSet<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            seen.add(csv.cell(r, col));
        }
        return new ArrayList<>(seen);
    }

    private static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("_per_second", "per second");
        UNITS.put("_per_s", "per second");
        UNITS.put("_ms", "ms");
        UNITS.put("_us", "µs");
        UNITS.put("_s", "s");
        UNITS.put("_seconds", "s");
        UNITS.put("_bytes", "bytes");
        UNITS.put("_pct", "%");
        UNITS.put("_percent", "%");
    }

    /** {@code p95_ms} -> {@code p95 (ms)}; {@code rows_per_second} -> {@code rows per second}. */
    static String label(String column) {
        String c = column.trim();
        String lower = c.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> u : UNITS.entrySet()) {
            if (lower.endsWith(u.getKey()) && lower.length() > u.getKey().length()) {
                String base = c.substring(0, c.length() - u.getKey().length()).replace('_', ' ');
                return u.getValue().startsWith("per") ? base + " " + u.getValue() : base + " (" + u.getValue() + ")";
            }
        }
        return c.replace('_', ' ');
    }

    // ---- rendering ----

    private static String join(List<String> l) {
        return String.join(",", l);
    }

    private static StringBuilder open(StringBuilder b, Spec spec, int height, int width) {
        List<String> pts = new ArrayList<>();
        for (Series s : spec.series()) {
            pts.add(Integer.toString(s.drawn()));
        }
        b.append("<svg class=\"pgprop-chart\" data-chart=\"").append(Html.esc(spec.id())).append("\" data-spec=\"")
                .append(Html.esc(spec.specFile())).append("\" data-kind=\"").append(spec.kind().name().toLowerCase(Locale.ROOT))
                .append("\" data-series-count=\"").append(spec.series().size()).append("\" data-points=\"").append(join(pts))
                .append("\" data-y=\"").append(Html.esc(join(spec.yColumns()))).append("\" data-params=\"")
                .append(Html.esc(join(spec.parameters()))).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.esc(spec.title())).append("\">");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
        b.append("<text x=\"16\" y=\"24\" class=\"tt\">").append(Html.esc(shorten(spec.title(), 80))).append("</text>");
        return b;
    }

    static String svg(Spec spec) {
        if (spec.kind() == Figure.Kind.MATRIX) {
            throw new IllegalArgumentException("a matrix is drawn by matrix()");
        }
        boolean bar = spec.kind() == Figure.Kind.BAR;
        StringBuilder legend = new StringBuilder();
        int lx = 16;
        int ly = 46;
        for (int i = 0; i < spec.series().size(); i++) {
            String label = spec.series().get(i).label();
            int w = 30 + (int) (6.6 * Math.min(label.length(), 40)) + 18;
            if (lx + w > W - 16 && lx > 16) {
                lx = 16;
                ly += 18;
            }
            String colour = COLOURS[i % COLOURS.length];
            legend.append("<g class=\"legend-item\" data-series=\"").append(i).append("\"><rect x=\"").append(lx).append("\" y=\"")
                    .append(ly - 9).append("\" width=\"22\" height=\"10\" fill=\"").append(colour).append("\"/>");
            legend.append("<text x=\"").append(lx + 28).append("\" y=\"").append(ly).append("\" class=\"lg\">")
                    .append(Html.esc(shorten(label, 40))).append("</text></g>");
            lx += w;
        }
        boolean rotate = bar && (spec.categories().size() > 6 || spec.categories().stream().anyMatch(c -> c.length() > 12));
        int top = ly + 22;
        int bottom = rotate ? 110 : 52;
        int height = top + 220 + bottom;
        int x0 = 78;
        int x1 = W - 24;
        int y0 = top;
        int y1 = height - bottom;

        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        for (Series s : spec.series()) {
            for (double[] p : s.points()) {
                if (!Double.isNaN(p[1])) {
                    yLo = Math.min(yLo, p[1]);
                    yHi = Math.max(yHi, p[1]);
                }
                xLo = Math.min(xLo, p[0]);
                xHi = Math.max(xHi, p[0]);
            }
            for (double[] p : s.band()) {
                yLo = Math.min(yLo, p[1]);
                yHi = Math.max(yHi, p[2]);
            }
        }
        for (Ref r : spec.references()) {
            yLo = Math.min(yLo, r.value());
            yHi = Math.max(yHi, r.value());
        }
        if (yLo > yHi) {
            yLo = 0;
            yHi = 1;
        }
        boolean logY = spec.logY() && yLo > 0;
        boolean logX = !bar && spec.logX() && xLo > 0;
        double[] yTicks = logY ? logTicks(yLo, yHi) : ticks(Math.min(0, yLo), yHi == Math.min(0, yLo) ? yHi + 1 : yHi);
        double ya = logY ? Math.log10(yTicks[0]) : yTicks[0];
        double yb = logY ? Math.log10(yTicks[yTicks.length - 1]) : yTicks[yTicks.length - 1];

        StringBuilder b = open(new StringBuilder(), spec, height, W);
        b.append(legend);
        for (double t : yTicks) {
            double y = y1 - ((logY ? Math.log10(t) : t) - ya) / (yb - ya) * (y1 - y0);
            b.append(line(x0, y, x1, y, t == 0 ? "#888888" : "#e3e3e3", 1));
            b.append("<text x=\"").append(x0 - 6).append("\" y=\"").append(f(y + 4)).append("\" class=\"ax\" text-anchor=\"end\">")
                    .append(Html.esc(fmt(t))).append("</text>");
        }
        b.append(line(x0, y0, x0, y1, "#555555", 1));
        b.append(line(x0, y1, x1, y1, "#555555", 1));
        b.append("<text class=\"al y-title\" text-anchor=\"middle\" transform=\"translate(18 ").append((y0 + y1) / 2)
                .append(") rotate(-90)\">").append(Html.esc(shorten(spec.yLabel(), 44))).append(logY ? ", log scale" : "").append("</text>");
        b.append("<text class=\"al x-title\" x=\"").append((x0 + x1) / 2).append("\" y=\"").append(height - 10)
                .append("\" text-anchor=\"middle\">").append(Html.esc(spec.xLabel())).append(logX ? " (log scale)" : "").append("</text>");

        if (bar) {
            int n = Math.max(1, spec.categories().size());
            int k = Math.max(1, spec.series().size());
            double gw = (x1 - x0) / (double) n;
            double bw = Math.max(2, gw * 0.78 / k);
            double yz = y1 - ((logY ? ya : Math.max(0, ya)) - ya) / (yb - ya) * (y1 - y0);
            StringBuilder[] groups = new StringBuilder[k];
            for (int s = 0; s < k; s++) {
                groups[s] = new StringBuilder();
            }
            for (int c = 0; c < spec.categories().size(); c++) {
                double gx = x0 + c * gw + gw * 0.11;
                for (int s = 0; s < spec.series().size(); s++) {
                    double v = spec.series().get(s).points().get(c)[1];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double yv = y1 - ((logY ? Math.log10(v) : v) - ya) / (yb - ya) * (y1 - y0);
                    double h = Math.max(1.5, Math.abs(yz - yv));
                    groups[s].append("<rect class=\"bar\" x=\"").append(f(gx + s * bw)).append("\" y=\"").append(f(Math.min(yv, yz - 1.5)))
                            .append("\" width=\"").append(f(bw - 1)).append("\" height=\"").append(f(h)).append("\" fill=\"")
                            .append(COLOURS[s % COLOURS.length]).append("\"><title>")
                            .append(Html.esc(spec.series().get(s).label() + " @ " + spec.categories().get(c) + ": " + fmtFull(v)))
                            .append("</title></rect>");
                }
                double cx = x0 + c * gw + gw / 2;
                String cat = shorten(spec.categories().get(c), 26);
                if (rotate) {
                    b.append("<text class=\"ax\" text-anchor=\"end\" transform=\"translate(").append(f(cx + 4)).append(' ').append(y1 + 14)
                            .append(") rotate(-30)\">").append(Html.esc(cat)).append("</text>");
                } else {
                    b.append("<text class=\"ax\" x=\"").append(f(cx)).append("\" y=\"").append(y1 + 16).append("\" text-anchor=\"middle\">")
                            .append(Html.esc(cat)).append("</text>");
                }
            }
            for (int s = 0; s < spec.series().size(); s++) {
                b.append("<g class=\"series\" data-series=\"").append(s).append("\" data-label=\"").append(Html.esc(spec.series().get(s).label()))
                        .append("\" data-points=\"").append(spec.series().get(s).drawn()).append("\">").append(groups[s]).append("</g>");
            }
        } else {
            double[] xt;
            if (xLo > xHi) {
                xLo = 0;
                xHi = 1;
            }
            if (logX) {
                xt = logTicks(xLo, xHi);
            } else {
                xt = ticks(xLo == xHi ? xLo - 1 : xLo, xLo == xHi ? xHi + 1 : xHi);
                if (xLo >= 0 && xt[0] < 0) {
                    xt[0] = 0;
                }
            }
            double xa = logX ? Math.log10(xt[0]) : xt[0];
            double xb = logX ? Math.log10(xt[xt.length - 1]) : xt[xt.length - 1];
            for (double t : xt) {
                double x = x0 + ((logX ? Math.log10(t) : t) - xa) / (xb - xa) * (x1 - x0);
                b.append(line(x, y0, x, y1, "#eeeeee", 1));
                b.append(line(x, y1, x, y1 + 5, "#555555", 1));
                b.append("<text class=\"ax\" x=\"").append(f(x)).append("\" y=\"").append(y1 + 18).append("\" text-anchor=\"middle\">")
                        .append(Html.esc(fmt(t))).append("</text>");
            }
            final double fxa = xa;
            final double fxb = xb;
            final double fya = ya;
            final double fyb = yb;
            java.util.function.DoubleUnaryOperator px = v -> x0 + ((logX ? Math.log10(v) : v) - fxa) / (fxb - fxa) * (x1 - x0);
            java.util.function.DoubleUnaryOperator py = v -> y1 - ((logY ? Math.log10(v) : v) - fya) / (fyb - fya) * (y1 - y0);
            for (int s = 0; s < spec.series().size(); s++) {
                Series ser = spec.series().get(s);
                String colour = COLOURS[s % COLOURS.length];
                b.append("<g class=\"series\" data-series=\"").append(s).append("\" data-label=\"").append(Html.esc(ser.label()))
                        .append("\" data-points=\"").append(ser.drawn()).append("\">");
                if (ser.band().size() >= 2) {
                    StringBuilder poly = new StringBuilder();
                    for (double[] p : ser.band()) {
                        poly.append(f(px.applyAsDouble(p[0]))).append(',').append(f(py.applyAsDouble(p[2]))).append(' ');
                    }
                    for (int i = ser.band().size() - 1; i >= 0; i--) {
                        double[] p = ser.band().get(i);
                        poly.append(f(px.applyAsDouble(p[0]))).append(',').append(f(py.applyAsDouble(p[1]))).append(' ');
                    }
                    b.append("<polygon class=\"band\" fill=\"").append(colour).append("\" fill-opacity=\"0.15\" stroke=\"none\" points=\"")
                            .append(poly.toString().trim()).append("\"/>");
                }
                StringBuilder pts = new StringBuilder();
                StringBuilder dots = new StringBuilder();
                for (double[] p : ser.points()) {
                    double x = px.applyAsDouble(p[0]);
                    double y = py.applyAsDouble(p[1]);
                    pts.append(f(x)).append(',').append(f(y)).append(' ');
                    dots.append("<circle class=\"point\" cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"3.5\" fill=\"")
                            .append(colour).append("\"><title>").append(Html.esc(ser.label() + " @ " + fmtFull(p[0]) + ": " + fmtFull(p[1])))
                            .append("</title></circle>");
                }
                b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2.5\" points=\"")
                        .append(pts.toString().trim()).append("\"/>").append(dots).append("</g>");
            }
        }
        for (Ref r : spec.references()) {
            double y = y1 - ((logY ? Math.log10(r.value()) : r.value()) - ya) / (yb - ya) * (y1 - y0);
            b.append("<g class=\"reference\" data-value=\"").append(fmtFull(r.value())).append("\"><line x1=\"").append(x0).append("\" y1=\"")
                    .append(f(y)).append("\" x2=\"").append(x1).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"#b00020\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text class=\"rl\" x=\"").append(x0 + 6)
                    .append("\" y=\"").append(f(y - 5)).append("\" text-anchor=\"start\">").append(Html.esc(r.label())).append("</text></g>");
        }
        b.append("</svg>");
        return b.toString();
    }

    /** 1-2-5 ticks covering [lo, hi], both positive, for a log axis. */
    static double[] logTicks(double lo, double hi) {
        List<Double> all = new ArrayList<>();
        int a = (int) Math.floor(Math.log10(lo)) - 1;
        int z = (int) Math.ceil(Math.log10(hi)) + 1;
        for (int e = a; e <= z; e++) {
            for (double m : new double[] {1, 2, 5}) {
                all.add(m * Math.pow(10, e));
            }
        }
        double first = all.get(0);
        double last = all.get(all.size() - 1);
        for (double t : all) {
            if (t <= lo * (1 + 1e-9)) {
                first = t;
            }
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) >= hi * (1 - 1e-9)) {
                last = all.get(i);
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t : all) {
            if (t >= first && t <= last) {
                out.add(t);
            }
        }
        if (out.size() > 10) { // many decades: powers of ten only, and always both ends
            List<Double> tens = new ArrayList<>();
            for (double t : out) {
                if (Math.abs(Math.log10(t) - Math.rint(Math.log10(t))) < 1e-9 || t == first || t == last) {
                    tens.add(t);
                }
            }
            out = tens;
        }
        if (out.size() < 2) {
            out = List.of(first, first * 10);
        }
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    /** A grid: the chart's x values as columns, its rows column as rows, cells coloured by the true/false value. */
    static String matrix(Csv csv, Figure.Chart chart, String id, String specFile, List<String> parameters, String title) {
        int colCol = csv.column(chart.x());
        int rowCol = csv.column(chart.y().get(0));
        int valCol = csv.column(chart.y().get(1));
        if (colCol < 0 || rowCol < 0 || valCol < 0) {
            throw new IllegalArgumentException("the matrix needs columns " + chart.x() + ", " + chart.y() + "; " + csv.name()
                    + ".csv has " + csv.header());
        }
        String yes = chart.cellLabels().getOrDefault("true", "yes");
        String no = chart.cellLabels().getOrDefault("false", "no");
        List<String> cols = values(csv, colCol);
        List<String> rows = values(csv, rowCol);
        Map<String, String> cells = new LinkedHashMap<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            cells.put(csv.cell(r, colCol) + "\u0000" + csv.cell(r, rowCol), csv.cell(r, valCol).toLowerCase(Locale.ROOT));
        }
        int labelW = 150;
        int cw = 150;
        int ch = 28;
        int top = 70;
        int width = Math.max(labelW + cw * cols.size() + 20, labelW + 500);
        int height = top + ch * rows.size() + 46;
        List<String> pts = new ArrayList<>();
        rows.forEach(r -> pts.add(Integer.toString(cols.size())));
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"pgprop-chart\" data-chart=\"").append(Html.esc(id)).append("\" data-spec=\"").append(Html.esc(specFile))
                .append("\" data-kind=\"matrix\" data-series-count=\"").append(rows.size()).append("\" data-points=\"").append(join(pts))
                .append("\" data-y=\"").append(Html.esc(chart.y().get(1))).append("\" data-params=\"").append(Html.esc(join(parameters)))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(Html.esc(title)).append("\">");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
        b.append("<text x=\"16\" y=\"24\" class=\"tt\">").append(Html.esc(shorten(title, 80))).append("</text>");
        for (int i = 0; i < cols.size(); i++) {
            b.append("<text class=\"al x-title\" x=\"").append(labelW + i * cw + cw / 2).append("\" y=\"").append(top - 10)
                    .append("\" text-anchor=\"middle\">").append(Html.esc(shorten(cols.get(i), 22))).append("</text>");
        }
        for (int j = 0; j < rows.size(); j++) {
            int y = top + j * ch;
            b.append("<g class=\"series\" data-series=\"").append(j).append("\" data-label=\"").append(Html.esc(rows.get(j)))
                    .append("\" data-points=\"").append(cols.size()).append("\">");
            b.append("<text class=\"al y-title\" x=\"").append(labelW - 10).append("\" y=\"").append(y + 19).append("\" text-anchor=\"end\">")
                    .append(Html.esc(shorten(rows.get(j), 20))).append("</text>");
            for (int i = 0; i < cols.size(); i++) {
                String v = cells.getOrDefault(cols.get(i) + "\u0000" + rows.get(j), "");
                String fill;
                String text;
                if (v.equals("true")) {
                    fill = "#2e8b57";
                    text = yes;
                } else if (v.equals("false")) {
                    fill = "#d9534f";
                    text = no;
                } else {
                    fill = "#9e9e9e";
                    text = v.isEmpty() ? "not run" : v;
                }
                int x = labelW + i * cw;
                b.append("<rect class=\"cell\" data-column=\"").append(Html.esc(cols.get(i))).append("\" data-row=\"")
                        .append(Html.esc(rows.get(j))).append("\" x=\"").append(x + 1).append("\" y=\"").append(y + 1)
                        .append("\" width=\"").append(cw - 2).append("\" height=\"").append(ch - 2).append("\" fill=\"").append(fill)
                        .append("\"><title>").append(Html.esc(rows.get(j) + " at " + cols.get(i) + ": " + text)).append("</title></rect>");
                b.append("<text class=\"cv\" x=\"").append(x + cw / 2).append("\" y=\"").append(y + 19).append("\" text-anchor=\"middle\">")
                        .append(Html.esc(shorten(text, 20))).append("</text>");
            }
            b.append("</g>");
        }
        int ly = top + ch * rows.size() + 26;
        b.append("<g class=\"legend-item\" data-series=\"0\"><rect x=\"").append(labelW).append("\" y=\"").append(ly - 11)
                .append("\" width=\"14\" height=\"14\" fill=\"#2e8b57\"/><text class=\"lg\" x=\"").append(labelW + 20).append("\" y=\"")
                .append(ly).append("\">").append(Html.esc(yes)).append("</text></g>");
        b.append("<g class=\"legend-item\" data-series=\"0\"><rect x=\"").append(labelW + 200).append("\" y=\"").append(ly - 11)
                .append("\" width=\"14\" height=\"14\" fill=\"#d9534f\"/><text class=\"lg\" x=\"").append(labelW + 220).append("\" y=\"")
                .append(ly).append("\">").append(Html.esc(no)).append("</text></g>");
        b.append("</svg>");
        return b.toString();
    }

    private static String line(double xa, double ya, double xb, double yb, String colour, double w) {
        return "<line x1=\"" + f(xa) + "\" y1=\"" + f(ya) + "\" x2=\"" + f(xb) + "\" y2=\"" + f(yb) + "\" stroke=\"" + colour
                + "\" stroke-width=\"" + f(w) + "\"/>";
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Round tick positions covering [lo, hi], about five of them. */
    static double[] ticks(double lo, double hi) {
        double step = nice((hi - lo) / 5);
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[Math.max(2, n)];
        for (int i = 0; i < t.length; i++) {
            t[i] = start + i * step;
            if (Math.abs(t[i]) < step * 1e-9) {
                t[i] = 0;
            }
        }
        return t;
    }

    private static double nice(double raw) {
        double e = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / e;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * e;
    }

    /** Short tick labels: 1.5k, 20k, 1.2M, 0.95. */
    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return sig(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return sig(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return sig(v / 1e3) + "k";
        }
        return sig(v);
    }

    static String fmtFull(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : sig(v);
    }

    private static String sig(double v) {
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

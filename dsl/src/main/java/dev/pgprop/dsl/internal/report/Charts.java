package dev.pgprop.dsl.internal.report;

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
 * Inline SVG charts made from CSV files, read generically: the first column is x, every numeric
 * column a series; a line chart when x is numeric (log scale when it spans two decades or more), a
 * bar chart otherwise. A first column of repeated labels followed by a numeric one is long format:
 * one series per label, the second column as x. Columns of different units, or unitless ones of
 * very different magnitude, get charts of their own, so a ratio is not flattened by a rate; a line
 * chart whose values span two decades or more gets a log y axis.
 */
final class Charts {
    static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#7f6d00", "#333333"};
    private static final int W = 570;

    private Charts() {}

    /** One chart: an id for {@code data-chart}, a title, axis labels, and series. */
    record Spec(String id, String title, String xLabel, String yLabel, boolean categorical, List<String> categories,
                List<Series> series) {}

    /** For line charts, points are (x, y); for bar charts, one y per category (NaN when absent). */
    record Series(String label, List<double[]> points) {}

    static List<Spec> fromCsv(Csv csv, String id, String title) {
        List<Spec> out = new ArrayList<>();
        int cols = csv.header().size();
        if (cols < 2 || csv.rows().isEmpty()) {
            return out;
        }
        boolean longFormat = cols >= 3 && !csv.numeric(0) && csv.numeric(1) && repeats(csv, 0);
        if (longFormat) {
            boolean more = false;
            for (int c = 2; c < cols; c++) {
                more |= csv.numeric(c);
            }
            longFormat = more; // else the second column is the only series, drawn against the labels
        }
        int xCol = longFormat ? 1 : 0;
        boolean categorical = !csv.numeric(xCol);
        List<Integer> yCols = new ArrayList<>();
        for (int c = xCol + 1; c < cols; c++) {
            if (csv.numeric(c)) {
                yCols.add(c);
            }
        }
        if (yCols.isEmpty()) {
            return out;
        }
        List<List<Integer>> groups = byMagnitude(csv, yCols);
        for (List<Integer> group : groups) {
            String chartId = groups.size() == 1 ? id : id + "." + csv.header().get(group.get(0));
            String chartTitle = groups.size() == 1 ? title : title + ": " + labels(csv, group);
            List<String> categories = new ArrayList<>();
            if (categorical) {
                Set<String> seen = new LinkedHashSet<>();
                for (int r = 0; r < csv.rows().size(); r++) {
                    seen.add(csv.cell(r, xCol));
                }
                categories.addAll(seen);
            }
            List<Series> series = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            if (longFormat) {
                Set<String> seen = new LinkedHashSet<>();
                for (int r = 0; r < csv.rows().size(); r++) {
                    seen.add(csv.cell(r, 0));
                }
                keys.addAll(seen);
            } else {
                keys.add(null);
            }
            for (String key : keys) {
                for (int y : group) {
                    String label = key == null ? label(csv.header().get(y))
                            : group.size() == 1 ? key : key + " · " + label(csv.header().get(y));
                    List<double[]> points = new ArrayList<>();
                    if (categorical) {
                        for (String cat : categories) {
                            double v = Double.NaN;
                            for (int r = 0; r < csv.rows().size(); r++) {
                                if (csv.cell(r, xCol).equals(cat) && (key == null || csv.cell(r, 0).equals(key))) {
                                    v = Csv.number(csv.cell(r, y)).orElse(Double.NaN);
                                }
                            }
                            points.add(new double[] {categories.indexOf(cat), v});
                        }
                    } else {
                        for (int r = 0; r < csv.rows().size(); r++) {
                            if (key != null && !csv.cell(r, 0).equals(key)) {
                                continue;
                            }
                            OptionalDouble x = Csv.number(csv.cell(r, xCol));
                            OptionalDouble v = Csv.number(csv.cell(r, y));
                            if (x.isPresent() && v.isPresent()) {
                                points.add(new double[] {x.getAsDouble(), v.getAsDouble()});
                            }
                        }
                        points.sort((a, b) -> Double.compare(a[0], b[0]));
                    }
                    series.add(new Series(label, points));
                }
            }
            String yLabel = group.size() == 1 ? label(csv.header().get(group.get(0))) : commonUnit(csv, group);
            out.add(new Spec(chartId, chartTitle, label(csv.header().get(xCol)), yLabel, categorical, categories, series));
        }
        return out;
    }

    private static boolean repeats(Csv csv, int column) {
        Set<String> seen = new LinkedHashSet<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            if (!seen.add(csv.cell(r, column))) {
                return true;
            }
        }
        return false;
    }

    private static double maxAbs(Csv csv, int column) {
        double m = 0;
        for (int r = 0; r < csv.rows().size(); r++) {
            m = Math.max(m, Math.abs(Csv.number(csv.cell(r, column)).orElse(0)));
        }
        return m;
    }

    /**
     * Columns with the same unit in their names share a chart (log scale when they span two decades),
     * unitless columns share one when their largest values lie within a factor of 10; all-zero
     * columns share one.
     */
    private static List<List<Integer>> byMagnitude(Csv csv, List<Integer> cols) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Double> reps = new ArrayList<>();
        for (int c : cols) {
            double m = maxAbs(csv, c);
            String unit = unit(csv.header().get(c));
            int found = -1;
            for (int g = 0; g < groups.size(); g++) {
                double r = reps.get(g);
                boolean sameUnit = unit.equals(unit(csv.header().get(groups.get(g).get(0))));
                boolean close = m > 0 && r > 0 && Math.max(m, r) / Math.min(m, r) < 10;
                if ((m == 0 && r == 0) || (sameUnit && (!unit.isEmpty() || close))) {
                    found = g;
                    break;
                }
            }
            if (found < 0) {
                groups.add(new ArrayList<>(List.of(c)));
                reps.add(m);
            } else {
                groups.get(found).add(c);
            }
        }
        return groups;
    }

    private static String labels(Csv csv, List<Integer> group) {
        List<String> l = new ArrayList<>();
        group.forEach(c -> l.add(label(csv.header().get(c))));
        return String.join(", ", l);
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

    /** The unit a column's name ends with ({@code ms}, {@code per second}, ...), or "". */
    static String unit(String column) {
        String lower = column.trim().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> u : UNITS.entrySet()) {
            if (lower.endsWith(u.getKey()) && lower.length() > u.getKey().length()) {
                return u.getValue();
            }
        }
        return "";
    }

    private static String commonUnit(Csv csv, List<Integer> group) {
        String unit = unit(csv.header().get(group.get(0)));
        String[] first = label(csv.header().get(group.get(0))).split(" ");
        int common = first.length;
        for (int c : group) {
            if (!unit(csv.header().get(c)).equals(unit)) {
                return "value";
            }
            String[] words = label(csv.header().get(c)).split(" ");
            int k = 0;
            while (k < Math.min(common, words.length) && words[k].equals(first[k]) && !words[k].startsWith("(")) {
                k++;
            }
            common = k;
        }
        String what = common == 0 ? "value" : String.join(" ", java.util.Arrays.copyOf(first, common));
        return unit.isEmpty() ? what : unit.startsWith("per") ? what + " " + unit : what + " (" + unit + ")";
    }

    // ---- rendering ----

    static String svg(Spec spec) {
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
            legend.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 9).append("\" width=\"22\" height=\"10\" fill=\"")
                    .append(colour).append("\"/>");
            legend.append("<text x=\"").append(lx + 28).append("\" y=\"").append(ly).append("\" class=\"lg\">")
                    .append(Html.esc(shorten(label, 40))).append("</text>");
            lx += w;
        }
        boolean rotate = spec.categorical()
                && (spec.categories().size() > 6 || spec.categories().stream().anyMatch(c -> c.length() > 12));
        int top = ly + 22;
        int bottom = rotate ? 96 : 52;
        int height = top + 220 + bottom;
        int x0 = 78;
        int x1 = W - 24;
        int y0 = top;
        int y1 = height - bottom;

        double yLo = 0;
        double yHi = 0;
        double yMinPos = Double.POSITIVE_INFINITY;
        boolean nonPositive = false;
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        for (Series s : spec.series()) {
            for (double[] p : s.points()) {
                if (!Double.isNaN(p[1])) {
                    yLo = Math.min(yLo, p[1]);
                    yHi = Math.max(yHi, p[1]);
                    if (p[1] > 0) {
                        yMinPos = Math.min(yMinPos, p[1]);
                    } else {
                        nonPositive = true;
                    }
                }
                xLo = Math.min(xLo, p[0]);
                xHi = Math.max(xHi, p[0]);
            }
        }
        // a line chart whose values span two decades or more gets a log y axis
        boolean logY = !spec.categorical() && !nonPositive && isLog(yMinPos, yHi);
        double[] yTicks = logY ? decades(yMinPos, yHi) : ticks(yLo, yHi == yLo ? yLo + 1 : yHi);
        double ya = logY ? Math.log10(yTicks[0]) : yTicks[0];
        double yb = logY ? Math.log10(yTicks[yTicks.length - 1]) : yTicks[yTicks.length - 1];

        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"pgprop-chart\" data-chart=\"").append(Html.esc(spec.id())).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(W).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.esc(spec.title())).append("\">");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
        b.append("<text x=\"16\" y=\"24\" class=\"tt\">").append(Html.esc(shorten(spec.title(), 80))).append("</text>");
        b.append(legend);
        // y grid and labels
        for (double t : yTicks) {
            double y = y1 - ((logY ? Math.log10(t) : t) - ya) / (yb - ya) * (y1 - y0);
            b.append(line(x0, y, x1, y, t == 0 ? "#888888" : "#e3e3e3", 1));
            b.append("<text x=\"").append(x0 - 6).append("\" y=\"").append(f(y + 4)).append("\" class=\"ax\" text-anchor=\"end\">")
                    .append(Html.esc(fmt(t))).append("</text>");
        }
        b.append(line(x0, y0, x0, y1, "#555555", 1));
        b.append(line(x0, y1, x1, y1, "#555555", 1));
        b.append("<text class=\"al\" text-anchor=\"middle\" transform=\"translate(18 ").append((y0 + y1) / 2).append(") rotate(-90)\">")
                .append(Html.esc(shorten(spec.yLabel(), 40))).append(logY ? ", log scale" : "").append("</text>");
        b.append("<text class=\"al\" x=\"").append((x0 + x1) / 2).append("\" y=\"").append(height - 10)
                .append("\" text-anchor=\"middle\">").append(Html.esc(spec.xLabel())).append(spec.categorical() ? "" : isLog(xLo, xHi) ? " (log scale)" : "")
                .append("</text>");

        if (spec.categorical()) {
            int n = spec.categories().size();
            int k = spec.series().size();
            double gw = (x1 - x0) / (double) n;
            double bw = Math.max(2, gw * 0.78 / k);
            for (int c = 0; c < n; c++) {
                double gx = x0 + c * gw + gw * 0.11;
                for (int s = 0; s < k; s++) {
                    double v = spec.series().get(s).points().get(c)[1];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double yv = y1 - (v - ya) / (yb - ya) * (y1 - y0);
                    double yz = y1 - (0 - ya) / (yb - ya) * (y1 - y0);
                    double top2 = Math.min(yv, yz);
                    double h = Math.max(1.5, Math.abs(yz - yv));
                    b.append("<rect x=\"").append(f(gx + s * bw)).append("\" y=\"").append(f(h == 1.5 && v == 0 ? yz - 1.5 : top2))
                            .append("\" width=\"").append(f(bw - 1)).append("\" height=\"").append(f(h)).append("\" fill=\"")
                            .append(COLOURS[s % COLOURS.length]).append("\"><title>")
                            .append(Html.esc(spec.series().get(s).label() + " @ " + spec.categories().get(c) + ": " + fmtFull(v)))
                            .append("</title></rect>");
                }
                double cx = x0 + c * gw + gw / 2;
                String cat = shorten(spec.categories().get(c), 22);
                if (rotate) {
                    b.append("<text class=\"ax\" text-anchor=\"end\" transform=\"translate(").append(f(cx + 4)).append(' ').append(y1 + 14)
                            .append(") rotate(-35)\">").append(Html.esc(cat)).append("</text>");
                } else {
                    b.append("<text class=\"ax\" x=\"").append(f(cx)).append("\" y=\"").append(y1 + 16).append("\" text-anchor=\"middle\">")
                            .append(Html.esc(cat)).append("</text>");
                }
            }
        } else {
            boolean log = isLog(xLo, xHi);
            double[] xt;
            double xa;
            double xb;
            if (log) {
                xt = decades(xLo, xHi);
                xa = Math.log10(xt[0]);
                xb = Math.log10(xt[xt.length - 1]);
            } else {
                xt = ticks(xLo == xHi ? xLo - 1 : xLo, xLo == xHi ? xHi + 1 : xHi);
                if (xLo >= 0 && xt[0] < 0) {
                    xt[0] = 0;
                }
                xa = xt[0];
                xb = xt[xt.length - 1];
            }
            for (double t : xt) {
                double x = x0 + ((log ? Math.log10(t) : t) - xa) / (xb - xa) * (x1 - x0);
                b.append(line(x, y0, x, y1, "#eeeeee", 1));
                b.append(line(x, y1, x, y1 + 5, "#555555", 1));
                b.append("<text class=\"ax\" x=\"").append(f(x)).append("\" y=\"").append(y1 + 18).append("\" text-anchor=\"middle\">")
                        .append(Html.esc(fmt(t))).append("</text>");
            }
            for (int s = 0; s < spec.series().size(); s++) {
                String colour = COLOURS[s % COLOURS.length];
                StringBuilder pts = new StringBuilder();
                StringBuilder dots = new StringBuilder();
                for (double[] p : spec.series().get(s).points()) {
                    double x = x0 + ((log ? Math.log10(p[0]) : p[0]) - xa) / (xb - xa) * (x1 - x0);
                    double y = y1 - ((logY ? Math.log10(p[1]) : p[1]) - ya) / (yb - ya) * (y1 - y0);
                    pts.append(f(x)).append(',').append(f(y)).append(' ');
                    dots.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"4\" fill=\"").append(colour)
                            .append("\"><title>").append(Html.esc(spec.series().get(s).label() + " @ " + fmtFull(p[0]) + ": " + fmtFull(p[1])))
                            .append("</title></circle>");
                }
                b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2.5\" points=\"")
                        .append(pts.toString().trim()).append("\"/>").append(dots);
            }
        }
        b.append("</svg>");
        return b.toString();
    }

    /** Powers of ten covering [lo, hi], both positive. */
    static double[] decades(double lo, double hi) {
        int a = (int) Math.floor(Math.log10(lo));
        int b = (int) Math.ceil(Math.log10(hi));
        double[] t = new double[Math.max(2, b - a + 1)];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.pow(10, a + i);
        }
        return t;
    }

    static boolean isLog(double lo, double hi) {
        return lo > 0 && hi / lo >= 100;
    }

    /** The isolation matrix: levels as columns, anomalies as rows, green where prevented. */
    static String matrix(Csv csv, int levelCol, int anomalyCol, int preventedCol) {
        List<String> levels = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        Map<String, String> cells = new LinkedHashMap<>();
        for (int r = 0; r < csv.rows().size(); r++) {
            String l = csv.cell(r, levelCol);
            String a = csv.cell(r, anomalyCol);
            if (!levels.contains(l)) {
                levels.add(l);
            }
            if (!anomalies.contains(a)) {
                anomalies.add(a);
            }
            cells.put(l + "\u0000" + a, csv.cell(r, preventedCol).toLowerCase(Locale.ROOT));
        }
        int labelW = 130;
        int cw = 150;
        int ch = 28;
        int top = 70;
        int width = Math.max(labelW + cw * levels.size() + 20, labelW + 500);
        int height = top + ch * anomalies.size() + 46;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"pgprop-chart\" data-chart=\"isolation-matrix\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"isolation matrix\">");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
        b.append("<text x=\"16\" y=\"24\" class=\"tt\">Anomaly prevented at each isolation level</text>");
        for (int i = 0; i < levels.size(); i++) {
            b.append("<text class=\"al\" x=\"").append(labelW + i * cw + cw / 2).append("\" y=\"").append(top - 10)
                    .append("\" text-anchor=\"middle\">").append(Html.esc(shorten(levels.get(i), 22))).append("</text>");
        }
        for (int j = 0; j < anomalies.size(); j++) {
            int y = top + j * ch;
            b.append("<text class=\"al\" x=\"").append(labelW - 10).append("\" y=\"").append(y + 19).append("\" text-anchor=\"end\">")
                    .append(Html.esc(shorten(anomalies.get(j), 18))).append("</text>");
            for (int i = 0; i < levels.size(); i++) {
                String v = cells.getOrDefault(levels.get(i) + "\u0000" + anomalies.get(j), "");
                String fill;
                String text;
                if (v.equals("true")) {
                    fill = "#2e8b57";
                    text = "prevented";
                } else if (v.equals("false")) {
                    fill = "#d9534f";
                    text = "occurs";
                } else {
                    fill = "#9e9e9e";
                    text = v.isEmpty() ? "not run" : v;
                }
                int x = labelW + i * cw;
                b.append("<rect class=\"cell\" data-level=\"").append(Html.esc(levels.get(i))).append("\" data-anomaly=\"")
                        .append(Html.esc(anomalies.get(j))).append("\" x=\"").append(x + 1).append("\" y=\"").append(y + 1)
                        .append("\" width=\"").append(cw - 2).append("\" height=\"").append(ch - 2).append("\" fill=\"").append(fill)
                        .append("\"><title>").append(Html.esc(anomalies.get(j) + " at " + levels.get(i) + ": " + text)).append("</title></rect>");
                b.append("<text class=\"cv\" x=\"").append(x + cw / 2).append("\" y=\"").append(y + 19).append("\" text-anchor=\"middle\">")
                        .append(Html.esc(shorten(text, 20))).append("</text>");
            }
        }
        int ly = top + ch * anomalies.size() + 26;
        b.append("<rect x=\"").append(labelW).append("\" y=\"").append(ly - 11).append("\" width=\"14\" height=\"14\" fill=\"#2e8b57\"/>");
        b.append("<text class=\"lg\" x=\"").append(labelW + 20).append("\" y=\"").append(ly).append("\">prevented: the anomaly cannot happen</text>");
        b.append("<rect x=\"").append(labelW + 280).append("\" y=\"").append(ly - 11).append("\" width=\"14\" height=\"14\" fill=\"#d9534f\"/>");
        b.append("<text class=\"lg\" x=\"").append(labelW + 300).append("\" y=\"").append(ly).append("\">occurs: observed at this level</text>");
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

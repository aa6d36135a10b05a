package dev.pgprop.properties.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.concurrency.Anomaly.Verdict;
import dev.pgprop.dsl.concurrency.Anomaly;
import dev.pgprop.dsl.report.Figure;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The level x anomaly matrix, each cell decided by running the anomaly's scenario at that level
 * and judging what was observed. Written as {@code report/isolation-matrix.csv} (header {@code
 * level,anomaly,prevented}) and printed as a table.
 */
public final class IsolationMatrix {
    private final Map<Level, Map<Anomaly, Verdict>> cells = new EnumMap<>(Level.class);

    /** Runs one anomaly's scenario with every session at {@code level} and judges the outcome. */
    public static Verdict observe(Db db, Anomaly anomaly, Level level) {
        return observe(db, anomaly, anomaly.scenario().withLevel(level.jdbi()));
    }

    /** Runs one anomaly's scenario as given (sessions at their own levels) and judges the outcome. */
    public static Verdict observe(Db db, Anomaly anomaly, Interleaving scenario) {
        return anomaly.observe(db, scenario);
    }

    public synchronized void put(Level level, Anomaly anomaly, Verdict verdict) {
        Verdict before = cells.computeIfAbsent(level, l -> new EnumMap<>(Anomaly.class)).put(anomaly, verdict);
        if (before != null) {
            throw new IllegalStateException("cell " + level.label() + " x " + anomaly.label() + " was decided twice");
        }
    }

    public synchronized boolean complete() {
        return cells.size() == Level.values().length
                && cells.values().stream().allMatch(m -> m.size() == Anomaly.values().length);
    }

    public synchronized Verdict verdict(Level level, Anomaly anomaly) {
        return Objects.requireNonNull(cells.getOrDefault(level, Map.of()).get(anomaly),
                () -> "cell " + level.label() + " x " + anomaly.label() + " was not run");
    }

    public synchronized boolean prevented(Level level, Anomaly anomaly) {
        return verdict(level, anomaly).prevented();
    }

    /** {@code level,anomaly,prevented} and one line per cell, levels then anomalies in catalogue order. */
    public synchronized String csv() {
        StringBuilder b = new StringBuilder("level,anomaly,prevented\n");
        for (Level l : Level.values()) {
            for (Anomaly a : Anomaly.values()) {
                b.append(l.label()).append(',').append(a.label()).append(',').append(prevented(l, a)).append('\n');
            }
        }
        return b.toString();
    }

    /** The report's figure: one cell per level and anomaly, green where prevented. */
    static final Figure FIGURE = Figure.of("isolation-matrix", "isolation", "Isolation matrix")
            .withNote("Each cell ran the anomaly's scenario with every session at that level.")
            .withChart(Figure.Chart.matrix("cells", "level", "anomaly", "prevented")
                    .withTitle("Anomaly prevented at each isolation level").withCellLabels("prevented", "occurs"));

    /** Writes {@code <outputDir>/report/isolation-matrix.csv} and its figure spec, and returns the CSV's path. */
    public Path write() {
        return FIGURE.write(Path.of(System.getProperty("pgprop.outputDir", "target/pgprop")), csv());
    }

    /** The matrix as a table, one anomaly per line, with the evidence of every anomaly that occurred. */
    public synchronized String table() {
        StringBuilder b = new StringBuilder(String.format("  %-9s %-30s", "anomaly", ""));
        for (Level l : Level.values()) {
            b.append(String.format(" %-16s", l.label()));
        }
        b.append('\n');
        for (Anomaly a : Anomaly.values()) {
            b.append(String.format("  %-9s %-30s", a.label(), a.description()));
            for (Level l : Level.values()) {
                b.append(String.format(" %-16s", prevented(l, a) ? "prevented" : "NOT prevented"));
            }
            b.append('\n');
        }
        b.append("  observed where not prevented:\n");
        for (Level l : Level.values()) {
            for (Anomaly a : Anomaly.values()) {
                Verdict v = verdict(l, a);
                if (v.occurred()) {
                    b.append("    ").append(a.label()).append(" at ").append(l.label()).append(": ").append(v.evidence()).append('\n');
                }
            }
        }
        return b.toString();
    }

    @Override
    public synchronized boolean equals(Object o) {
        if (!(o instanceof IsolationMatrix m)) {
            return false;
        }
        return csv().equals(m.csv());
    }

    @Override
    public int hashCode() {
        return csv().hashCode();
    }

    @Override
    public String toString() {
        return csv();
    }
}

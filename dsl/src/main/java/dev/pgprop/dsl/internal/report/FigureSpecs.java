package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.report.Figure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The figure specs ({@code <name>.figure.json}) under {@code report/} and {@code bench/}, as the report reads them. */
final class FigureSpecs {
    static final String SUFFIX = ".figure.json";

    private FigureSpecs() {}

    /** A spec read from {@code specFile}; {@code error} says why it could not be, with {@code figure} null. */
    record Declared(Path specFile, Path csvFile, @Nullable Figure figure, Instant written, boolean bench, String error) {}

    static List<Declared> read(Path dir, boolean bench) {
        List<Declared> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            return out;
        }
        for (Path f : files) {
            String stem = f.getFileName().toString();
            stem = stem.substring(0, stem.length() - SUFFIX.length());
            Path csv = dir.resolve(stem + ".csv");
            Instant written = modified(f);
            try {
                Object parsed = JsonReader.parse(Files.readString(f, StandardCharsets.UTF_8));
                if (!(parsed instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                Figure fig = Figure.of(stem, str(m, "section"), str(m, "sectionTitle"));
                if (!str(m, "note").isEmpty()) {
                    fig = fig.withNote(str(m, "note"));
                }
                if (m.get("parameters") instanceof List<?> p && !p.isEmpty()) {
                    fig = fig.withParameters(p.stream().map(String::valueOf).toArray(String[]::new));
                }
                if (m.get("charts") instanceof List<?> cs) {
                    for (Object c : cs) {
                        if (c instanceof Map<?, ?> cm) {
                            fig = fig.withChart(Figure.Chart.fromMap(cm));
                        }
                    }
                }
                if (bench || "bench".equals(m.get("run"))) {
                    fig = fig.withBench();
                }
                try {
                    written = Instant.parse(str(m, "written"));
                } catch (DateTimeParseException e) {
                    // the file's time
                }
                out.add(new Declared(f, csv, fig, written, fig.bench(), ""));
            } catch (IOException | RuntimeException e) {
                out.add(new Declared(f, csv, null, written, bench, String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }
}

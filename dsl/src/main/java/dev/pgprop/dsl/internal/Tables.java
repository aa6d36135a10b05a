package dev.pgprop.dsl.internal;

import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Rows as an aligned text table, for messages and reports. */
public final class Tables {
    private static final int MAX_CELL = 60;

    private Tables() {}

    public static String format(List<Row> rows, int max, String indent) {
        Set<String> cols = new LinkedHashSet<>();
        for (Row r : rows) {
            cols.addAll(r.columns());
        }
        List<String> header = new ArrayList<>(cols);
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows.subList(0, Math.min(max, rows.size()))) {
            List<String> line = new ArrayList<>();
            for (String c : header) {
                line.add(r.has(c) ? cell(r.get(c)) : "");
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
            for (List<String> line : cells) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        appendLine(b, indent, header, width);
        b.append(indent);
        for (int i = 0; i < width.length; i++) {
            b.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        b.append('\n');
        for (List<String> line : cells) {
            appendLine(b, indent, line, width);
        }
        if (rows.size() > max) {
            b.append(indent).append("... ").append(rows.size() - max).append(" more rows\n");
        }
        return b.toString().stripTrailing();
    }

    private static void appendLine(StringBuilder b, String indent, List<String> cells, int[] width) {
        b.append(indent);
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, width[i]) + "s", cells.get(i)));
        }
        b.append('\n');
    }

    private static String cell(Object v) {
        String s = v == null ? "NULL" : v instanceof float[] f ? SqlLiterals.vectorText(f) : v.toString();
        s = s.replace("\n", "\\n");
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
    }
}

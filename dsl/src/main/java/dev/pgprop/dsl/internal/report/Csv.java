package dev.pgprop.dsl.internal.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** A CSV file with a header line (RFC 4180 quoting), as the report reads it. */
public record Csv(String name, List<String> header, List<List<String>> rows) {

    public static Csv read(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String stem = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        return parse(stem, Files.readString(file, StandardCharsets.UTF_8));
    }

    public static Csv parse(String name, String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                cur.add(cell.toString().trim());
                cell.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || cell.length() > 0) {
                    cur.add(cell.toString().trim());
                    lines.add(cur);
                }
                cur = new ArrayList<>();
                cell.setLength(0);
                any = false;
            } else {
                cell.append(c);
                any = true;
            }
        }
        if (any || cell.length() > 0) {
            cur.add(cell.toString().trim());
            lines.add(cur);
        }
        if (lines.isEmpty()) {
            return new Csv(name, List.of(), List.of());
        }
        List<String> header = List.copyOf(lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (List<String> l : lines.subList(1, lines.size())) {
            List<String> r = new ArrayList<>(l);
            while (r.size() < header.size()) {
                r.add("");
            }
            rows.add(List.copyOf(r));
        }
        return new Csv(name, header, List.copyOf(rows));
    }

    public String cell(int row, int column) {
        List<String> r = rows.get(row);
        return column < r.size() ? r.get(column) : "";
    }

    /** The column's index by name (case-insensitive), or -1. */
    public int column(String columnName) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** A number when the cell holds a finite one. */
    public static OptionalDouble number(String cell) {
        String s = cell.trim();
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+' || s.charAt(0) == '.')) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** Every non-empty cell of the column is a number, and there is at least one. */
    public boolean numeric(int column) {
        boolean seen = false;
        for (int r = 0; r < rows.size(); r++) {
            String c = cell(r, column);
            if (c.isEmpty()) {
                continue;
            }
            if (number(c).isEmpty()) {
                return false;
            }
            seen = true;
        }
        return seen;
    }
}

package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.concurrency.IsolationRun;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A result set as the isolation tester prints it (libpq's PQprint: header, aligned, '|' between
 * columns): a column whose every non-empty value looks numeric is right-aligned, header included;
 * widths count bytes; empty and null values print as blanks; then "(N rows)" and a blank line.
 */
public final class ResultTable {
    private ResultTable() {}

    public static IsolationRun.Table read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
        }
        List<List<@Nullable String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<@Nullable String> row = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return new IsolationRun.Table(columns, rows);
    }

    public static String format(IsolationRun.Table t) {
        int n = t.columns().size();
        if (n == 0) {
            return "";
        }
        int[] width = new int[n];
        boolean[] notNum = new boolean[n];
        for (int j = 0; j < n; j++) {
            width[j] = bytes(t.columns().get(j));
        }
        for (List<@Nullable String> row : t.rows()) {
            for (int j = 0; j < n; j++) {
                String v = row.get(j);
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (!notNum[j] && !numeric(v)) {
                    notNum[j] = true;
                }
                width[j] = Math.max(width[j], bytes(v));
            }
        }
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < n; j++) {
            pad(b, t.columns().get(j), width[j], !notNum[j]);
            if (j + 1 < n) {
                b.append('|');
            }
        }
        b.append('\n');
        for (int j = 0; j < n; j++) {
            char[] dashes = new char[width[j]];
            Arrays.fill(dashes, '-');
            b.append(dashes);
            if (j + 1 < n) {
                b.append('+');
            }
        }
        b.append('\n');
        for (List<@Nullable String> row : t.rows()) {
            for (int j = 0; j < n; j++) {
                String v = row.get(j);
                pad(b, v == null ? "" : v, width[j], !notNum[j]);
                if (j + 1 < n) {
                    b.append('|');
                }
            }
            b.append('\n');
        }
        int count = t.rows().size();
        b.append('(').append(count).append(count == 1 ? " row)" : " rows)").append("\n\n");
        return b.toString();
    }

    /** PQprint's test: digits, '.', 'e', 'E', ' ', '-' only, not starting with e/E, ending in a digit. */
    private static boolean numeric(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'E' || c == 'e' || c == ' ' || c == '-')) {
                return false;
            }
        }
        char first = v.charAt(0);
        char last = v.charAt(v.length() - 1);
        return first != 'e' && first != 'E' && last >= '0' && last <= '9';
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void pad(StringBuilder b, String s, int width, boolean right) {
        int fill = Math.max(0, width - bytes(s));
        if (right) {
            b.append(" ".repeat(fill)).append(s);
        } else {
            b.append(s).append(" ".repeat(fill));
        }
    }
}

package dev.pgprop.generators.internal.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text surgery on CHECK expressions as {@code pg_get_expr} prints them. */
final class Expr {
    private Expr() {}

    /** A comparison of something with a number: {@code quantity >= 1}, {@code rate >= (0)::numeric}. */
    record Bound(int opStart, int opEnd, String op, int numStart, int numEnd, String number, String lhs) {}

    /** A comparison operator between two operands (not {@code = ANY}). */
    record Op(int start, int end, String op) {}

    /** An {@code ARRAY[…]} literal: the positions of its elements. */
    record ArrayList_(int open, int close, List<int[]> elements) {}

    private static final Pattern OP = Pattern.compile(" (>=|<=|<>|>|<|=) ");
    private static final Pattern NUMBER = Pattern.compile("\\(?'?(-?\\d+(?:\\.\\d+)?)'?\\)?(?:::[a-z_]+(?: [a-z_]+)*)?");

    static List<Op> ops(String e) {
        List<Op> out = new ArrayList<>();
        Matcher m = OP.matcher(e);
        boolean[] quoted = quoted(e);
        while (m.find()) {
            if (quoted[m.start()]) {
                continue;
            }
            String rest = e.substring(m.end());
            if (rest.startsWith("ANY ") || rest.startsWith("ALL ") || rest.startsWith("ANY(") || rest.startsWith("ALL(")) {
                continue;
            }
            out.add(new Op(m.start(1), m.end(1), m.group(1)));
        }
        return out;
    }

    static List<Bound> bounds(String e) {
        List<Bound> out = new ArrayList<>();
        for (Op op : ops(e)) {
            Matcher n = NUMBER.matcher(e);
            n.region(op.end() + 1, e.length());
            if (!n.lookingAt()) {
                continue;
            }
            int end = n.end();
            if (end < e.length() && e.charAt(end) != ')' && e.charAt(end) != ' ') {
                continue;
            }
            out.add(new Bound(op.start(), op.end(), op.op(), n.start(1), n.end(1), n.group(1), lhs(e, op.start() - 1)));
        }
        return out;
    }

    /** The operand left of position {@code end} (exclusive), as far as its opening parenthesis. */
    static String lhs(String e, int end) {
        int depth = 0;
        int i = end - 1;
        for (; i >= 0; i--) {
            char ch = e.charAt(i);
            if (ch == ')') {
                depth++;
            } else if (ch == '(') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
        }
        return e.substring(i + 1, end).trim();
    }

    /** A plain column name in an operand ({@code quantity}, {@code (status)::text}); null otherwise. */
    static String column(String operand) {
        Matcher m = Pattern.compile("^\\(?([a-z_][a-z0-9_]*)\\)?(?:::[a-z_ ]+)?$").matcher(operand);
        return m.matches() ? m.group(1) : null;
    }

    static List<ArrayList_> arrays(String e) {
        List<ArrayList_> out = new ArrayList<>();
        boolean[] quoted = quoted(e);
        int from = 0;
        while (true) {
            int open = e.indexOf("ARRAY[", from);
            if (open < 0) {
                return out;
            }
            if (quoted[open]) {
                from = open + 6;
                continue;
            }
            int start = open + 6;
            int depth = 0;
            List<int[]> elements = new ArrayList<>();
            int elStart = start;
            int i = start;
            for (; i < e.length(); i++) {
                char ch = e.charAt(i);
                if (quoted[i]) {
                    continue;
                }
                if (ch == '(' || ch == '[') {
                    depth++;
                } else if ((ch == ')' || ch == ']') && depth > 0) {
                    depth--;
                } else if (ch == ']') {
                    break;
                } else if (ch == ',' && depth == 0) {
                    elements.add(new int[] {elStart, i});
                    elStart = i + 1;
                }
            }
            elements.add(new int[] {elStart, i});
            out.add(new ArrayList_(open, i, elements));
            from = i;
        }
    }

    /** The top-level AND (or else OR) operands of an expression; one element when it has none. */
    static List<String> parts(String e) {
        String inner = unwrap(e);
        for (String sep : List.of(" AND ", " OR ")) {
            List<String> parts = split(inner, sep);
            if (parts.size() > 1) {
                return parts;
            }
        }
        return List.of(inner);
    }

    /** The separator {@link #parts} split on: " AND ", " OR " or "" when none. */
    static String separator(String e) {
        String inner = unwrap(e);
        for (String sep : List.of(" AND ", " OR ")) {
            if (split(inner, sep).size() > 1) {
                return sep;
            }
        }
        return "";
    }

    static String unwrap(String e) {
        String s = e.trim();
        while (s.startsWith("(") && s.endsWith(")") && matching(s, 0) == s.length() - 1) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    static List<String> split(String e, String sep) {
        List<String> out = new ArrayList<>();
        boolean[] quoted = quoted(e);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < e.length(); i++) {
            if (quoted[i]) {
                continue;
            }
            char ch = e.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (depth == 0 && e.startsWith(sep, i)) {
                out.add(e.substring(start, i).trim());
                start = i + sep.length();
                i += sep.length() - 1;
            }
        }
        out.add(e.substring(start).trim());
        return out;
    }

    /** Normalised for comparison: no parentheses, casts to text, or extra spaces. */
    static String normal(String e) {
        return e.replaceAll("::[a-z_ ]+(\\[\\])?", "").replaceAll("[()\\s]+", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static int matching(String s, int open) {
        boolean[] quoted = quoted(s);
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (quoted[i]) {
                continue;
            }
            if (s.charAt(i) == '(') {
                depth++;
            } else if (s.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Which characters lie inside a single-quoted literal (the quotes included). */
    static boolean[] quoted(String e) {
        boolean[] q = new boolean[e.length() + 1];
        boolean in = false;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '\'') {
                q[i] = true;
                in = !in;
                continue;
            }
            q[i] = in;
        }
        return q;
    }
}

package dev.pgprop.dsl.internal;

/**
 * The one escaper per target language: SQL string literals and identifiers, JSON strings, HTML
 * text (COPY text fields: {@link CopyStream}). Every other class calls these.
 */
public final class Escape {
    private Escape() {}

    /**
     * A SQL string literal: {@code 'it''s'}, or an {@code E'...'} literal when the text has
     * backslashes or control characters.
     */
    public static String sqlString(String s) {
        boolean plain = true;
        boolean quotes = false;
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c != '\\' && c >= 0x20;
            quotes |= c == '\'';
        }
        if (plain) {
            return "'" + (quotes ? s.replace("'", "''") : s) + "'";
        }
        StringBuilder b = new StringBuilder("E'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> b.append("''");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('\'').toString();
    }

    /** A quoted SQL identifier: {@code "Order ""Items"""}. */
    public static String sqlIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A JSON string, quotes included. */
    public static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        json(b, s);
        return b.toString();
    }

    /** Appends a JSON string, quotes included. */
    public static void json(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** HTML text or an attribute value; control characters (other than line breaks and tabs) become U+FFFD. */
    public static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        b.append('\uFFFD'); // control characters are not allowed in HTML text
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}

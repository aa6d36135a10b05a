package dev.pgprop.generators.internal.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A CHECK expression as {@code pg_get_expr} prints it, parsed into the shapes pgprop understands:
 * comparisons of columns and literals, BETWEEN (printed as two comparisons), IN lists and {@code =
 * ANY (ARRAY[…])}, {@code length}/{@code char_length} of a column, regular expressions, IS [NOT]
 * NULL, AND, OR, NOT. Anything else does not parse ({@link #parse} is empty) and is left to the
 * server.
 */
sealed interface Expr {
    record And(List<Expr> parts) implements Expr {}

    record Or(List<Expr> parts) implements Expr {}

    record Not(Expr inner) implements Expr {}

    record IsNull(Term term, boolean negated) implements Expr {}

    /** {@code left op right} with op one of = <> < <= > >=. */
    record Compare(Term left, String op, Term right) implements Expr {}

    /** {@code term = ANY (ARRAY[…])} (negated: {@code <> ALL}). */
    record In(Term term, List<Term.Literal> values, boolean negated) implements Expr {}

    /** {@code term ~ 'pattern'}: ~ ~* !~ !~*. */
    record Regex(Term term, String pattern, boolean caseInsensitive, boolean negated) implements Expr {}

    /** A boolean column or literal on its own. */
    record Bool(Term term) implements Expr {}

    sealed interface Term {
        record Column(String name) implements Term {}

        /** A literal: its text (unquoted) and the type it was cast to, if any; {@code null} text is NULL. */
        record Literal(@Nullable String text, @Nullable String type, boolean quoted) implements Term {}

        /** {@code length(col)}, {@code char_length(col)}, {@code octet_length(col)}. */
        record Length(Column column) implements Term {}
    }

    static Optional<Expr> parse(String text) {
        try {
            Parser p = new Parser(tokens(text));
            Expr e = p.or();
            return p.done() ? Optional.of(e) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The columns an expression names. */
    static List<String> columns(Expr e) {
        List<String> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<String> out) {
        if (e instanceof And a) {
            a.parts().forEach(x -> collect(x, out));
        } else if (e instanceof Or o) {
            o.parts().forEach(x -> collect(x, out));
        } else if (e instanceof Not n) {
            collect(n.inner(), out);
        } else if (e instanceof IsNull n) {
            term(n.term(), out);
        } else if (e instanceof Compare c) {
            term(c.left(), out);
            term(c.right(), out);
        } else if (e instanceof In i) {
            term(i.term(), out);
        } else if (e instanceof Regex r) {
            term(r.term(), out);
        } else if (e instanceof Bool b) {
            term(b.term(), out);
        }
    }

    private static void term(Term t, List<String> out) {
        if (t instanceof Term.Column c && !out.contains(c.name())) {
            out.add(c.name());
        } else if (t instanceof Term.Length l && !out.contains(l.column().name())) {
            out.add(l.column().name());
        }
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (true) {
                    char d = s.charAt(i);
                    if (d == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        b.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        b.append(d);
                        i++;
                    }
                }
                out.add(b.toString());
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                out.add("\"" + s.substring(i + 1, end));
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))
                    && (out.isEmpty() || isOperatorOrOpen(out.get(out.size() - 1))))) {
                int j = i + 1;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == 'e'
                        || s.charAt(j) == 'E')) {
                    j++;
                }
                out.add("#" + s.substring(i, j));
                i = j;
            } else if (s.startsWith("::", i)) {
                out.add("::");
                i += 2;
            } else {
                String[] ops = {"<>", "<=", ">=", "!=", "!~*", "!~", "~*", "=", "<", ">", "~", "(", ")", "[", "]", ",", "+",
                    "-", "*", "/", "||", "%", "&&", "@>", "<@"};
                String hit = null;
                for (String op : ops) {
                    if (s.startsWith(op, i) && (hit == null || op.length() > hit.length())) {
                        hit = op;
                    }
                }
                if (hit == null) {
                    throw new IllegalArgumentException("unexpected " + c);
                }
                out.add(hit);
                i += hit.length();
            }
        }
        return out;
    }

    private static boolean isOperatorOrOpen(String t) {
        return t.equals("(") || t.equals(",") || t.equals("[") || t.matches("[<>=!~]+");
    }

    /** Recursive descent over the tokens; throws IllegalArgumentException on anything unknown. */
    final class Parser {
        private final List<String> t;
        private int i;

        Parser(List<String> tokens) {
            this.t = tokens;
        }

        boolean done() {
            return i == t.size();
        }

        private String peek() {
            return peekAt(0);
        }

        private String peekAt(int ahead) {
            return i + ahead < t.size() ? t.get(i + ahead) : "";
        }

        private boolean accept(String s) {
            if (peek().equalsIgnoreCase(s)) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(String s) {
            if (!accept(s)) {
                throw new IllegalArgumentException("expected " + s + " at " + peek());
            }
        }

        Expr or() {
            List<Expr> parts = new ArrayList<>(List.of(and()));
            while (accept("OR")) {
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new Or(parts);
        }

        Expr and() {
            List<Expr> parts = new ArrayList<>(List.of(not()));
            while (accept("AND")) {
                parts.add(not());
            }
            return parts.size() == 1 ? parts.get(0) : new And(parts);
        }

        Expr not() {
            if (accept("NOT")) {
                return new Not(not());
            }
            return predicate();
        }

        Expr predicate() {
            if (peek().equals("(")) {
                // a parenthesised boolean expression, or a parenthesised term followed by an operator
                int save = i;
                i++;
                try {
                    Expr inner = or();
                    expect(")");
                    String next = peek();
                    if (!isComparison(next) && !next.equalsIgnoreCase("IS") && !next.equals("::") && !next.contains("~")) {
                        return inner;
                    }
                } catch (IllegalArgumentException e) {
                    // not a boolean: a term
                }
                i = save;
            }
            Term left = term();
            String op = peek();
            if (accept("IS")) {
                boolean negated = accept("NOT");
                expect("NULL");
                return new IsNull(left, negated);
            }
            if (op.equals("~") || op.equals("~*") || op.equals("!~") || op.equals("!~*")) {
                i++;
                Term right = term();
                if (!(right instanceof Term.Literal lit) || lit.text() == null) {
                    throw new IllegalArgumentException("regex needs a literal");
                }
                return new Regex(left, lit.text(), op.contains("*"), op.startsWith("!"));
            }
            if (isComparison(op)) {
                i++;
                if (accept("ANY") || peek().equalsIgnoreCase("ALL")) {
                    boolean all = t.get(i - 1).equalsIgnoreCase("ALL") || accept("ALL");
                    if (op.equals("=") == all || !(op.equals("=") || op.equals("<>"))) {
                        throw new IllegalArgumentException("only = ANY and <> ALL");
                    }
                    expect("(");
                    List<Term.Literal> values = array();
                    expect(")");
                    skipCast();
                    return new In(left, values, all);
                }
                Term right = term();
                return new Compare(left, op.equals("!=") ? "<>" : op, right);
            }
            return new Bool(left);
        }

        private List<Term.Literal> array() {
            boolean paren = accept("(");
            expect("ARRAY");
            expect("[");
            List<Term.Literal> values = new ArrayList<>();
            do {
                Term v = term();
                if (!(v instanceof Term.Literal lit)) {
                    throw new IllegalArgumentException("array of literals only");
                }
                values.add(lit);
            } while (accept(","));
            expect("]");
            if (paren) {
                expect(")");
            }
            skipCast();
            return values;
        }

        private boolean isComparison(String op) {
            return op.equals("=") || op.equals("<>") || op.equals("!=") || op.equals("<") || op.equals("<=")
                    || op.equals(">") || op.equals(">=");
        }

        private @Nullable String skipCast() {
            String type = null;
            while (accept("::")) {
                StringBuilder b = new StringBuilder(t.get(i++));
                while (peek().matches("[A-Za-z_]+") && !peek().equalsIgnoreCase("AND") && !peek().equalsIgnoreCase("OR")
                        && !peek().equalsIgnoreCase("IS") && !peek().equalsIgnoreCase("NOT")) {
                    b.append(' ').append(t.get(i++)); // double precision, character varying, time zone …
                }
                if (accept("(")) { // a type modifier
                    while (!accept(")")) {
                        i++;
                    }
                }
                if (accept("[")) {
                    expect("]");
                    b.append("[]");
                }
                type = b.toString().replace("\"", "");
            }
            return type;
        }

        Term term() {
            String tok = peek();
            Term out;
            if (accept("(")) {
                out = term();
                expect(")");
            } else if (tok.startsWith("'")) {
                i++;
                out = new Term.Literal(tok.substring(1), null, true);
            } else if (tok.startsWith("#")) {
                i++;
                out = new Term.Literal(tok.substring(1), null, false);
            } else if (tok.equalsIgnoreCase("NULL")) {
                i++;
                out = new Term.Literal(null, null, false);
            } else if (tok.equalsIgnoreCase("true") || tok.equalsIgnoreCase("false")) {
                i++;
                out = new Term.Literal(tok.toLowerCase(java.util.Locale.ROOT), "boolean", false);
            } else if ((tok.equalsIgnoreCase("length") || tok.equalsIgnoreCase("char_length")
                    || tok.equalsIgnoreCase("character_length")) && peekAt(1).equals("(")) { // else a column of that name
                i++;
                expect("(");
                Term inner = term();
                expect(")");
                if (!(inner instanceof Term.Column c)) {
                    throw new IllegalArgumentException("length of a column only");
                }
                out = new Term.Length(c);
            } else if (tok.startsWith("\"") || tok.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
                if (isKeyword(tok)) {
                    throw new IllegalArgumentException("keyword " + tok);
                }
                i++;
                if (peek().equals("(") || peek().equals(".")) {
                    throw new IllegalArgumentException("function call " + tok);
                }
                out = new Term.Column(tok.startsWith("\"") ? tok.substring(1) : tok);
            } else {
                throw new IllegalArgumentException("unexpected " + tok);
            }
            String cast = skipCast();
            if (cast != null && out instanceof Term.Literal lit) {
                out = new Term.Literal(lit.text(), cast, lit.quoted());
            }
            if (peek().equals("+") || peek().equals("-") || peek().equals("*") || peek().equals("/") || peek().equals("||")) {
                throw new IllegalArgumentException("arithmetic");
            }
            return out;
        }

        private boolean isKeyword(String tok) {
            return List.of("AND", "OR", "NOT", "IS", "ANY", "ALL", "ARRAY", "CASE", "WHEN", "IN", "LIKE", "BETWEEN")
                    .contains(tok.toUpperCase(java.util.Locale.ROOT));
        }
    }
}

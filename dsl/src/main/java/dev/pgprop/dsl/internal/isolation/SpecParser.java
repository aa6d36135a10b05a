package dev.pgprop.dsl.internal.isolation;

import dev.pgprop.dsl.concurrency.IsolationSpec;
import dev.pgprop.dsl.concurrency.IsolationSpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the isolationtester spec format: {@code setup} blocks (several), one {@code teardown},
 * {@code session} blocks (own setup, steps, own teardown), {@code permutation} lines whose steps
 * may carry blockers ({@code s1a(s2b)}, {@code s1a(*)}, {@code s1a(s2 notices 1)}); names bare or
 * double-quoted ({@code ""} is a quote); {@code #} comments; SQL between braces, leading and
 * trailing blanks (not newlines) trimmed, ending at the first closing brace, as the tester does.
 */
public final class SpecParser {
    private enum Kind { WORD, STRING, SQL, INT, LPAREN, RPAREN, COMMA, STAR, EOF }

    private record Token(Kind kind, String text, int line) {
        String describe() {
            return switch (kind) {
                case EOF -> "the end of the file";
                case SQL -> "a SQL block";
                case STRING -> "\"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private static final List<String> KEYWORDS = List.of("permutation", "session", "setup", "step", "teardown");

    private final String source;
    private final List<Token> tokens;
    private int pos;

    private SpecParser(String source, String text) {
        this.source = source;
        this.tokens = scan(source, text);
    }

    /** Parses a whole spec; {@code source} names it in errors. */
    public static IsolationSpec parse(String source, String text) {
        return new SpecParser(source, text).spec();
    }

    /** Parses one permutation line's steps ({@code "s1a s2b(s1a) s1c(*)"}) against a spec. */
    public static IsolationSpec.Permutation permutation(IsolationSpec spec, String line) {
        SpecParser p = new SpecParser(spec.name(), line);
        List<IsolationSpec.PermutationStep> steps = p.permutationSteps();
        if (p.peek().kind() != Kind.EOF) {
            throw p.error(p.peek(), "expected a step name, found " + p.peek().describe());
        }
        if (steps.isEmpty()) {
            throw new IsolationSpecException(spec.name(), 0, "a permutation needs at least one step");
        }
        IsolationSpec.Permutation perm = new IsolationSpec.Permutation(steps);
        check(spec.name(), spec.sessions(), perm, 0);
        return perm;
    }

    private static List<Token> scan(String source, String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    i++;
                }
            } else if (c == '"') {
                int start = line;
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IsolationSpecException(source, start, "unterminated quoted name: add the closing \"");
                    }
                    char d = text.charAt(i);
                    if (d == '\n') {
                        throw new IsolationSpecException(source, line, "newline in a quoted name: close the \" on the same line");
                    }
                    if (d == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            b.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(d);
                    i++;
                }
                out.add(new Token(Kind.STRING, b.toString(), start));
            } else if (c == '{') {
                int start = line;
                i++;
                while (i < n && isBlank(text.charAt(i))) {
                    i++;
                }
                int from = i;
                while (i < n && text.charAt(i) != '}') {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                    i++;
                }
                if (i >= n) {
                    throw new IsolationSpecException(source, line, "unterminated SQL block opened at line " + start
                            + ": add the closing }");
                }
                int to = i;
                while (to > from && isBlank(text.charAt(to - 1))) {
                    to--;
                }
                out.add(new Token(Kind.SQL, text.substring(from, to), start));
                i++;
            } else if (Character.isLetter(c) || c == '_' || c >= 0x80) {
                int from = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) >= 0x80)) {
                    i++;
                }
                out.add(new Token(Kind.WORD, text.substring(from, i), line));
            } else if (c >= '0' && c <= '9') {
                int from = i;
                while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                out.add(new Token(Kind.INT, text.substring(from, i), line));
            } else if (c == '(' || c == ')' || c == ',' || c == '*') {
                out.add(new Token(c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : c == ',' ? Kind.COMMA : Kind.STAR,
                        String.valueOf(c), line));
                i++;
            } else {
                throw new IsolationSpecException(source, line, "unexpected character '" + c + "' (SQL goes between { and },"
                        + " names are bare words or \"quoted\")");
            }
        }
        out.add(new Token(Kind.EOF, "", line));
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f';
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean atKeyword(String k) {
        Token t = peek();
        return t.kind() == Kind.WORD && t.text().equals(k);
    }

    private IsolationSpecException error(Token t, String reason) {
        return new IsolationSpecException(source, t.line(), reason);
    }

    private Token name(String what) {
        Token t = next();
        if (t.kind() == Kind.STRING || (t.kind() == Kind.WORD && !KEYWORDS.contains(t.text()))) {
            return t;
        }
        throw error(t, "expected " + what + " (a bare word or a \"quoted\" name), found " + t.describe());
    }

    private String sql(String what) {
        Token t = next();
        if (t.kind() != Kind.SQL) {
            throw error(t, "expected the SQL block of " + what + " ({ ... }), found " + t.describe());
        }
        return t.text();
    }

    private IsolationSpec spec() {
        List<String> setups = new ArrayList<>();
        while (atKeyword("setup")) {
            next();
            setups.add(sql("setup"));
        }
        String teardown = null;
        if (atKeyword("teardown")) {
            next();
            teardown = sql("teardown");
        }
        List<IsolationSpec.Session> sessions = new ArrayList<>();
        Map<String, Integer> stepLines = new HashMap<>();
        while (atKeyword("session")) {
            Token kw = next();
            Token nameTok = name("a session name");
            String name = nameTok.text();
            for (IsolationSpec.Session s : sessions) {
                if (s.name().equals(name)) {
                    throw error(nameTok, "session \"" + name + "\" is declared twice");
                }
            }
            String setup = null;
            if (atKeyword("setup")) {
                next();
                setup = sql("the setup of session " + name);
            }
            List<IsolationSpec.Step> steps = new ArrayList<>();
            while (atKeyword("step")) {
                next();
                Token st = name("a step name");
                Integer before = stepLines.putIfAbsent(st.text(), st.line());
                if (before != null) {
                    throw error(st, "step \"" + st.text() + "\" is declared twice (first at line " + before
                            + "); step names are unique across the spec");
                }
                steps.add(new IsolationSpec.Step(st.text(), name, sql("step " + st.text()), st.line()));
            }
            if (steps.isEmpty()) {
                throw error(peek(), "session \"" + name + "\" (line " + kw.line() + ") has no step: add step name { SQL }"
                        + (atKeyword("setup") ? "; a session has one setup block, before its steps" : ""));
            }
            String sTeardown = null;
            if (atKeyword("teardown")) {
                next();
                sTeardown = sql("the teardown of session " + name);
            }
            sessions.add(new IsolationSpec.Session(name, setup, sTeardown, steps));
        }
        if (sessions.isEmpty()) {
            Token t = peek();
            throw error(t, atKeyword("setup") && teardown != null ? "setup blocks come before the teardown block"
                    : atKeyword("teardown") ? "a spec has one teardown block"
                    : "expected a session (session name { ... } with steps), found " + t.describe());
        }
        List<IsolationSpec.Permutation> perms = new ArrayList<>();
        List<Integer> permLines = new ArrayList<>();
        while (atKeyword("permutation")) {
            Token kw = next();
            List<IsolationSpec.PermutationStep> steps = permutationSteps();
            if (steps.isEmpty()) {
                throw error(kw, "a permutation line needs at least one step name");
            }
            perms.add(new IsolationSpec.Permutation(steps));
            permLines.add(kw.line());
        }
        if (peek().kind() != Kind.EOF) {
            Token t = peek();
            throw error(t, "unexpected " + t.describe() + (atKeyword("session") ? ": sessions come before permutation lines"
                    : atKeyword("setup") || atKeyword("teardown") ? ": the order is setup, teardown, sessions, permutations"
                    : ""));
        }
        for (int i = 0; i < perms.size(); i++) {
            check(source, sessions, perms.get(i), permLines.get(i));
        }
        return IsolationSpec.of(source, setups, teardown, sessions, perms);
    }

    private List<IsolationSpec.PermutationStep> permutationSteps() {
        List<IsolationSpec.PermutationStep> steps = new ArrayList<>();
        while (peek().kind() == Kind.STRING || (peek().kind() == Kind.WORD && !KEYWORDS.contains(peek().text()))) {
            Token st = next();
            List<IsolationSpec.Blocker> blockers = new ArrayList<>();
            if (peek().kind() == Kind.LPAREN) {
                next();
                while (true) {
                    Token b = next();
                    if (b.kind() == Kind.STAR) {
                        blockers.add(IsolationSpec.Blocker.once());
                    } else if (b.kind() == Kind.STRING || b.kind() == Kind.WORD) {
                        if (peek().kind() == Kind.WORD && peek().text().equals("notices")) {
                            next();
                            Token num = next();
                            if (num.kind() != Kind.INT) {
                                throw error(num, "expected a number of notices after 'notices', found " + num.describe());
                            }
                            blockers.add(IsolationSpec.Blocker.notices(b.text(), Integer.parseInt(num.text())));
                        } else {
                            blockers.add(IsolationSpec.Blocker.step(b.text()));
                        }
                    } else {
                        throw error(b, "expected a blocker (a step name, * or 'step notices N') in the parentheses after "
                                + st.text() + ", found " + b.describe());
                    }
                    Token sep = next();
                    if (sep.kind() == Kind.RPAREN) {
                        break;
                    }
                    if (sep.kind() != Kind.COMMA) {
                        throw error(sep, "expected ',' or ')' in the blockers of " + st.text() + ", found " + sep.describe());
                    }
                }
            }
            steps.add(new IsolationSpec.PermutationStep(st.text(), blockers, st.line()));
        }
        return steps;
    }

    /** The checks the tester makes: every step and blocker exists; no step blocks on its own session. */
    static void check(String source, List<IsolationSpec.Session> sessions, IsolationSpec.Permutation p, int line) {
        Map<String, String> sessionOf = new HashMap<>();
        for (IsolationSpec.Session s : sessions) {
            for (IsolationSpec.Step st : s.steps()) {
                sessionOf.put(st.name(), s.name());
            }
        }
        for (IsolationSpec.PermutationStep ps : p.steps()) {
            int at = line > 0 ? line : ps.line();
            String own = sessionOf.get(ps.step());
            if (own == null) {
                throw new IsolationSpecException(source, at, "permutation names step \"" + ps.step()
                        + "\", which no session declares; the steps are " + sessionOf.keySet());
            }
            for (IsolationSpec.Blocker b : ps.blockers()) {
                @Nullable String ref = b.step();
                if (ref == null) {
                    continue;
                }
                String other = sessionOf.get(ref);
                if (other == null) {
                    throw new IsolationSpecException(source, at, "step \"" + ps.step() + "\" waits for \"" + ref
                            + "\", which no session declares (a blocker names a step, not a session)");
                }
                if (other.equals(own) && b.kind() == IsolationSpec.Blocker.Kind.STEP) {
                    throw new IsolationSpecException(source, at, "step \"" + ps.step() + "\" cannot wait for \"" + ref
                            + "\": both are steps of session " + own);
                }
            }
        }
    }
}

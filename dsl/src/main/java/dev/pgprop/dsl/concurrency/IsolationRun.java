package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.PgError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What running an {@link IsolationSpec} did: the tester's text output ({@link #output()}, the
 * layout of a {@code .out} file) and, beside it, each permutation's steps with their results,
 * waits, blockers and errors.
 *
 * <pre>{@code
 * IsolationRun run = IsolationSpec.load(Path.of("specs/write-skew.spec")).run(db);
 * assertThat(run.output()).isEqualTo(Files.readString(Path.of("specs/expected/write-skew.out")));
 * run.permutations().get(0).serializationFailures();   // 1
 * run.permutations().get(0).step(3).blockedBy();       // [s1]
 * }</pre>
 */
public final class IsolationRun {

    /**
     * Rows a statement returned, as text (PostgreSQL's output format; null for SQL NULL).
     *
     * <pre>{@code
     * Table t = run.permutations().get(0).step(0).results().get(0);
     * t.columns();   // [count]
     * t.rows();      // [[2]]
     * }</pre>
     */
    public record Table(List<String> columns, List<List<@Nullable String>> rows) {
        public Table {
            columns = List.copyOf(columns);
            List<List<@Nullable String>> copy = new ArrayList<>();
            for (List<@Nullable String> r : rows) {
                copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(r)));
            }
            rows = java.util.Collections.unmodifiableList(copy);
        }
    }

    /**
     * One step of a permutation as it ran.
     *
     * <pre>{@code
     * StepOutcome s = outcome.step(2);
     * if (s.waited()) System.out.println(s.step() + " waited for " + s.blockedBy());
     * s.error().map(PgError::sqlState);   // 40001
     * }</pre>
     *
     * @param index     position in the permutation, from 0
     * @param waited    reported {@code <waiting ...>}: seen blocked on a lock of another session,
     *                  or held back by a blocker marker
     * @param blockedBy the sessions whose locks it was seen waiting for ({@code pid N} for others)
     * @param results   the rows of each statement of the step that returned rows
     * @param notices   notices the step raised, as the tester prints them without the session
     * @param completed false when the permutation could not finish and the step was canceled
     */
    public record StepOutcome(int index, String step, String session, String sql, boolean waited,
                              List<String> blockedBy, List<Table> results, @Nullable PgError pgError,
                              @Nullable String errorLine, List<String> notices, boolean completed) {
        public StepOutcome {
            blockedBy = List.copyOf(blockedBy);
            results = List.copyOf(results);
            notices = List.copyOf(notices);
        }

        public Optional<PgError> error() {
            return Optional.ofNullable(pgError);
        }

        public boolean failed() {
            return errorLine != null;
        }

        public boolean failedWith(ErrorClass c) {
            return pgError != null && pgError.hasClass(c);
        }

        /** Whether the step was seen blocked on another session's lock (not only held by a marker). */
        public boolean blocked() {
            return !blockedBy.isEmpty();
        }
    }

    /**
     * One permutation as it ran: its text block and its steps.
     *
     * <pre>{@code
     * PermutationOutcome p = run.permutations().get(1);
     * p.permutation();           // s1a s2a s1c s2c
     * p.deadlocks();             // steps that failed with 40P01
     * p.allSucceeded();          // no step failed
     * }</pre>
     *
     * @param ranAs        the order the steps were sent in: the permutation itself, unless a
     *                     property's run deferred a step whose session was blocked by an idle one
     * @param output       the block the tester prints for it, from its blank line and
     *                     "starting permutation:" on
     * @param completed    false when a step stayed blocked by a session with no further step (the
     *                     tester hangs there; pgprop cancels the waiting steps and says so)
     * @param rolledBack   sessions whose transaction was still open after the steps and the
     *                     session teardowns; pgprop rolled them back
     * @param states       rows of each state query an oracle asked for, by SQL, run after the
     *                     session teardowns and before the spec's teardown
     */
    public record PermutationOutcome(IsolationSpec.Permutation permutation, IsolationSpec.Permutation ranAs,
                                     List<StepOutcome> steps, String output,
                                     boolean completed, List<String> rolledBack, Map<String, Table> states) {
        public PermutationOutcome {
            steps = List.copyOf(steps);
            rolledBack = List.copyOf(rolledBack);
            states = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(states));
        }

        /** The rows of a state query run after this permutation. */
        public Table state(String sql) {
            Table t = states.get(sql);
            if (t == null) {
                throw new IllegalArgumentException("no state query " + sql + " ran after this permutation; ran: " + states.keySet());
            }
            return t;
        }

        public StepOutcome step(int index) {
            return steps.get(index);
        }

        /** The steps reported {@code <waiting ...>}. */
        public List<StepOutcome> blockedSteps() {
            return steps.stream().filter(StepOutcome::waited).toList();
        }

        /** The steps that failed with a serialization failure (40001). */
        public List<StepOutcome> serializationFailures() {
            return steps.stream().filter(s -> s.failedWith(ErrorClass.SERIALIZATION_FAILURE)).toList();
        }

        /** The steps that failed with a deadlock (40P01). */
        public List<StepOutcome> deadlocks() {
            return steps.stream().filter(s -> s.failedWith(ErrorClass.DEADLOCK)).toList();
        }

        public List<StepOutcome> failedSteps() {
            return steps.stream().filter(StepOutcome::failed).toList();
        }

        /** Every step ran to the end without an error, and no transaction was left open. */
        public boolean allSucceeded() {
            return completed && rolledBack.isEmpty() && steps.stream().noneMatch(StepOutcome::failed);
        }
    }

    private final IsolationSpec spec;
    private final List<PermutationOutcome> permutations;

    public IsolationRun(IsolationSpec spec, List<PermutationOutcome> permutations) {
        this.spec = spec;
        this.permutations = List.copyOf(permutations);
    }

    public IsolationSpec spec() {
        return spec;
    }

    public List<PermutationOutcome> permutations() {
        return permutations;
    }

    /** The whole text, as isolationtester prints it: "Parsed test spec with N sessions", then each permutation. */
    public String output() {
        StringBuilder b = new StringBuilder(header(spec));
        permutations.forEach(p -> b.append(p.output()));
        return b.toString();
    }

    static String header(IsolationSpec spec) {
        return "Parsed test spec with " + spec.sessions().size() + " sessions\n";
    }

    /**
     * Whether the output equals an expected {@code .out} text; line endings are compared as
     * {@code \n}.
     */
    public boolean matches(String expected) {
        return output().equals(expected.replace("\r\n", "\n"));
    }

    /** The first line where the output and the expected text differ, or empty when they are equal. */
    public Optional<String> firstDifference(String expected) {
        String[] a = output().split("\n", -1);
        String[] e = expected.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < Math.max(a.length, e.length); i++) {
            String x = i < a.length ? a[i] : "<end of output>";
            String y = i < e.length ? e[i] : "<end of expected>";
            if (!x.equals(y)) {
                return Optional.of("line " + (i + 1) + ": expected [" + y + "] but was [" + x + "]");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether each permutation's block equals the block of the same position in the expected
     * text (null when the expected text has no block there).
     */
    public List<Boolean> blockMatches(String expected) {
        String[] blocks = expected.replace("\r\n", "\n").split("(?=\nstarting permutation:)", -1);
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < permutations.size(); i++) {
            String want = i + 1 < blocks.length ? blocks[i + 1] : null;
            out.add(want != null && want.equals(permutations.get(i).output()));
        }
        return out;
    }

    @Override
    public String toString() {
        return output();
    }
}

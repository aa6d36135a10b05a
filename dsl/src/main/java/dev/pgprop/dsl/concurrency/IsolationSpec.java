package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.isolation.PermutationArbitrary;
import dev.pgprop.dsl.internal.isolation.SpecParser;
import dev.pgprop.dsl.internal.isolation.SpecRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL isolation test spec (the {@code .spec} format of {@code src/test/isolation}): setup
 * blocks, a teardown, sessions with their steps, and permutations. Run its permutations as the
 * isolation tester does, with the same text output (diff it against a {@code .out} file), or judge
 * random permutations with an {@link IsolationOracle} as a jqwik property.
 *
 * <pre>{@code
 * IsolationSpec spec = IsolationSpec.load(Path.of("src/test/resources/isolation/write-skew.spec"));
 * spec.permutations();                        // the listed ones, or every interleaving when none is listed
 * IsolationRun run = spec.run(db);            // db: a Db injected into a property, or a TestDatabase
 * assertThat(run.output()).isEqualTo(Files.readString(expected));
 *
 * IsolationProperty p = spec.property(IsolationOracle.serializable("select * from doctors order by name"));
 * // in a @Property: p.check(db, permutation) with permutation drawn from p.permutations()
 * }</pre>
 *
 * <p>Each session has a connection of its own, in autocommit: a step's SQL is sent whole (several
 * statements, {@code BEGIN} and {@code COMMIT} included), as the tester sends it. Unlike the
 * tester, a permutation in which a step stays blocked by a session that has no step left is
 * canceled and reported incomplete instead of hanging, and a transaction a permutation leaves
 * open is rolled back before the spec's teardown. Results of a step's statements before one that
 * fails are not shown (the driver reports only the error), and notices count when their step ends.
 */
public final class IsolationSpec {

    /**
     * A session: its setup and teardown SQL (null when absent) and its steps.
     *
     * <pre>{@code
     * spec.sessions().get(0).steps().get(0).sql();   // "BEGIN ISOLATION LEVEL SERIALIZABLE;"
     * }</pre>
     */
    public record Session(String name, @Nullable String setup, @Nullable String teardown, List<Step> steps) {
        public Session {
            steps = List.copyOf(steps);
        }
    }

    /**
     * A step: its unique name, its session, its SQL as written between the braces, and the line it
     * is declared on.
     *
     * <pre>{@code
     * spec.step("s1c").session();   // "s1"
     * }</pre>
     */
    public record Step(String name, String session, String sql, int line) {}

    /**
     * A marker after a step in a permutation: {@code (*)} reports the step waiting once whatever
     * happens; {@code (other)} does not report it complete while step {@code other} is running;
     * {@code (other notices N)} waits for N notices from other's session.
     *
     * <pre>{@code
     * IsolationSpec.Blocker.step("s2b");   // the marker of s1a(s2b)
     * }</pre>
     */
    public record Blocker(Kind kind, @Nullable String step, int notices) {
        /** Which marker. */
        public enum Kind { ONCE, STEP, NOTICES }

        public static Blocker once() {
            return new Blocker(Kind.ONCE, null, 0);
        }

        public static Blocker step(String step) {
            return new Blocker(Kind.STEP, Objects.requireNonNull(step, "step"), 0);
        }

        public static Blocker notices(String step, int notices) {
            if (notices < 0) {
                throw new IllegalArgumentException("a number of notices is 0 or more, not " + notices);
            }
            return new Blocker(Kind.NOTICES, Objects.requireNonNull(step, "step"), notices);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case ONCE -> "*";
                case STEP -> step;
                case NOTICES -> step + " notices " + notices;
            };
        }
    }

    /**
     * A step of a permutation with its markers; {@code line} is where it was read (0 if built).
     *
     * <pre>{@code
     * new IsolationSpec.PermutationStep("s1a", List.of(IsolationSpec.Blocker.once()), 0);   // s1a(*)
     * }</pre>
     */
    public record PermutationStep(String step, List<Blocker> blockers, int line) {
        public PermutationStep {
            Objects.requireNonNull(step, "step");
            blockers = List.copyOf(blockers);
        }

        @Override
        public String toString() {
            return blockers.isEmpty() ? step
                    : step + blockers.stream().map(Blocker::toString).collect(Collectors.joining(",", "(", ")"));
        }
    }

    /**
     * A permutation: steps in the order they are sent. Its text form is a permutation line's
     * ({@code s1a s2a(s1a) s1b}).
     *
     * <pre>{@code
     * IsolationSpec.Permutation p = spec.permutation("r1 r2 w1 w2 c1 c2");
     * p.names();   // [r1, r2, w1, w2, c1, c2]
     * }</pre>
     */
    public record Permutation(List<PermutationStep> steps) {
        public Permutation {
            steps = List.copyOf(steps);
        }

        public List<String> names() {
            return steps.stream().map(PermutationStep::step).toList();
        }

        public int size() {
            return steps.size();
        }

        @Override
        public String toString() {
            return steps.stream().map(PermutationStep::toString).collect(Collectors.joining(" "));
        }
    }

    private final String name;
    private final List<String> setups;
    private final @Nullable String teardown;
    private final List<Session> sessions;
    private final List<Permutation> listed;
    private final Map<String, Step> steps;

    private IsolationSpec(String name, List<String> setups, @Nullable String teardown, List<Session> sessions,
                          List<Permutation> listed) {
        this.name = name;
        this.setups = List.copyOf(setups);
        this.teardown = teardown;
        this.sessions = List.copyOf(sessions);
        this.listed = List.copyOf(listed);
        Map<String, Step> m = new LinkedHashMap<>();
        sessions.forEach(s -> s.steps().forEach(st -> m.put(st.name(), st)));
        this.steps = Collections.unmodifiableMap(m);
    }

    /** Made by the reader; use {@link #load} or {@link #parse}. */
    public static IsolationSpec of(String name, List<String> setups, @Nullable String teardown, List<Session> sessions,
                                   List<Permutation> listed) {
        return new IsolationSpec(name, setups, teardown, sessions, listed);
    }

    /** Reads a spec file (UTF-8); its name is the file name without {@code .spec}. */
    public static IsolationSpec load(Path path) {
        Objects.requireNonNull(path, "path");
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read isolation spec " + path + ": " + e.getMessage(), e);
        }
        String file = path.getFileName().toString();
        return parse(file.endsWith(".spec") ? file.substring(0, file.length() - 5) : file, text);
    }

    /** Reads a spec from text; {@code name} labels it in output and errors. */
    public static IsolationSpec parse(String name, String text) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        return SpecParser.parse(name, text);
    }

    public String name() {
        return name;
    }

    /** The setup blocks, each run as one submission before every permutation. */
    public List<String> setups() {
        return setups;
    }

    public @Nullable String teardown() {
        return teardown;
    }

    public List<Session> sessions() {
        return sessions;
    }

    /** Every step, by name, in declaration order. */
    public Map<String, Step> steps() {
        return steps;
    }

    public Step step(String stepName) {
        Step s = steps.get(stepName);
        if (s == null) {
            throw new IllegalArgumentException("spec " + name + " has no step \"" + stepName + "\"; its steps are " + steps.keySet());
        }
        return s;
    }

    public Session session(String sessionName) {
        return sessions.stream().filter(s -> s.name().equals(sessionName)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("spec " + name + " has no session \"" + sessionName + "\"; its sessions are "
                        + sessions.stream().map(Session::name).toList()));
    }

    /** The permutation lines of the spec, possibly none. */
    public List<Permutation> listedPermutations() {
        return listed;
    }

    /**
     * What the tester runs: the listed permutations, or, when none is listed, every interleaving
     * of the sessions' steps (each session's steps in order), in the tester's order.
     */
    public List<Permutation> permutations() {
        return listed.isEmpty() ? allInterleavings() : listed;
    }

    /** Every interleaving of the sessions' steps, the first session's choices first. */
    public List<Permutation> allInterleavings() {
        List<Permutation> out = new ArrayList<>();
        int[] next = new int[sessions.size()];
        interleave(next, new ArrayList<>(), out);
        return out;
    }

    private void interleave(int[] next, List<PermutationStep> acc, List<Permutation> out) {
        boolean any = false;
        for (int i = 0; i < sessions.size(); i++) {
            List<Step> own = sessions.get(i).steps();
            if (next[i] < own.size()) {
                any = true;
                acc.add(new PermutationStep(own.get(next[i]).name(), List.of(), 0));
                next[i]++;
                interleave(next, acc, out);
                next[i]--;
                acc.remove(acc.size() - 1);
            }
        }
        if (!any) {
            out.add(new Permutation(acc));
        }
    }

    /** A permutation written as a permutation line: {@code spec.permutation("s1a s2a(s1a) s1c")}. */
    public Permutation permutation(String line) {
        return SpecParser.permutation(this, Objects.requireNonNull(line, "line"));
    }

    /** The same spec with these permutations instead of its own. */
    public IsolationSpec withPermutations(List<Permutation> permutations) {
        List<Permutation> copy = List.copyOf(permutations);
        for (Permutation p : copy) {
            permutation(p.toString());
        }
        return new IsolationSpec(name, setups, teardown, sessions, copy);
    }

    /** Runs {@link #permutations()} on the current try's database. */
    public IsolationRun run(Db db) {
        return run(db, permutations());
    }

    /** Runs these permutations on the current try's database. */
    public IsolationRun run(Db db, List<Permutation> permutations) {
        return run(connectionsOf(db), permutations, List.of());
    }

    /** Runs {@link #permutations()} on a database of its own (sessions opened and closed here). */
    public IsolationRun run(TestDatabase database) {
        return run(database, permutations());
    }

    public IsolationRun run(TestDatabase database, List<Permutation> permutations) {
        return run(connectionsOf(database), permutations, List.of());
    }

    IsolationRun run(SpecRunner.Connections connections, List<Permutation> permutations, List<String> stateQueries) {
        Objects.requireNonNull(permutations, "permutations");
        List<IsolationRun.PermutationOutcome> outcomes = new ArrayList<>();
        try (SpecRunner runner = new SpecRunner(this, connections)) {
            for (Permutation p : permutations) {
                outcomes.add(runner.run(p, stateQueries));
            }
        }
        return new IsolationRun(this, outcomes);
    }

    static SpecRunner.Connections connectionsOf(TestDatabase database) {
        Objects.requireNonNull(database, "database");
        return new SpecRunner.Connections() {
            @Override
            public Connection open() {
                return database.openConnection();
            }

            @Override
            public void close(Connection c) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        };
    }

    static SpecRunner.Connections connectionsOf(Db db) {
        Objects.requireNonNull(db, "db");
        return new SpecRunner.Connections() {
            @Override
            public Connection open() {
                Handle h = db.jdbi().open();
                return h.getConnection();
            }

            @Override
            public void close(Connection c) {
                // given back to the pool, reset, when the try ends
            }
        };
    }

    /**
     * A property over permutations of this spec judged by {@code oracle}: draw permutations with
     * {@link IsolationProperty#permutations()}, check each with {@link IsolationProperty#check}.
     */
    public IsolationProperty property(IsolationOracle oracle) {
        return new IsolationProperty(this, Objects.requireNonNull(oracle, "oracle"));
    }

    /**
     * Random permutations: every interleaving of the sessions' steps, shrinking to fewer steps
     * (a step left out) and then towards the earlier sessions first.
     */
    public Arbitrary<Permutation> randomPermutations() {
        return PermutationArbitrary.of(this);
    }

    @Override
    public String toString() {
        return "IsolationSpec " + name + " " + sessions.stream().map(s -> s.name() + s.steps().stream().map(Step::name)
                .toList()).toList();
    }
}

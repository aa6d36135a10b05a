package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.Levels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * Named sessions (T1, T2, …), each running one transaction at its own isolation level, and their
 * steps in one global order: SQL statements, actions, {@code commit} and {@code rollback}. Run it
 * with {@link Scenario#whenInterleaved}; read what happened from {@link Outcome#interleaving()}.
 * Immutable: every method returns a new interleaving and validates its arguments.
 *
 * <pre>{@code
 * Interleaving lostUpdate = Interleaving.of(REPEATABLE_READ, "T1", "T2")
 *     .step("T1", "select value from test where id = 1")
 *     .step("T2", "select value from test where id = 1")
 *     .step("T1", "update test set value = 11 where id = 1")
 *     .step("T2", "update test set value = 11 where id = 1")   // blocks: T1 holds the row
 *     .commit("T1")                                             // T2's update goes on, and fails with 40001
 *     .commit("T2");
 * InterleavingOutcome out = db.given(twoRows).whenInterleaved(lostUpdate)
 *     .allowing(ErrorClass.SERIALIZATION_FAILURE).run().interleaving();
 * out.step(3).blocked();            // true, blocked by T1
 * out.committed("T2");              // false at REPEATABLE READ
 * }</pre>
 *
 * <p>How it runs:
 * <ul>
 *   <li>Each session has a connection of its own. Its transaction begins with its first step (so
 *       at REPEATABLE READ and SERIALIZABLE the snapshot is taken by the first statement, as after
 *       {@code BEGIN} in psql).
 *   <li>The scheduler sends one step at a time and waits until it has finished or its session's
 *       backend waits on a lock held by another session ({@code pg_stat_activity.wait_event_type =
 *       'Lock'} with a non-empty {@code pg_blocking_pids}); never a sleep. It then sends the next
 *       step. A blocked step completes when its blocker ends; its result is collected then. Later
 *       steps of a blocked session queue behind it. A step that waits for anything else (a {@code
 *       pg_sleep}, the safe snapshot of {@code SERIALIZABLE READ ONLY DEFERRABLE}) is waited for.
 *   <li>After every step the scheduler waits until every session is idle or blocked, so what a
 *       step sees never depends on thread timing.
 *   <li>An error aborts the session's transaction, as in PostgreSQL: the error is recorded with
 *       its SQLSTATE, the transaction is rolled back, the session's later steps are skipped.
 *   <li>Sessions whose transaction is still open after the last step are committed, in the order
 *       they were declared (recorded as implicit steps).
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Interleaving {
    /** At most this many sessions. */
    public static final int MAX_SESSIONS = 16;
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
            "(?is)\\s*(begin|start\\s+transaction|commit|end|abort|rollback(?!\\s+to\\b)|prepare\\s+transaction"
                    + "|set\\s+(session\\s+characteristics|transaction))\\b.*");

    /**
     * What a step does.
     *
     * <pre>{@code
     * long writes = interleaving.steps().stream().filter(s -> s.kind() == Interleaving.Kind.SQL).count();
     * }</pre>
     */
    public enum Kind { SQL, ACTION, COMMIT, ROLLBACK }

    /**
     * One step of the global order.
     *
     * <pre>{@code
     * Interleaving.Step s = interleaving.steps().get(0);
     * s.session();   // "T1"
     * s.text();      // "update test set value = 11 where id = 1"
     * }</pre>
     *
     * @param index  position in the global order, from 0
     * @param text   the SQL of a {@link Kind#SQL} step, the label of an {@link Kind#ACTION},
     *               {@code commit} or {@code rollback}
     * @param args   positional arguments of a SQL step
     * @param action the action of an {@link Kind#ACTION} step, null otherwise
     */
    public record Step(int index, String session, Kind kind, String text, List<@Nullable Object> args,
                       @Nullable Action action) {
        public Step {
            args = Collections.unmodifiableList(new ArrayList<>(args));
        }

        /** Whether this step ends its session's transaction. */
        public boolean ends() {
            return kind == Kind.COMMIT || kind == Kind.ROLLBACK;
        }

        /** The step as the outcome table shows it: its SQL with arguments, label, or commit/rollback. */
        public String describe() {
            return args.isEmpty() ? text : text + " " + args;
        }
    }

    private final Map<String, TransactionIsolationLevel> sessions;
    private final List<Step> steps;
    private final Map<String, String> settings;

    private Interleaving(Map<String, TransactionIsolationLevel> sessions, List<Step> steps, Map<String, String> settings) {
        this.sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
        this.steps = List.copyOf(steps);
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** No sessions and no steps yet; add sessions with {@link #withSession}. */
    public static Interleaving empty() {
        return new Interleaving(Map.of(), List.of(), Map.of());
    }

    /** Sessions with these names, all at {@code level}: {@code Interleaving.of(SERIALIZABLE, "T1", "T2")}. */
    public static Interleaving of(TransactionIsolationLevel level, String... sessionNames) {
        if (sessionNames.length == 0) {
            throw new IllegalArgumentException("Interleaving.of needs at least one session name, such as \"T1\"");
        }
        Interleaving i = empty();
        for (String n : sessionNames) {
            i = i.withSession(n, level);
        }
        return i;
    }

    /** One more session, declared after the others (implicit commits follow declaration order). */
    public Interleaving withSession(String name, TransactionIsolationLevel level) {
        Objects.requireNonNull(name, "name");
        if (!SESSION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("session name '" + name + "' is not valid: use a letter followed by up to"
                    + " 31 letters, digits or '_', such as T1");
        }
        if (sessions.containsKey(name)) {
            throw new IllegalArgumentException("session '" + name + "' is declared twice; the sessions are " + sessions.keySet());
        }
        if (sessions.size() >= MAX_SESSIONS) {
            throw new IllegalArgumentException("an interleaving has at most " + MAX_SESSIONS + " sessions; '" + name
                    + "' would be the " + (sessions.size() + 1) + "th");
        }
        Map<String, TransactionIsolationLevel> s = new LinkedHashMap<>(sessions);
        s.put(name, Levels.requireRunnable(level));
        return new Interleaving(s, steps, settings);
    }

    /** The same steps with every session at {@code level}: one scenario, run at another level. */
    public Interleaving withLevel(TransactionIsolationLevel level) {
        Levels.requireRunnable(level);
        Map<String, TransactionIsolationLevel> s = new LinkedHashMap<>();
        sessions.keySet().forEach(n -> s.put(n, level));
        return new Interleaving(s, steps, settings);
    }

    /** The same steps with one session at {@code level}. */
    public Interleaving withLevel(String session, TransactionIsolationLevel level) {
        requireSession(session, "withLevel");
        Map<String, TransactionIsolationLevel> s = new LinkedHashMap<>(sessions);
        s.put(session, Levels.requireRunnable(level));
        return new Interleaving(s, steps, settings);
    }

    /**
     * A setting every session makes before its transaction: {@code withSetting("deadlock_timeout",
     * "50ms")}. Settings a superuser must make fail on a server where pgprop's role is not one.
     */
    public Interleaving withSetting(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a PostgreSQL setting name, such as deadlock_timeout");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("the value of setting " + name + " is blank");
        }
        if (name.equals("transaction_isolation") || name.equals("default_transaction_isolation")) {
            throw new IllegalArgumentException("set isolation levels with withSession or withLevel, not the setting " + name);
        }
        Map<String, String> m = new LinkedHashMap<>(settings);
        m.put(name, value);
        return new Interleaving(sessions, steps, m);
    }

    /**
     * A SQL statement of {@code session}, with positional {@code ?} arguments. Its rows (for a
     * query) or update count are recorded. Transaction control is not SQL here: use {@link
     * #commit} and {@link #rollback} ({@code SAVEPOINT} and {@code ROLLBACK TO} are fine).
     */
    public Interleaving step(String session, String sql, @Nullable Object... args) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("step " + steps.size() + " of session " + session + " has blank SQL");
        }
        if (TRANSACTION_CONTROL.matcher(sql).matches()) {
            throw new IllegalArgumentException("step " + steps.size() + " of session " + session + " is transaction control ("
                    + sql.strip() + "); pgprop runs each session's transaction: use .commit(\"" + session + "\") or .rollback(\""
                    + session + "\"), and withSession/withLevel for the isolation level");
        }
        return plus(session, Kind.SQL, sql.strip(), args == null ? List.of() : Arrays.asList(args), null);
    }

    /** Code of {@code session} run on its transaction (its {@link Tx}), labelled for the outcome table. */
    public Interleaving action(String session, String label, Action action) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(action, "action");
        if (label.isBlank()) {
            throw new IllegalArgumentException("step " + steps.size() + " of session " + session + " needs a label");
        }
        return plus(session, Kind.ACTION, label.strip(), List.of(), action);
    }

    /** {@code session} commits; it runs no further step. */
    public Interleaving commit(String session) {
        return plus(session, Kind.COMMIT, "commit", List.of(), null);
    }

    /** {@code session} rolls back; it runs no further step. */
    public Interleaving rollback(String session) {
        return plus(session, Kind.ROLLBACK, "rollback", List.of(), null);
    }

    private Interleaving plus(String session, Kind kind, String text, List<@Nullable Object> args, @Nullable Action action) {
        requireSession(session, kind.name().toLowerCase(Locale.ROOT));
        for (Step s : steps) {
            if (s.session().equals(session) && s.ends()) {
                throw new IllegalArgumentException("session " + session + " already ended with " + s.text() + " at step "
                        + s.index() + "; a session runs one transaction: declare another session for a new one");
            }
        }
        List<Step> all = new ArrayList<>(steps);
        all.add(new Step(steps.size(), session, kind, text, args, action));
        return new Interleaving(sessions, all, settings);
    }

    private void requireSession(String session, String what) {
        Objects.requireNonNull(session, "session");
        if (!sessions.containsKey(session)) {
            throw new IllegalArgumentException(what + " names session '" + session + "', but the interleaving declares "
                    + (sessions.isEmpty() ? "no session" : "only " + sessions.keySet()) + "; add .withSession(\"" + session
                    + "\", level) first");
        }
    }

    /** Session names in declaration order. */
    public List<String> sessions() {
        return List.copyOf(sessions.keySet());
    }

    /** The isolation level of a session. */
    public TransactionIsolationLevel level(String session) {
        requireSession(session, "level");
        return sessions.get(session);
    }

    /** Every step in the global order. */
    public List<Step> steps() {
        return steps;
    }

    /** The steps of one session, in order. */
    public List<Step> stepsOf(String session) {
        requireSession(session, "stepsOf");
        return steps.stream().filter(s -> s.session().equals(session)).toList();
    }

    /** The settings every session makes, in order. */
    public Map<String, String> settings() {
        return settings;
    }

    public int size() {
        return steps.size();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Interleaving ");
        List<String> decl = new ArrayList<>();
        sessions.forEach((n, l) -> decl.add(n + " " + Levels.name(l)));
        b.append(decl);
        if (!settings.isEmpty()) {
            b.append(" with ").append(settings);
        }
        for (Step s : steps) {
            b.append("\n  #").append(s.index()).append(' ').append(s.session()).append(": ").append(s.describe());
        }
        return b.toString();
    }
}

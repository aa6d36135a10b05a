package dev.pgprop.dsl.concurrency;

import static org.jdbi.v3.core.transaction.TransactionIsolationLevel.SERIALIZABLE;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Interleaving;
import dev.pgprop.dsl.InterleavingOutcome.StepOutcome;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The anomaly catalogue: Adya's phenomena as Hermitage (github.com/ept/hermitage) tests them on
 * PostgreSQL, each an {@link Interleaving} on the two-row table {@code test} = {(1, 10), (2, 20)},
 * with a judge that decides from what was observed (rows read, blocks, errors, the final rows)
 * whether the anomalous read/write pattern happened. Nothing here knows the isolation level: a
 * level prevents an anomaly when it aborted a transaction or blocked/serialised the sessions so
 * that the pattern did not occur.
 *
 * <p>Check a server, a pooler or a proxy of your own: create the table ({@link #TABLE_SQL}) in
 * your test schema, then observe each anomaly at the level you rely on.
 *
 * <pre>{@code
 * Anomaly.Verdict v = Anomaly.G2_ITEM.observe(db, TransactionIsolationLevel.SERIALIZABLE);
 * assertThat(v.prevented()).as(v.evidence()).isTrue();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum Anomaly {
    /** Dirty write: T2 overwrites T1's uncommitted write, or the final state mixes both. */
    G0("dirty write") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "update test set value = 11 where id = 1")   // #0
                    .step("T2", "update test set value = 12 where id = 1")   // #1: writes over T1's uncommitted 11?
                    .step("T1", "update test set value = 21 where id = 2")   // #2
                    .commit("T1")                                             // #3
                    .step("T2", "update test set value = 22 where id = 2")   // #4
                    .commit("T2");                                            // #5
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            StepOutcome overwrite = o.step(1);
            if (overwrite.status() == InterleavingOutcome.Status.DONE && overwrite.completedAfter() < 3) {
                return occurred("T2's write of row 1 completed at #" + overwrite.completedAfter() + ", before T1 committed at #3");
            }
            Integer x = finalValues.get(1);
            Integer y = finalValues.get(2);
            boolean mixed = (x == 11 && y == 22) || (x == 12 && y == 21);
            if (mixed) {
                return occurred("final rows mix both transactions: (1, " + x + "), (2, " + y + ")");
            }
            return prevented("T2's write of row 1 " + (overwrite.blocked() ? "blocked until #" + overwrite.completedAfter()
                    + " and " : "") + "ended " + outcomeOf(overwrite) + "; final (1, " + x + "), (2, " + y + ")");
        }
    },
    /** Aborted read: T2 reads T1's write, which T1 rolls back. */
    G1A("aborted read") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "update test set value = 101 where id = 1")
                    .step("T2", "select id, value from test order by id")
                    .rollback("T1")
                    .step("T2", "select id, value from test order by id")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            return sawValue(o, "T2", 101, "T1's aborted 101");
        }
    },
    /** Intermediate read: T2 reads T1's value of row 1 before T1's final write to it. */
    G1B("intermediate read") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "update test set value = 101 where id = 1")
                    .step("T2", "select id, value from test order by id")
                    .step("T1", "update test set value = 11 where id = 1")
                    .commit("T1")
                    .step("T2", "select id, value from test order by id")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            return sawValue(o, "T2", 101, "T1's intermediate 101");
        }
    },
    /** Circular information flow: each transaction reads the other's write. */
    G1C("circular information flow") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "update test set value = 11 where id = 1")
                    .step("T2", "update test set value = 22 where id = 2")
                    .step("T1", "select id, value from test where id = 2")
                    .step("T2", "select id, value from test where id = 1")
                    .commit("T1")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            boolean t1SawT2 = values(o.reads("T1")).contains(22);
            boolean t2SawT1 = values(o.reads("T2")).contains(11);
            if (t1SawT2 && t2SawT1) {
                return occurred("T1 read T2's 22 and T2 read T1's 11");
            }
            return prevented("T1 read " + o.reads("T1") + ", T2 read " + o.reads("T2"));
        }
    },
    /** Observed transaction vanishes: T3 sees T1's writes, then loses some of them to T2's. */
    OTV("observed transaction vanishes") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2", "T3")
                    .step("T1", "update test set value = 11 where id = 1")
                    .step("T1", "update test set value = 19 where id = 2")
                    .step("T2", "update test set value = 12 where id = 1")   // waits for T1
                    .commit("T1")
                    .step("T3", "select id, value from test order by id")
                    .step("T2", "update test set value = 18 where id = 2")
                    .step("T3", "select id, value from test order by id")
                    .commit("T2")
                    .commit("T3");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            // T2 has not committed while T3 reads: T3 may see the initial rows or T1's, never a mix or T2's
            List<Integer> states = new ArrayList<>();
            for (List<Row> read : o.reads("T3")) {
                List<Integer> v = values(List.of(read));
                int state = v.equals(List.of(10, 20)) ? 0 : v.equals(List.of(11, 19)) ? 1 : -1;
                if (state < 0) {
                    return occurred("T3 read " + v + ": T1's committed writes partly vanished");
                }
                if (!states.isEmpty() && state < states.get(states.size() - 1)) {
                    return occurred("T3 saw T1's writes, then the rows before them");
                }
                states.add(state);
            }
            return prevented("T3 read " + o.reads("T3") + "; T2 " + o.session("T2"));
        }
    },
    /** Predicate-many-preceders: a predicate read sees a row that a repeated predicate read did not. */
    PMP("predicate-many-preceders") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "select id, value from test where value = 30")
                    .step("T2", "insert into test (id, value) values (3, 30)")
                    .commit("T2")
                    .step("T1", "select id, value from test where value % 3 = 0")
                    .commit("T1");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            List<List<Row>> reads = o.reads("T1");
            if (reads.size() == 2 && reads.get(0).isEmpty() && ids(reads.get(1)).contains(3)) {
                return occurred("T1's second predicate read saw row 3, which its first did not");
            }
            return prevented("T1 read " + reads);
        }
    },
    /** Lost update: both read row 1 and write it from what they read; both commit. */
    P4("lost update") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "select id, value from test where id = 1")
                    .step("T2", "select id, value from test where id = 1")
                    .step("T1", "update test set value = 11 where id = 1")   // 10 + 1
                    .step("T2", "update test set value = 11 where id = 1")   // 10 + 1: waits for T1
                    .commit("T1")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            if (o.committed("T1") && o.committed("T2")) {
                return occurred("both read 10 and committed 10 + 1: one increment is lost (final " + finalValues.get(1) + ")");
            }
            return prevented(o.sessions().toString());
        }
    },
    /** Read skew: T1 reads row 1 before T2's update of both rows and row 2 after it. */
    G_SINGLE("read skew") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "select id, value from test where id = 1")
                    .step("T2", "select id, value from test where id = 1")
                    .step("T2", "select id, value from test where id = 2")
                    .step("T2", "update test set value = 12 where id = 1")
                    .step("T2", "update test set value = 18 where id = 2")
                    .commit("T2")
                    .step("T1", "select id, value from test where id = 2")
                    .commit("T1");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            List<Integer> seen = values(o.reads("T1"));
            if (seen.size() == 2 && seen.get(0) + seen.get(1) != 30) {
                return occurred("T1 read 1 -> " + seen.get(0) + " and 2 -> " + seen.get(1) + ", which no committed state had");
            }
            return prevented("T1 read " + seen);
        }
    },
    /** Write skew: both read both rows, each updates a different one, both commit. */
    G2_ITEM("write skew") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "select id, value from test where id in (1, 2) order by id")
                    .step("T2", "select id, value from test where id in (1, 2) order by id")
                    .step("T1", "update test set value = 11 where id = 1")
                    .step("T2", "update test set value = 21 where id = 2")
                    .commit("T1")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            return bothCommitted(o, "each read both rows before the other's write");
        }
    },
    /** Anti-dependency cycle over predicates: each misses the other's insert into its predicate. */
    G2("anti-dependency cycles") {
        @Override
        public Interleaving scenario() {
            return sessions("T1", "T2")
                    .step("T1", "select id, value from test where value % 3 = 0")
                    .step("T2", "select id, value from test where value % 3 = 0")
                    .step("T1", "insert into test (id, value) values (3, 30)")
                    .step("T2", "insert into test (id, value) values (4, 42)")
                    .commit("T1")
                    .commit("T2");
        }

        @Override
        public Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues) {
            return bothCommitted(o, "each predicate read missed the other's insert into it");
        }
    };

    /** The table the scenarios run on; its rows are {@link #TWO_ROWS}. */
    public static final String TABLE_SQL = "create table test (id integer primary key, value integer not null)";

    /** The rows every scenario starts from. */
    public static final Dataset TWO_ROWS = Dataset.empty()
            .plus("test", Row.of("id", 1, "value", 10))
            .plus("test", Row.of("id", 2, "value", 20));

    private final String description;

    Anomaly(String description) {
        this.description = description;
    }

    /** The name the isolation matrix uses: G0, G1a, G1b, G1c, OTV, PMP, P4, G-single, G2-item, G2. */
    public String label() {
        return switch (this) {
            case G1A -> "G1a";
            case G1B -> "G1b";
            case G1C -> "G1c";
            case G_SINGLE -> "G-single";
            case G2_ITEM -> "G2-item";
            default -> name();
        };
    }

    public String description() {
        return description;
    }

    /** The scenario, every session at SERIALIZABLE; {@code withLevel} runs it at another level. */
    public abstract Interleaving scenario();

    /** Whether the anomaly happened, from the observed outcome and the final rows (id -> value). */
    public abstract Verdict judge(InterleavingOutcome o, Map<Integer, Integer> finalValues);

    /** Runs this anomaly's scenario with every session at {@code level} on {@link #TWO_ROWS} and judges the outcome. */
    public Verdict observe(Db db, TransactionIsolationLevel level) {
        return observe(db, scenario().withLevel(level));
    }

    /**
     * Runs {@code scenario} (this anomaly's {@link #scenario()}, its sessions at levels of your
     * choice) on {@link #TWO_ROWS} and judges the outcome with this anomaly's judge.
     */
    public Verdict observe(Db db, Interleaving scenario) {
        Outcome out = db.given(TWO_ROWS)
                .whenInterleaved(scenario)
                .allowing(ErrorClass.SERIALIZATION_FAILURE, ErrorClass.DEADLOCK)
                .run();
        return judge(out.interleaving(), byId(db.rows("select id, value from test order by id")));
    }

    /** The decision for one run, with the evidence it rests on. */
    public record Verdict(boolean occurred, String evidence) {
        public boolean prevented() {
            return !occurred;
        }
    }

    private static Interleaving sessions(String... names) {
        return Interleaving.of(SERIALIZABLE, names);
    }

    static Verdict occurred(String evidence) {
        return new Verdict(true, evidence);
    }

    static Verdict prevented(String evidence) {
        return new Verdict(false, evidence);
    }

    private static Verdict sawValue(InterleavingOutcome o, String session, int value, String what) {
        List<List<Row>> reads = o.reads(session);
        if (values(reads).contains(value)) {
            return occurred(session + " read " + what + ": " + reads);
        }
        return prevented(session + " read " + reads);
    }

    private static Verdict bothCommitted(InterleavingOutcome o, String why) {
        if (o.committed("T1") && o.committed("T2")) {
            return occurred("both committed although " + why);
        }
        return prevented(o.sessions().toString());
    }

    private static String outcomeOf(StepOutcome s) {
        return s.status() == InterleavingOutcome.Status.DONE ? "done" : s.result();
    }

    /** The value column of every row read, in order. */
    public static List<Integer> values(List<List<Row>> reads) {
        List<Integer> out = new ArrayList<>();
        for (List<Row> read : reads) {
            for (Row r : read) {
                out.add(((Number) Objects.requireNonNull(r.get("value"))).intValue());
            }
        }
        return out;
    }

    private static List<Integer> ids(List<Row> rows) {
        return rows.stream().map(r -> ((Number) Objects.requireNonNull(r.get("id"))).intValue()).toList();
    }

    /** id -> value of the table's rows. */
    public static Map<Integer, Integer> byId(List<Row> rows) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (Row r : rows) {
            m.put(((Number) Objects.requireNonNull(r.get("id"))).intValue(), ((Number) Objects.requireNonNull(r.get("value"))).intValue());
        }
        return m;
    }
}

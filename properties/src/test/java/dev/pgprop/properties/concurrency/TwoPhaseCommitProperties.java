package dev.pgprop.properties.concurrency;

import static dev.pgprop.dsl.Invariants.constraintsHold;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.migrations.Migrations;
import dev.pgprop.properties.concurrency.Coordinator.Crash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Two databases of one server act as shards: the try's database (shard A, which also keeps the
 * coordinator's decision log) and a second one (shard B). A transfer of stock moves units out of
 * shard A and into (and allocated on) shard B under two-phase commit. The coordinator crashes
 * at every point of the protocol; recovery resolves what is in doubt from pg_prepared_xacts, and
 * both shards end all-or-nothing, with no prepared transaction left behind.
 */
@PgProperties(migrations = {"classpath:pgprop/reference", "classpath:concurrency/twopc"})
class TwoPhaseCommitProperties {
    static final String SKU = "SKU-000001";
    private static @Nullable TestDatabase shardB;
    private static @Nullable ShardSessions sessionsA;
    private static @Nullable ShardSessions sessionsB;

    static synchronized TestDatabase shardB() {
        if (shardB == null) {
            shardB = PgProp.server().createDatabase(MigrationSet.of(Migrations.LOCATION), "TwoPhaseShardB");
        }
        return shardB;
    }

    /**
     * Sessions on both shards for one try (shard A is this class's database). They are closed
     * when the try ends: a session pgprop's pool does not own and that outlives the property is
     * reported as a leak.
     */
    static synchronized Coordinator coordinator(Db db) {
        if (sessionsA == null) {
            TestDatabase a = db.database();
            sessionsA = new ShardSessions(a::openConnection);
            sessionsB = new ShardSessions(() -> shardB().openConnection());
        }
        return new Coordinator(sessionsA, sessionsB);
    }

    static synchronized void closeSessions() {
        if (sessionsA != null) {
            sessionsA.close();
            sessionsB.close();
            sessionsA = null;
            sessionsB = null;
        }
    }

    @AfterContainer
    static synchronized void dropShardB() {
        closeSessions();
        if (shardB != null) {
            shardB.close();
            shardB = null;
        }
    }

    /** What can go wrong besides a crash. */
    enum Fault {
        NONE,
        /** allocate() on shard B finds too little stock: B's work fails before any prepare */
        WORK_FAILS_ON_B,
        /** B's transaction touched a temporary table, which PREPARE refuses: B fails after A prepared */
        PREPARE_FAILS_ON_B
    }

    /** Units moved from shard A's stock to shard B's, which allocates them. */
    record Transfer(int onHandA, int onHandB, int quantity, Fault fault) {
        /** Whether the transfer can commit at all: A has the units, and nothing was planted. */
        boolean valid() {
            return quantity <= onHandA && fault == Fault.NONE;
        }
    }

    @Provide
    Arbitrary<Transfer> transfers() {
        return Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(1, 20),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(4, Fault.NONE), net.jqwik.api.Tuple.of(1, Fault.WORK_FAILS_ON_B),
                        net.jqwik.api.Tuple.of(1, Fault.PREPARE_FAILS_ON_B)))
                .as(Transfer::new);
    }

    /** Shard B as the transfer must find it: its stock, no allocations, nothing prepared. */
    private static void resetShardB(Transfer t) throws SQLException {
        Connection b = sessionsB.get();
        try (Statement s = b.createStatement()) {
            List<String> left = new ArrayList<>();
            try (var rs = s.executeQuery("select gid from pg_prepared_xacts where database = current_database()")) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            }
            for (String gid : left) {
                s.execute("ROLLBACK PREPARED '" + gid + "'");
            }
            s.execute("delete from allocations; delete from inventory");
            try (PreparedStatement ps = b.prepareStatement("insert into inventory (sku, on_hand) values (?, ?)")) {
                ps.setString(1, SKU);
                ps.setInt(2, t.onHandB());
                ps.executeUpdate();
            }
        } finally {
            sessionsB.release(b);
        }
    }

    @Property(tries = 100)
    void aCoordinatorCrashAtAnyPointEndsAllOrNothingWithNothingPrepared(@ForAll("transfers") Transfer t,
            @ForAll Crash crash, Db db) throws Exception {
        try {
            transfer(t, crash, db);
        } finally {
            closeSessions();
        }
        Statistics.label("crash").collect(crash);
        Statistics.label("outcome").collect(t.valid() ? "transfer possible" : t.fault() != Fault.NONE ? t.fault().name()
                : "too little stock on A");
        Statistics.label("crash").coverage(c -> {
            for (Crash point : Crash.values()) {
                c.check(point).count(n -> n > 0);
            }
        });
        Statistics.label("outcome").coverage(c -> c.check("PREPARE_FAILS_ON_B").count(n -> n > 0));
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    private static Map<String, Object> shardBState() throws SQLException {
        Connection b = sessionsB.get();
        try (PreparedStatement ps = b.prepareStatement(
                "select on_hand, allocated, (select count(*) from allocations) as allocations from inventory where sku = ?")) {
            ps.setString(1, SKU);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return Map.of("on_hand", rs.getInt(1), "allocated", rs.getInt(2), "allocations", rs.getLong(3));
            }
        } finally {
            sessionsB.release(b);
        }
    }
    private static void transfer(Transfer t, Crash crash, Db db) throws Exception {
        Coordinator coordinator = coordinator(db);
        resetShardB(t);
        AtomicReference<Coordinator.Result> result = new AtomicReference<>();
        AtomicReference<List<String>> recovered = new AtomicReference<>(List.of());
        db.given(Dataset.of("inventory", List.of(Row.of("sku", SKU, "on_hand", t.onHandA()))))
                .whenHandle(h -> {
                    String gid = Coordinator.GID_PREFIX + UUID.randomUUID();
                    try {
                        result.set(coordinator.run(gid,
                                a -> update(a, "update inventory set on_hand = on_hand - ? where sku = ?", t.quantity(), SKU),
                                b -> {
                                    update(b, "update inventory set on_hand = on_hand + ? where sku = ?", t.quantity(), SKU);
                                    int allocate = t.quantity() + (t.fault() == Fault.WORK_FAILS_ON_B ? t.onHandB() + 1 : 0);
                                    update(b, "select allocate(?, ?)", SKU, allocate);
                                    if (t.fault() == Fault.PREPARE_FAILS_ON_B) {
                                        update(b, "create temporary table scratch (x int) on commit drop");
                                    }
                                }, crash));
                    } catch (Coordinator.Crashed c) {
                        recovered.set(coordinator.recover());
                    }
                })
                .then(
                        Invariants.invariant("no prepared transaction is left on either shard", ctx -> {
                            Object n = ctx.scalar("select count(*) from pg_prepared_xacts where database in (?, ?)",
                                    db.database().name(), shardB().name());
                            if (((Number) n).longValue() != 0) {
                                ctx.fail(n + " prepared transaction(s) left", ctx.rows("select gid, database from pg_prepared_xacts"));
                            }
                        }),
                        Invariants.invariant("both shards committed the transfer, or neither did", ctx -> {
                            int a = ((Number) ctx.scalar("select on_hand from inventory where sku = ?", SKU)).intValue();
                            Map<String, Object> b = shardBState();
                            int onHandB = ((Number) b.get("on_hand")).intValue();
                            int allocatedB = ((Number) b.get("allocated")).intValue();
                            boolean aMoved = a == t.onHandA() - t.quantity();
                            boolean bMoved = onHandB == t.onHandB() + t.quantity() && allocatedB == t.quantity();
                            boolean aStill = a == t.onHandA();
                            boolean bStill = onHandB == t.onHandB() && allocatedB == 0;
                            boolean expectCommit = t.valid() && (crash == Crash.NONE || crash == Crash.AFTER_DECISION
                                    || crash == Crash.AFTER_FIRST_COMMIT);
                            boolean ok = expectCommit ? aMoved && bMoved : aStill && bStill;
                            boolean sawCommit = result.get() != null && result.get().committed();
                            if (!ok || sawCommit != (expectCommit && crash == Crash.NONE)) {
                                ctx.fail("expected " + (expectCommit ? "both committed" : "neither") + " after a crash "
                                        + crash + ", found shard A on_hand " + a + ", shard B " + b + "; coordinator: "
                                        + (result.get() == null ? "crashed" : result.get().why()) + "; recovery: " + recovered.get(),
                                        List.of(Row.of("shard", "A", "on_hand", a), Row.of("shard", "B", "on_hand", onHandB,
                                                "allocated", allocatedB)));
                            }
                        }),
                        Invariants.invariant("the decision log is empty after the transfer", ctx -> {
                            long n = ((Number) ctx.scalar("select count(*) from coordinator_log")).longValue();
                            if (n != 0) {
                                ctx.fail(n + " decision(s) left", ctx.rows("select * from coordinator_log"));
                            }
                        }),
                        constraintsHold());
    }
}

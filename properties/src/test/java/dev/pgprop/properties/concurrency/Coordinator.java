package dev.pgprop.properties.concurrency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A two-phase-commit coordinator over two PostgreSQL databases (the shards), with presumed
 * abort: it prepares both shards' transactions, logs its commit decision in a durable log, then
 * commits both prepared transactions. A crash can be injected at every point between; {@link
 * #recover} resolves what a crash left prepared from {@code pg_prepared_xacts} and the log.
 */
final class Coordinator {
    /** Prefix of every global transaction id this coordinator uses. */
    static final String GID_PREFIX = "pgprop-2pc-";

    /** Where the coordinator dies: it closes its connections without another word, as a killed process would. */
    enum Crash { NONE, BEFORE_PREPARE, AFTER_FIRST_PREPARE, AFTER_BOTH_PREPARED, AFTER_DECISION, AFTER_FIRST_COMMIT }

    /** The coordinator crashed at the injected point. */
    static final class Crashed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crashed(Crash at) {
            super("coordinator crashed " + at, null, false, false);
        }
    }

    /** A shard's part of the distributed transaction. */
    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    private final ShardSessions shardA;
    private final ShardSessions shardB;

    /** Sessions on shard A (which also keeps the decision log) and on shard B. */
    Coordinator(ShardSessions shardA, ShardSessions shardB) {
        this.shardA = shardA;
        this.shardB = shardB;
    }

    /** How a distributed transaction ended, when the coordinator lived to see it. */
    record Result(boolean committed, String why) {}

    /**
     * Runs one distributed transaction: committed on both shards, or rolled back on both (a
     * shard's work or prepare failed); throws {@link Crashed} at {@code crash}.
     */
    Result run(String gid, Work onA, Work onB, Crash crash) throws SQLException {
        Connection a = shardA.get();
        Connection b = shardB.get();
        Connection log = shardA.get();
        List<Connection> all = List.of(a, b, log);
        try {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            try {
                onA.run(a);
                onB.run(b);
            } catch (SQLException e) {
                a.rollback();
                b.rollback();
                return new Result(false, "a shard's work failed: " + e.getMessage());
            }
            crashAt(Crash.BEFORE_PREPARE, crash, all);
            String refused = prepare(a, gid + "-a");
            if (refused != null) {
                b.rollback();
                return new Result(false, "shard A refused to prepare: " + refused);
            }
            crashAt(Crash.AFTER_FIRST_PREPARE, crash, all);
            refused = prepare(b, gid + "-b");
            if (refused != null) {
                execute(a, "ROLLBACK PREPARED '" + gid + "-a'");
                return new Result(false, "shard B refused to prepare: " + refused);
            }
            crashAt(Crash.AFTER_BOTH_PREPARED, crash, all);
            try (PreparedStatement ps = log.prepareStatement("insert into coordinator_log (gid) values (?)")) {
                ps.setString(1, gid);
                ps.executeUpdate();
            }
            crashAt(Crash.AFTER_DECISION, crash, all);
            execute(a, "COMMIT PREPARED '" + gid + "-a'");
            crashAt(Crash.AFTER_FIRST_COMMIT, crash, all);
            execute(b, "COMMIT PREPARED '" + gid + "-b'");
            try (PreparedStatement ps = log.prepareStatement("delete from coordinator_log where gid = ?")) {
                ps.setString(1, gid);
                ps.executeUpdate();
            }
            return new Result(true, "both committed");
        } finally {
            shardA.release(a);
            shardB.release(b);
            shardA.release(log);
        }
    }

    /** PREPARE TRANSACTION; null when prepared, else why the shard refused (its transaction is then rolled back). */
    private static @Nullable String prepare(Connection c, String gid) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PREPARE TRANSACTION '" + gid + "'");
        } catch (SQLException e) {
            c.rollback();
            c.setAutoCommit(true);
            return e.getMessage();
        }
        c.setAutoCommit(true); // the prepared transaction is no longer the session's: phase 2 runs outside it
        return null;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void crashAt(Crash point, Crash injected, List<Connection> connections) {
        if (point != injected) {
            return;
        }
        for (Connection c : connections) {
            try {
                c.close(); // the server ends what was not prepared; prepared transactions stay
            } catch (SQLException ignored) {
                // dying anyway
            }
        }
        throw new Crashed(point);
    }

    /**
     * Resolves every transaction of this coordinator left prepared on either shard: committed
     * when the log has its decision, rolled back otherwise; then forgets the decisions. Returns
     * what it did, one line per prepared transaction.
     */
    List<String> recover() throws SQLException {
        List<String> done = new ArrayList<>();
        Connection a = shardA.get();
        Connection b = shardB.get();
        try {
            List<String> decided = new ArrayList<>();
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("select gid from coordinator_log")) {
                while (rs.next()) {
                    decided.add(rs.getString(1));
                }
            }
            for (Connection shard : List.of(a, b)) {
                List<String> prepared = new ArrayList<>();
                try (PreparedStatement ps = shard.prepareStatement("select gid from pg_prepared_xacts"
                        + " where database = current_database() and gid like ? order by gid")) {
                    ps.setString(1, GID_PREFIX + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            prepared.add(rs.getString(1));
                        }
                    }
                }
                for (String gid : prepared) {
                    boolean commit = decided.contains(gid.substring(0, gid.length() - 2));
                    execute(shard, (commit ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + "'");
                    done.add((commit ? "committed " : "rolled back ") + gid);
                }
            }
            try (Statement s = a.createStatement()) {
                s.execute("delete from coordinator_log");
            }
        } finally {
            shardA.release(a);
            shardB.release(b);
        }
        return done;
    }
}

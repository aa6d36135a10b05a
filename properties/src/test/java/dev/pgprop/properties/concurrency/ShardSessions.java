package dev.pgprop.properties.concurrency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Sessions on one shard, kept across tries: a session given back idle is reused, one that a
 * crash closed (or that is still in a transaction) is dropped.
 */
final class ShardSessions implements AutoCloseable {
    private final Supplier<Connection> opener;
    private final Deque<Connection> idle = new ArrayDeque<>();

    ShardSessions(Supplier<Connection> opener) {
        this.opener = opener;
    }

    synchronized Connection get() {
        Connection c = idle.pollFirst();
        return c != null ? c : opener.get();
    }

    synchronized void release(Connection c) {
        try {
            if (!c.isClosed() && c.getAutoCommit()) {
                idle.addFirst(c);
                return;
            }
            c.close();
        } catch (SQLException e) {
            // dropped
        }
    }

    @Override
    public synchronized void close() {
        for (Connection c : idle) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        idle.clear();
    }
}

package dev.pgprop.dsl.internal.provision;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.internal.Settings;
import java.util.Optional;

/**
 * How many sessions a suite may hold on its server at once, checked against what the server
 * accepts before any try: per JVM, pgprop's own ({@value #OWN}: the main thread's and the
 * template pool's cloning and dropping threads), a class's ({@value #PER_CLASS}: its load and
 * check session and a deferred cleanup), the most sessions one scenario opens at once
 * ({@code pgprop.concurrentSessions}), and one per template clone ({@code pgprop.templatePool.bound});
 * times the JVMs that share the server ({@code pgprop.jvms}: Surefire forks × CI machines).
 */
public record ConnectionBudget(int jvms, int concurrentSessions, int templatePoolSize, int templatePoolBound) {
    static final int OWN = 3;
    static final int PER_CLASS = 2;
    public static final int DEFAULT_CONCURRENT_SESSIONS = 8;

    public ConnectionBudget {
        if (templatePoolBound < Math.max(1, templatePoolSize)) {
            throw new ConfigurationException("pgprop.templatePool.bound=" + templatePoolBound + " is below pgprop.templatePool.size="
                    + templatePoolSize + ": the bound counts every database of the pool (ready, in use, being dropped); make it"
                    + " at least the size");
        }
    }

    public static ConnectionBudget from(Settings s) {
        int size = s.getInt("templatePool.size", 2, 0, 1000);
        return new ConnectionBudget(s.getInt("jvms", 1, 1, 10_000), s.getInt("concurrentSessions", DEFAULT_CONCURRENT_SESSIONS, 1, 64),
                size, s.getInt("templatePool.bound", size + 2, 0, 1000));
    }

    /** Sessions one JVM may hold at once. */
    public int perJvm() {
        return OWN + PER_CLASS + concurrentSessions + templatePoolBound;
    }

    /**
     * What the server accepts, and the problem when the suite may open more. A local cluster is
     * this JVM's alone, so {@code pgprop.jvms} does not count there.
     *
     * @param maxConnections the server's {@code max_connections}
     * @param reserved slots the role cannot use ({@code superuser_reserved_connections} and {@code
     *     reserved_connections} for a role that is not a superuser)
     * @param inUse sessions of other clients (not pgprop's) on the server now
     */
    public Optional<String> check(String server, boolean local, int maxConnections, int reserved, int inUse) {
        int sharing = local ? 1 : jvms;
        int total = sharing * perJvm();
        int free = maxConnections - reserved - inUse;
        if (total <= free) {
            return Optional.empty();
        }
        int raiseTo = total + reserved + inUse;
        return Optional.of("this suite may open " + total + " sessions at once, more than the server accepts: "
                + (local ? "" : sharing + " JVM(s) (pgprop.jvms) × ") + perJvm() + " (" + OWN + " for pgprop, " + PER_CLASS
                + " for the class, " + concurrentSessions + " of one scenario (pgprop.concurrentSessions), " + templatePoolBound
                + " template clones (pgprop.templatePool.bound)), and the server (" + server + ") accepts " + Math.max(0, free)
                + " more (max_connections = " + maxConnections + ", " + reserved + " reserved for superusers, " + inUse
                + " in use by other clients). Fix: "
                + (local ? "lower pgprop.concurrentSessions or pgprop.templatePool.bound (the local cluster runs with"
                        + " max_connections = " + maxConnections + ")"
                        : "raise max_connections to at least " + raiseTo + " (ALTER SYSTEM SET max_connections = " + raiseTo
                        + "; then restart the server), or lower pgprop.jvms, pgprop.concurrentSessions or pgprop.templatePool.bound")
                + ".");
    }
}

package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.internal.provision.ConnectionBudget;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Clones of a migration set's template, made ahead of use: up to {@code size} ready databases
 * (each with one open session, so a try starts without a clone or a connection on its path),
 * cloned on a background thread while no more than {@code bound} databases of the pool exist at
 * once (ready, in use, being cloned or dropped). A database given back is dropped on another
 * background thread. Every clone is a database of the server runtime (named and commented as
 * its own), so what a killed JVM left behind is dropped by the next run like any other; {@link
 * #close} drops what is ready and waits for the drops in flight.
 *
 * <p>Settings: {@code pgprop.templatePool.size} (default 2; 0 clones on demand only) and {@code
 * pgprop.templatePool.bound} (default size + 2).
 */
public final class TemplatePool implements AutoCloseable {
    /** A ready clone and its open session (autocommit, the engine's session settings). */
    public record Clone(TestDatabase database, Connection session) {}

    private final MigrationSet migrations;
    private final String label;
    private final Properties sessionProperties = new Properties();
    private final int size;
    private final int bound;
    private final Deque<Clone> ready = new ArrayDeque<>();
    private final ExecutorService filler;
    private final ExecutorService dropper;
    private int existing;
    private int filling;
    private int dropping;
    private boolean closed;
    private long coldTakes;
    private long warmTakes;

    public TemplatePool(MigrationSet migrations, String label, EngineConfig config, int size, int bound) {
        if (size < 0 || bound < Math.max(1, size)) {
            throw new IllegalArgumentException("template pool size " + size + " and bound " + bound
                    + ": the size must be 0 or more and the bound at least the size (and at least 1)");
        }
        this.migrations = migrations;
        this.label = label;
        this.size = size;
        this.bound = bound;
        sessionProperties.setProperty("options", config.connectionOptions());
        this.filler = Executors.newSingleThreadExecutor(r -> daemon(r, "pgprop-template-clone"));
        this.dropper = Executors.newSingleThreadExecutor(r -> daemon(r, "pgprop-template-drop"));
    }

    /** A pool with the configured size and bound ({@code pgprop.templatePool.size}, {@code .bound}). */
    public static TemplatePool fromConfig(MigrationSet migrations, String label, EngineConfig config) {
        ConnectionBudget budget = ConnectionBudget.from(Settings.fromEnvironment());
        return new TemplatePool(migrations, label, config, budget.templatePoolSize(), budget.templatePoolBound());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A fresh clone: a ready one when there is one (or one being cloned), else cloned now. */
    public Clone take() {
        Clone c = null;
        boolean cloneHere = false;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the template pool of " + label + " is closed");
            }
            while (ready.isEmpty() && filling > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PgPropException("interrupted while waiting for a template clone", e);
                }
            }
            if (!ready.isEmpty()) {
                c = ready.pollFirst();
                warmTakes++;
            } else {
                existing++;
                coldTakes++;
                cloneHere = true;
            }
        }
        if (cloneHere) {
            try {
                c = cloneNow();
            } catch (RuntimeException e) {
                synchronized (this) {
                    existing--;
                }
                throw e;
            }
        }
        refill();
        return c;
    }

    /** Gives a clone back: its sessions must be closed; it is dropped in the background. */
    public void giveBack(TestDatabase database) {
        synchronized (this) {
            dropping++;
        }
        Runnable drop = () -> {
            try {
                database.close();
            } finally {
                synchronized (this) {
                    existing--;
                    dropping--;
                    notifyAll();
                }
                refill();
            }
        };
        try {
            dropper.execute(drop);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            drop.run(); // closing: drop here
        }
    }

    /** Clones ready now. */
    public synchronized int readyCount() {
        return ready.size();
    }

    /** Waits (up to {@code timeoutMs}) until {@code n} clones are ready; whether they are. */
    public synchronized boolean awaitReady(int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (ready.size() < n && !closed) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return ready.size() >= n;
    }

    /**
     * Waits (up to {@code timeoutMs}) until {@code n} clones are ready and nothing is being cloned
     * or dropped in the background; whether that came.
     */
    public synchronized boolean awaitQuiet(int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while ((ready.size() < n || filling > 0 || dropping > 0) && !closed) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return ready.size() >= n && filling == 0 && dropping == 0;
    }

    /** Warm (a ready clone was there) and cold (cloned on the try's path) takes so far. */
    public synchronized long[] takes() {
        return new long[] {warmTakes, coldTakes};
    }

    private void refill() {
        synchronized (this) {
            while (!closed && ready.size() + filling < size && existing < bound) {
                existing++;
                filling++;
                filler.execute(this::fillOne);
            }
        }
    }

    private void fillOne() {
        Clone c = null;
        try {
            c = cloneNow();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TemplatePool.class).warn("pgprop: cloning a template in the background failed: {}",
                    e.getMessage());
        }
        boolean keep;
        synchronized (this) {
            filling--;
            keep = c != null && !closed;
            if (keep) {
                ready.addLast(c);
            } else {
                existing--;
            }
            notifyAll();
        }
        if (c != null && !keep) {
            discard(c);
        }
    }

    private Clone cloneNow() {
        TestDatabase db = Views.createDatabase(migrations, label + "_try");
        try {
            Connection s = ServerRuntime.get().connect(db.name(), sessionProperties);
            try (Statement st = s.createStatement()) {
                st.execute("SELECT 1"); // the backend's caches built here, not in the try
            }
            return new Clone(db, s);
        } catch (SQLException e) {
            db.close();
            throw new PgPropException("cannot open a session on the template clone " + db.name() + ": " + e.getMessage(), e);
        }
    }

    private static void discard(Clone c) {
        try {
            c.session().close();
        } catch (SQLException e) {
            // dropped with FORCE below
        }
        c.database().close();
    }

    /** Stops cloning, drops the ready clones, and waits for the drops in flight. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        filler.shutdown();
        try {
            filler.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Deque<Clone> left;
        synchronized (this) {
            left = new ArrayDeque<>(ready);
            ready.clear();
        }
        for (Clone c : left) {
            discard(c);
        }
        dropper.shutdown();
        try {
            dropper.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

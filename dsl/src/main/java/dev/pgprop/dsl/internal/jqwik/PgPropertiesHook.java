package dev.pgprop.dsl.internal.jqwik;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.Isolation;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.internal.engine.Views;
import dev.pgprop.dsl.internal.Settings;
import dev.pgprop.dsl.internal.engine.CleanupException;
import dev.pgprop.dsl.internal.engine.ClassDatabase;
import dev.pgprop.dsl.internal.engine.EngineConfig;
import dev.pgprop.dsl.internal.engine.TryState;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.ParameterResolutionContext;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.ResolveParameterHook;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks behind {@link PgProperties}: a database per class (cloned on first use, dropped after
 * the class), a clean state around every try (shrinking steps included), {@link Db} injection.
 */
public final class PgPropertiesHook implements AroundTryHook, ResolveParameterHook, AroundPropertyHook, AfterContainerHook {
    private static final Logger LOG = LoggerFactory.getLogger(PgPropertiesHook.class);
    private static final ThreadLocal<@Nullable TryState> CURRENT = new ThreadLocal<>();

    /** What one property class shares across its tries. */
    static final class ClassContext implements AutoCloseable {
        final Class<?> type;
        final MigrationSet migrations;
        final EngineConfig config;
        final Isolation isolation;
        private @Nullable ClassDatabase database;
        boolean anyFailed;
        /** The first connection fault of the running property, if any. */
        @Nullable Throwable fault;
        /** What stopped the running property: a configuration error, or a fault after which no try can run. */
        volatile @Nullable Throwable halt;
        int faultTry;
        final java.util.Map<String, Integer> modes = new java.util.concurrent.ConcurrentHashMap<>();
        /** Per property, what its last try needed: the next try starts there. */
        final java.util.Map<java.lang.reflect.Method, TryState.Mode> lastMode = new java.util.concurrent.ConcurrentHashMap<>();

        ClassContext(Class<?> type) {
            this.type = type;
            Settings settings = Settings.fromEnvironment();
            EngineConfig cfg = EngineConfig.from(settings);
            PgProperties a = type.getAnnotation(PgProperties.class);
            MigrationSet set = MigrationSet.fromConfig();
            Isolation iso = cfg.isolation();
            if (a != null) {
                if (a.migrations().length > 0) {
                    set = MigrationSet.of(a.migrations()).withPlaceholders(set.placeholders()).withPreset(set.preset());
                }
                if (!a.preset().isEmpty()) {
                    set = set.withPreset(a.preset());
                }
                for (String p : a.placeholders()) {
                    int eq = p.indexOf('=');
                    if (eq <= 0) {
                        throw new PgPropException("@PgProperties placeholder '" + p + "' on " + type.getName()
                                + " is not name=value; write it like \"embedding_dim=8\"");
                    }
                    set = set.withPlaceholder(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
                }
                java.util.Map<String, String> session = new java.util.TreeMap<>();
                for (String p : a.session()) {
                    int eq = p.indexOf('=');
                    if (eq <= 0) {
                        throw new PgPropException("@PgProperties session setting '" + p + "' on " + type.getName()
                                + " is not name=value; write it like \"hnsw.iterative_scan=strict_order\"");
                    }
                    session.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
                }
                cfg = cfg.withSession(session);
                if (a.isolation() != Isolation.AUTO) {
                    iso = a.isolation();
                }
            }
            this.migrations = set;
            this.isolation = iso;
            this.config = cfg;
        }

        synchronized ClassDatabase database() {
            if (database == null) {
                database = ClassDatabase.create(migrations, type.getSimpleName(), config);
            }
            return database;
        }

        /** After a failed cleanup: this database can no longer be trusted to be clean. */
        synchronized void replaceDatabase() {
            if (database != null) {
                try {
                    database.close();
                } catch (RuntimeException e) {
                    LOG.warn("pgprop: dropping the unclean database failed: {}", e.getMessage());
                }
                database = null;
            }
        }

        @Override
        public synchronized void close() {
            if (database == null) {
                return;
            }
            if (anyFailed && config.keepDatabaseOnFailure()) {
                database.keep();
                LOG.info("pgprop: kept database {} of {} (keepDatabaseOnFailure)", database.database().name(), type.getName());
            } else {
                database.close();
            }
            database = null;
        }
    }

    /**
     * The open class contexts. Not a jqwik {@code Store}: a store created by a property is scoped
     * to that property, so each property would get a database of its own, and the container hook
     * asking for the store after them met jqwik's "You cannot create Store ... conflicts with
     * existing Store" whenever one was still registered. The class's lifetime is this map's:
     * opened by its first property, closed by {@link #afterContainer}.
     */
    private static final java.util.Map<Class<?>, ClassContext> ACTIVE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The class that owns the database of a container: the container itself, or for a jqwik
     * {@code @Group} (an inner class) the class it is part of, so a group shares its class's
     * database and migrations.
     */
    static Class<?> owner(Class<?> type) {
        Class<?> c = type;
        while (c.getAnnotation(PgProperties.class) == null && c.getEnclosingClass() != null
                && !java.lang.reflect.Modifier.isStatic(c.getModifiers())) {
            c = c.getEnclosingClass();
        }
        return c;
    }

    private static ClassContext context(Class<?> type) {
        return ACTIVE.computeIfAbsent(owner(type), ClassContext::new);
    }

    /** The migration set of a {@link PgProperties} class in this run, if it has one. */
    public static Optional<MigrationSet> migrationsOf(Class<?> type) {
        return Optional.ofNullable(ACTIVE.get(owner(type))).map(cc -> cc.migrations);
    }

    /** The catalog of a class's database, if the class has one open. */
    public static Optional<dev.pgprop.dsl.internal.engine.Catalog> catalogOf(Class<?> type) {
        ClassContext cc = ACTIVE.get(owner(type));
        ClassDatabase db = cc == null ? null : cc.database;
        return db == null ? Optional.empty() : Optional.of(db.catalog());
    }

    /** Counts of the isolation modes the class's tries ran in, for the results file. */
    public static java.util.Map<String, Integer> modeCounts(Class<?> type) {
        ClassContext cc = ACTIVE.get(owner(type));
        return cc == null ? java.util.Map.of() : new java.util.TreeMap<>(cc.modes);
    }

    /**
     * The property runs in progress, by their test instance (jqwik makes one per property run).
     * jqwik shrinks on another thread and, when its time bound ({@code
     * jqwik.shrinking.bounded.seconds}) is reached, reports the best sample so far but leaves
     * that thread shrinking in the background: its tries would run on the class's database
     * alongside the next property's, and after the class ended on a database opened afresh. A
     * try whose property run has ended is therefore not run (see {@link #aroundTry}), and the
     * property does not end before its tries still running have.
     */
    private static final java.util.Map<Object, PropertyRun> RUNNING =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** One run of a property: open until the property returns; the tries running in it. */
    static final class PropertyRun {
        private boolean open = true;
        private int running;

        /** Counts a try in; false when the run has ended and the try must not run. */
        synchronized boolean enter() {
            if (!open) {
                return false;
            }
            running++;
            return true;
        }

        synchronized void exit() {
            running--;
            notifyAll();
        }

        /** Ends the run: no try starts any more; waits (boundedly) for the ones still running. */
        synchronized void close(java.time.Duration patience) {
            open = false;
            long deadline = System.nanoTime() + patience.toNanos();
            boolean interrupted = false;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("pgprop: {} try(s) of the ended property are still running after {}; not waiting longer",
                            running, patience);
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long a property that ends waits for its tries still running on jqwik's shrinking thread. */
    private static final java.time.Duration RUNNING_TRIES_PATIENCE = java.time.Duration.ofMinutes(5);

    /** The try running on this thread. */
    static TryState current() {
        TryState st = CURRENT.get();
        if (st == null) {
            throw new PgPropException("the Db parameter was used outside a try (in another thread, or after the property"
                    + " method returned); use it inside the property method, and Tx inside concurrent actions");
        }
        return st;
    }

    @Override
    public Optional<ParameterSupplier> resolve(ParameterResolutionContext parameterContext, LifecycleContext lifecycleContext) {
        if (parameterContext.typeUsage().isOfType(Db.class)) {
            return Optional.of(optionalTry -> Views.db(PgPropertiesHook::current));
        }
        return Optional.empty();
    }

    @Override
    public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        PropertyRun run = RUNNING.get(context.testInstance());
        if (run == null || !run.enter()) {
            // jqwik's shrinking outlived its time bound and goes on in the background: its
            // property has ended, so the try does not touch the database (an invalid try also
            // ends that shrinking soon)
            LOG.debug("pgprop: a try of {} after the property ended (its shrinking timed out) is not run", context.label());
            return TryExecutionResult.invalid();
        }
        try {
            return aroundOpenTry(context, aTry, parameters);
        } finally {
            run.exit();
        }
    }

    private TryExecutionResult aroundOpenTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
        ClassContext cc = context(context.containerClass());
        if (cc.halt != null) {
            return TryExecutionResult.invalid(cc.halt); // the rest of the property is not run; it fails at its end
        }
        TryState st;
        try {
            st = new TryState(cc.database(), cc.isolation, cc.lastMode.getOrDefault(context.targetMethod(), TryState.Mode.NONE));
        } catch (RuntimeException e) {
            // setting up the try is pgprop's side: never the sample's fault
            return halt(cc, context, e);
        }
        CURRENT.set(st);
        TryExecutionResult result;
        try {
            result = aTry.execute(parameters);
        } finally {
            CURRENT.remove();
            cc.modes.merge(st.mode().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            cc.lastMode.put(context.targetMethod(), st.needed());
        }
        Throwable thrown = result.isFalsified() ? result.throwable().orElse(null) : null;
        FailureKind kind = thrown == null ? FailureKind.COUNTEREXAMPLE : FailureKind.of(thrown);
        Throwable fault = kind == FailureKind.FAULT ? thrown : null;
        try {
            st.finish();
        } catch (RuntimeException e) {
            cc.replaceDatabase();
            LOG.warn("pgprop: {}; the class gets a fresh database for its next try", e.getMessage());
            if (thrown != null && kind == FailureKind.CONFIGURATION) {
                return halt(cc, context, thrown);
            }
            if (fault == null && FailureKind.of(e) != FailureKind.COUNTEREXAMPLE) {
                return halt(cc, context, e);
            }
            return fault != null ? faulted(cc, context, fault) : TryExecutionResult.falsified(e);
        }
        if (thrown instanceof CleanupException) {
            // the previous try's cleanup, sent with this try's first statements, failed: pgprop's side
            cc.replaceDatabase();
            return halt(cc, context, thrown);
        }
        if (thrown != null && kind == FailureKind.CONFIGURATION) {
            return halt(cc, context, thrown);
        }
        if (fault != null) {
            return faulted(cc, context, fault);
        }
        return result;
    }

    /**
     * A connection fault (SQLSTATE class 08, 57P01) is the environment failing, not a
     * counterexample: the try counts as invalid, so jqwik neither shrinks nor reports its sample,
     * and the property fails at its end with the fault (see {@link #aroundProperty}). When the
     * server itself is gone, the property stops here.
     */
    private static TryExecutionResult faulted(ClassContext cc, TryLifecycleContext context, Throwable fault) {
        Optional<dev.pgprop.dsl.FaultException> gone = ServerRuntime.current().flatMap(rt -> rt.checkGone(fault));
        if (gone.isPresent()) {
            cc.halt = gone.get();
            return TryExecutionResult.invalid(gone.get());
        }
        if (cc.fault == null) {
            cc.fault = fault;
        }
        // Sessions idle in the pool may have gone with the killed one: the next try opens new ones.
        try {
            cc.database().pool().evictIdle();
        } catch (RuntimeException e) {
            LOG.warn("pgprop: cannot close the idle sessions after a fault: {}", e.getMessage());
        }
        LOG.warn("pgprop: {} in {}: {}; not shrunk, the next try starts on fresh sessions",
                faultName(faultError(fault).sqlState()), context.label(), fault.getMessage());
        return TryExecutionResult.invalid(fault);
    }

    /**
     * Stops the property: a configuration error, or a failure of pgprop's own side of a try (the
     * class database, its cleanup) that is a fault. No further try runs; the property fails at
     * its end with this error, and no sample is shown.
     */
    private static TryExecutionResult halt(ClassContext cc, TryLifecycleContext context, Throwable error) {
        Throwable stop = error;
        if (FailureKind.of(error) != FailureKind.CONFIGURATION) {
            Optional<dev.pgprop.dsl.FaultException> gone = ServerRuntime.current().flatMap(rt -> rt.checkGone(error));
            stop = gone.isPresent() ? gone.get() : error instanceof dev.pgprop.dsl.FaultException f ? f
                    : new dev.pgprop.dsl.FaultException("a fault while pgprop prepared or cleaned up a try of " + context.label()
                            + " (not the sample's fault; not shrunk): " + error.getMessage() + ". " + logExcerpt(),
                            faultError(error), error);
        }
        cc.halt = stop;
        return TryExecutionResult.invalid(stop);
    }

    private static dev.pgprop.dsl.PgError faultError(Throwable fault) {
        return dev.pgprop.dsl.PgError.classify(fault).orElseGet(() -> new dev.pgprop.dsl.PgError(
                dev.pgprop.dsl.ErrorClass.CONNECTION_FAILURE, "08000", String.valueOf(fault.getMessage()), null, null, null, null,
                null));
    }

    /** The fault a SQLSTATE names, as the message's first words. */
    static String faultName(String sqlState) {
        return switch (sqlState) {
            case "53100" -> "disk full on the server (SQLSTATE 53100)";
            case "53200" -> "out of memory on the server (SQLSTATE 53200)";
            case "53300" -> "too many connections (SQLSTATE 53300)";
            default -> sqlState.startsWith("53") ? "the server ran out of a resource (SQLSTATE " + sqlState + ")"
                    : sqlState.startsWith("58") ? "an I/O error on the server (SQLSTATE " + sqlState + ")" : "connection fault";
        };
    }

    private static String faultAdvice(String sqlState) {
        return switch (sqlState) {
            case "53100" -> "Free space on the disk that holds the server's data (a local cluster lives under pgprop.tempDir, the"
                    + " system temp dir unless set; pgprop.minFreeDiskMb is the free disk it needs to start), then rerun.";
            case "53200" -> "Give the server more memory, or ask less of it in the actions (work_mem, the rows one statement"
                    + " builds), then rerun.";
            case "53300" -> "Raise the server's max_connections, or lower pgprop.concurrentSessions or pgprop.jvms; rerun to see"
                    + " whether it repeats.";
            default -> "Check the server's log and its connection limits; rerun to see whether it repeats.";
        };
    }

    private static String logExcerpt() {
        return ServerRuntime.current().map(ServerRuntime::logExcerpt).orElse("");
    }

    @Override
    public int aroundTryProximity() {
        return 10; // closest to the try: the clean state wraps only the property method
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        ClassContext cc = context(context.containerClass());
        // After the server died, the rest of the JVM fails at once with the same named fault.
        Optional<dev.pgprop.dsl.FaultException> gone = ServerRuntime.current().flatMap(ServerRuntime::gone);
        if (gone.isPresent()) {
            cc.anyFailed = true;
            throw gone.get();
        }
        // The server and the migrated database before any try: a migration that fails is a
        // configuration error, thrown here once for the property, never a counterexample to shrink.
        cc.database();
        cc.fault = null;
        cc.halt = null;
        PropertyRun run = new PropertyRun();
        Object instance = context.testInstance();
        RUNNING.put(instance, run);
        PropertyExecutionResult r;
        try {
            r = property.execute();
        } finally {
            run.close(RUNNING_TRIES_PATIENCE);
            RUNNING.remove(instance);
        }
        try {
            cc.database().flushDeferred(); // the last try's cleanup: the database is clean between properties
        } catch (RuntimeException e) {
            cc.replaceDatabase();
            if (r.status() != PropertyExecutionResult.Status.FAILED) {
                r = r.mapToFailed(e);
            }
        }
        Throwable fault = cc.fault;
        Throwable halt = cc.halt;
        cc.fault = null;
        cc.halt = null;
        if (halt != null) {
            cc.anyFailed = true;
            if (halt instanceof RuntimeException re) {
                throw re;
            }
            throw new dev.pgprop.dsl.PgPropException(String.valueOf(halt.getMessage()), halt);
        }
        if (fault != null && r.originalSample().isEmpty()) {
            dev.pgprop.dsl.PgError error = faultError(fault);
            r = r.mapToFailed(new dev.pgprop.dsl.FaultException(faultName(error.sqlState()) + ", not an invariant violation (the"
                    + " try was not shrunk; the following tries ran on fresh sessions): " + fault.getMessage() + ". "
                    + faultAdvice(error.sqlState()) + " " + logExcerpt(), error, fault));
        }
        if (r.status() == PropertyExecutionResult.Status.FAILED) {
            cc.anyFailed = true;
            if (r.throwable().orElse(null) instanceof InvariantViolationException iv) {
                r = r.mapToFailed(new InvariantFailure(iv));
            }
        }
        return r;
    }

    /**
     * Sessions the property left open on its class's database that pgprop did not open: they are
     * terminated, and a property that passed fails, naming them. Called from outside the
     * property's own {@code @AfterProperty} methods, which may still close what they opened.
     */
    public static PropertyExecutionResult reclaimLeaks(Class<?> type, PropertyExecutionResult r) {
        ClassContext cc = ACTIVE.get(owner(type));
        ClassDatabase open = cc == null ? null : cc.database;
        List<String> leaked = open == null ? List.of() : dev.pgprop.dsl.internal.engine.Leaks.reclaim(open);
        if (leaked.isEmpty() || open == null) {
            return r;
        }
        String message = "the property left " + leaked.size() + " session(s) open on " + open.database().name()
                + " that pgprop did not open: " + String.join("; ", leaked) + ". pgprop terminated them. Close what a"
                + " property opens (try-with-resources), or use db.jdbi() or db.handle(), whose sessions pgprop reclaims"
                + " after every try.";
        LOG.warn("pgprop: {}", message);
        return r.status() == PropertyExecutionResult.Status.FAILED ? r : r.mapToFailed(new PgPropException(message));
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        // a group's container ends before its class's: only the class's own end closes the database
        context.optionalContainerClass().filter(t -> owner(t) == t).map(ACTIVE::remove).ifPresent(cc -> {
            try {
                cc.close();
            } catch (RuntimeException e) {
                LOG.warn("pgprop: closing the database of {} failed: {}", cc.type.getName(), e.getMessage());
            }
        });
    }
}

package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.engine.ClassDatabase;
import dev.pgprop.dsl.internal.engine.EngineConfig;
import dev.pgprop.dsl.internal.engine.TryState;

/** Tries outside jqwik, for tests of the engine itself: one class database, one try at a time. */
final class TryHarness implements AutoCloseable {
    static final MigrationSet TINY = MigrationSet.of("classpath:pgprop-test/tiny");

    final ClassDatabase cls;
    private final Isolation isolation;
    private TryState current;
    private TryState.Mode last = TryState.Mode.NONE;
    private boolean remembering;

    TryHarness(String label) {
        this(label, Isolation.AUTO, new EngineConfig(Isolation.AUTO, "30s", "10s", false));
    }

    TryHarness(String label, Isolation isolation, EngineConfig config) {
        this(label, TINY, isolation, config);
    }

    TryHarness(String label, MigrationSet migrations) {
        this(label, migrations, Isolation.AUTO, new EngineConfig(Isolation.AUTO, "30s", "10s", false));
    }

    TryHarness(String label, MigrationSet migrations, Isolation isolation, EngineConfig config) {
        this.cls = ClassDatabase.create(migrations, label, config);
        this.isolation = isolation;
    }

    /** Runs one try: a fresh TryState (see {@link #remembering}), cleaned up afterwards. */
    void tryOnce(TryBody body) throws Exception {
        current = new TryState(cls, isolation, remembering ? last : TryState.Mode.NONE);
        try {
            body.run(new Db(() -> current));
        } finally {
            last = current.needed();
            current.finish();
        }
    }

    /** From now on each try starts where the previous one ended, as the tries of one property do. */
    TryHarness remembering() {
        remembering = true;
        return this;
    }

    /** Row count of a table, read outside any try (after the last try's cleanup, which may still be pending). */
    long count(String table) throws Exception {
        cls.flushDeferred();
        try (var c = cls.database().openConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        cls.close();
    }

    interface TryBody {
        void run(Db db) throws Exception;
    }
}

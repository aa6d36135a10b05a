package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.TestDatabase;
import dev.pgprop.dsl.Tx;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * How the engine builds the public views ({@link Db}, {@link Tx}, {@link CheckContext}, {@link
 * TestDatabase}) and reads a {@link Db}'s try, without public constructors: the public package
 * registers its factory here when {@link Db} initialises (the JDK's "shared secrets" pattern). The
 * engine never calls back into a public entry point ({@code PgProp}, {@code PgServer}).
 */
public final class Views {
    /** Implemented once, package-private, in {@code dev.pgprop.dsl}. */
    public interface Factory {
        Db db(Supplier<TryState> state);

        TryState tryState(Db db);

        Tx tx(Handle handle, int session, int attempt);

        CheckContext checkContext(Tx tx, @Nullable Outcome outcome, Dataset given, TryState tryState);

        TryState tryState(CheckContext ctx);

        TestDatabase testDatabase(ServerRuntime runtime, String name, MigrationSet migrations);
    }

    private static volatile @Nullable Factory factory;

    private Views() {}

    /** Called by {@code Db}'s static initialiser; a second registration is refused. */
    public static synchronized void register(Factory f) {
        if (factory != null) {
            throw new IllegalStateException("the public views' factory is registered already");
        }
        factory = f;
    }

    private static Factory factory() {
        Factory f = factory;
        if (f == null) {
            try {
                Class.forName(Db.class.getName(), true, Db.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new PgPropException("pgprop's Db class cannot be loaded: " + e, e);
            }
            f = factory;
            if (f == null) {
                throw new IllegalStateException("Db did not register the public views' factory");
            }
        }
        return f;
    }

    public static Db db(Supplier<TryState> state) {
        return factory().db(state);
    }

    public static TryState tryState(Db db) {
        return factory().tryState(db);
    }

    public static Tx tx(Handle handle, int session, int attempt) {
        return factory().tx(handle, session, attempt);
    }

    public static Tx tx(Handle handle, int session) {
        return tx(handle, session, 1);
    }

    public static CheckContext checkContext(Tx tx, @Nullable Outcome outcome, Dataset given, TryState tryState) {
        return factory().checkContext(tx, outcome, given, tryState);
    }

    /** The try an invariant is checked in. */
    public static TryState tryState(CheckContext ctx) {
        return factory().tryState(ctx);
    }

    /** The setting that makes every property class's database a mutant: SQL run after the migrations. */
    public static final String MUTATION_DDL = "mutation.ddl";

    /**
     * A new database cloned from the migration set's template on this JVM's server; with the
     * setting {@value #MUTATION_DDL} (set by the mutation analysis while it runs property
     * classes), that SQL is applied to it after the migrations.
     */
    public static TestDatabase createDatabase(MigrationSet migrations, String label) {
        ServerRuntime runtime = ServerRuntime.get();
        TestDatabase db = factory().testDatabase(runtime, runtime.createDatabase(migrations, label), migrations);
        String ddl = dev.pgprop.dsl.internal.Settings.fromEnvironment().get(MUTATION_DDL).orElse("");
        if (!ddl.isBlank()) {
            try (java.sql.Connection c = db.openConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute(ddl);
            } catch (java.sql.SQLException e) {
                db.close();
                throw new PgPropException("the mutant's DDL fails on " + db.name() + " (" + e.getSQLState() + "): " + e.getMessage()
                        + "; DDL: " + ddl, e);
            }
        }
        return db;
    }
}

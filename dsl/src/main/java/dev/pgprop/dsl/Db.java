package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.JdbiSetup;
import dev.pgprop.dsl.internal.engine.TryState;
import dev.pgprop.dsl.internal.engine.Views;
import java.sql.Connection;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The database of the current try, injected into property methods of a {@link PgProperties}
 * class. Start scenarios here; a plain JDBI {@link Handle} is always at hand.
 *
 * <pre>{@code
 * @Property
 * void shippedStaysShipped(@ForAll("datasets") Dataset data, Db db) {
 *     db.given(data)
 *       .whenRolledBack(tx -> tx.execute("update allocations set status = 'cancelled'"))
 *       .then(Invariants.noTrace(), Invariants.constraintsHold());
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Db {
    static {
        Views.register(new ViewFactory());
    }

    private final Supplier<TryState> state;

    /** Made by pgprop's jqwik hook through {@link Views}; {@code state} gives the current try. */
    Db(Supplier<TryState> state) {
        this.state = state;
    }

    TryState tryState() {
        return state.get();
    }

    /** A scenario that starts from this dataset. */
    public Scenario given(Dataset data) {
        return Scenario.of(this, data);
    }

    /** A scenario that starts from the clean database. */
    public Scenario scenario() {
        return Scenario.of(this, Dataset.empty());
    }

    /**
     * A JDBI handle on the try's main session. In a try that runs in one rolled-back transaction
     * the handle is inside it: don't commit on it (use {@link Scenario#whenCommitted}).
     */
    public Handle handle() {
        TryState st = tryState();
        return st.pool().handle(st.main());
    }

    /**
     * A JDBI instance whose handles are new sessions on the try's database. What they commit is
     * real; pgprop removes it after the try, whatever the isolation.
     */
    public Jdbi jdbi() {
        TryState st = tryState();
        return JdbiSetup.configure(Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return st.openExtra();
            }

            @Override
            public void closeConnection(Connection c) {
                // returned to the pool (reset) when the try ends
            }
        }));
    }

    /** Rows of a query on the try's main session. */
    public List<Row> rows(String sql, @Nullable Object... args) {
        return new Tx(handle(), 0).query(sql, args);
    }

    /** The isolation the current try runs in ({@code NONE} before its first scenario). */
    public String isolationInUse() {
        return tryState().mode().name();
    }

    /** The class's database (its name, URL, migration set). */
    public TestDatabase database() {
        TryState st = tryState();
        st.runPendingCleanup(); // a caller may connect on its own: the previous try's rows must be gone
        return st.classDatabase().database();
    }
}

package dev.pgprop.dsl;

import dev.pgprop.dsl.internal.engine.TryState;
import dev.pgprop.dsl.internal.engine.Views;
import dev.pgprop.dsl.internal.provision.ServerRuntime;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** The engine's way to the public views' package-private constructors (see {@link Views}). */
final class ViewFactory implements Views.Factory {
    @Override
    public Db db(Supplier<TryState> state) {
        return new Db(state);
    }

    @Override
    public TryState tryState(Db db) {
        return db.tryState();
    }

    @Override
    public Tx tx(Handle handle, int session, int attempt) {
        return new Tx(handle, session, attempt);
    }

    @Override
    public CheckContext checkContext(Tx tx, @Nullable Outcome outcome, Dataset given, TryState tryState) {
        return new CheckContext(tx, outcome, given, tryState);
    }

    @Override
    public TryState tryState(CheckContext ctx) {
        return ctx.tryState();
    }

    @Override
    public TestDatabase testDatabase(ServerRuntime runtime, String name, MigrationSet migrations) {
        return new TestDatabase(runtime, name, migrations);
    }
}

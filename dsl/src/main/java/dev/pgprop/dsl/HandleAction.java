package dev.pgprop.dsl;

import org.jdbi.v3.core.Handle;

/**
 * Actions on a plain JDBI {@link Handle} in autocommit mode: every statement commits unless the
 * action manages transactions itself ({@code handle.useTransaction(...)}).
 *
 * <pre>{@code
 * db.given(data).whenHandle(h -> h.useTransaction(t -> t.execute("delete from allocations")));
 * }</pre>
 */
@FunctionalInterface
public interface HandleAction {
    void run(Handle handle) throws Exception;
}

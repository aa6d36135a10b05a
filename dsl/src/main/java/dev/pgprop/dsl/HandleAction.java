package dev.pgprop.dsl;

import org.apiguardian.api.API;
import org.jdbi.v3.core.Handle;

/**
 * Actions on a plain JDBI {@link Handle} in autocommit mode: every statement commits unless the
 * action manages transactions itself ({@code handle.useTransaction(...)}).
 *
 * <pre>{@code
 * db.given(data).whenHandle(h -> h.useTransaction(t -> t.execute("delete from allocations")));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface HandleAction {
    void run(Handle handle) throws Exception;
}

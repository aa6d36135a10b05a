package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * The actions under test, run in one transaction (or one session of several).
 *
 * <pre>{@code
 * Action allocateOne = tx -> tx.call("allocate", "SKU-000001", 1);
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface Action {
    void run(Tx tx) throws Exception;
}

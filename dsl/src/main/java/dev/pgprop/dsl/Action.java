package dev.pgprop.dsl;

/**
 * The actions under test, run in one transaction (or one session of several).
 *
 * <pre>{@code
 * Action allocateOne = tx -> tx.call("allocate", "SKU-000001", 1);
 * }</pre>
 */
@FunctionalInterface
public interface Action {
    void run(Tx tx) throws Exception;
}

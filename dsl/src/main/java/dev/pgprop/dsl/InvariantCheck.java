package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * The body of a custom invariant: throw (an AssertJ or JUnit assertion, or {@link
 * CheckContext#fail}) when it does not hold.
 *
 * <pre>{@code
 * Invariant sane = Invariants.invariant("allocated matches the allocations", ctx ->
 *     assertThat(ctx.rows("select * from inventory i where allocated <> (select coalesce(sum(quantity), 0)"
 *         + " from allocations a where a.sku = i.sku and a.status <> 'cancelled')")).isEmpty());
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface InvariantCheck {
    void check(CheckContext ctx) throws Exception;
}

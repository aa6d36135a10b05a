package dev.pgprop.dsl.vector;

import org.apiguardian.api.API;

/**
 * One row of an exact search: its id and its distance to the query.
 *
 * <pre>{@code
 * List<Neighbour> top = oracle.topK(query, 10);
 * String nearest = top.get(0).id();
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Neighbour(String id, double distance) {}

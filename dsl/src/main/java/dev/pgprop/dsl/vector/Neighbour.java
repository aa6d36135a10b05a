package dev.pgprop.dsl.vector;

/**
 * One row of an exact search: its id and its distance to the query.
 *
 * <pre>{@code
 * List<Neighbour> top = oracle.topK(query, 10);
 * String nearest = top.get(0).id();
 * }</pre>
 */
public record Neighbour(String id, double distance) {}

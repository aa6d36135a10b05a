/**
 * The reference schema's Flyway migrations: inventory, allocations, payments and vectors.
 *
 * <p>The SQL lives on the classpath at {@value dev.pgprop.migrations.Migrations#LOCATION}; {@link
 * dev.pgprop.migrations.Migrations} names the location and its placeholders.
 */
@org.jspecify.annotations.NullMarked
package dev.pgprop.migrations;

/**
 * Records for the rows of the reference schema ({@code inventory}, {@code allocations}, {@code
 * payments}, {@code vectors}) and for what the generators draw. Records validate their values and
 * have no other behaviour.
 */
@NullMarked
package dev.pgprop.generators.model;

import org.jspecify.annotations.NullMarked;

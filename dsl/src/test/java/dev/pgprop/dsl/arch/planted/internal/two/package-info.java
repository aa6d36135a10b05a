/** Planted classes for the architecture rules' own tests. */
@NullMarked
package dev.pgprop.dsl.arch.planted.internal.two;

import org.jspecify.annotations.NullMarked;

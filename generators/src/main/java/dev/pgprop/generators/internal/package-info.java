/** Implementation of the generators; not an API. */
@NullMarked
package dev.pgprop.generators.internal;

import org.jspecify.annotations.NullMarked;

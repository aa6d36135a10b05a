/** Implementation of pgprop; not an API. */
@NullMarked
package dev.pgprop.dsl.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation of the constraint catalogue and the schema check. */
@NullMarked
package dev.pgprop.generators.internal.check;

import org.jspecify.annotations.NullMarked;

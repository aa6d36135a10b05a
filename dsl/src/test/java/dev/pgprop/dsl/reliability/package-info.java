/** What a user sees when the environment breaks, and what is left behind. */
@NullMarked
package dev.pgprop.dsl.reliability;

import org.jspecify.annotations.NullMarked;

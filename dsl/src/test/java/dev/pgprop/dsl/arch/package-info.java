/** The DSL's architecture rules and their tests. */
@NullMarked
package dev.pgprop.dsl.arch;

import org.jspecify.annotations.NullMarked;

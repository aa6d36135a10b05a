/** jqwik lifecycle hooks: database per class, clean state per try, parameter injection, seeds. */
@NullMarked
package dev.pgprop.dsl.internal.jqwik;

import org.jspecify.annotations.NullMarked;

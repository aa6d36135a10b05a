/** jqwik lifecycle hooks: database per class, clean state per try, parameter injection, seeds. */
@API(status = API.Status.INTERNAL, since = "0.1")
@NullMarked
package dev.pgprop.dsl.internal.jqwik;

import org.apiguardian.api.API;
import org.jspecify.annotations.NullMarked;

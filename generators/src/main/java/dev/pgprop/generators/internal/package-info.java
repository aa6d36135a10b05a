/** Implementation of the generators; not an API. */
@API(status = API.Status.INTERNAL, since = "0.1")
@NullMarked
package dev.pgprop.generators.internal;

import org.apiguardian.api.API;
import org.jspecify.annotations.NullMarked;

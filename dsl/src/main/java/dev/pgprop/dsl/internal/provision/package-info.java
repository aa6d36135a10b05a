/** Where a PostgreSQL server comes from: an external URL, Testcontainers, or local binaries. */
@API(status = API.Status.INTERNAL, since = "0.1")
@NullMarked
package dev.pgprop.dsl.internal.provision;

import org.apiguardian.api.API;
import org.jspecify.annotations.NullMarked;

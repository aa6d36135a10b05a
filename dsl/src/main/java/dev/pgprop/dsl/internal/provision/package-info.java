/** Where a PostgreSQL server comes from: an external URL, Testcontainers, or local binaries. */
@NullMarked
package dev.pgprop.dsl.internal.provision;

import org.jspecify.annotations.NullMarked;

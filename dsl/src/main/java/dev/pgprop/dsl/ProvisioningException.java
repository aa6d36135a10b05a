package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * No PostgreSQL server could be provided, or the one found cannot be used.
 *
 * <p>The message names each way to get a server: an existing one through {@code PGPROP_JDBC_URL},
 * a Docker engine for Testcontainers, or local PostgreSQL binaries (see
 * {@code docker/install-pgvector.sh}).
 *
 * <pre>{@code
 * // -Dpgprop.provider=local with no binaries installed:
 * PgProp.server(); // throws ProvisioningException: "... PostgreSQL binaries not found ..."
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class ProvisioningException extends PgPropException {
    private static final long serialVersionUID = 1L;

    public ProvisioningException(String message) {
        super(message);
    }

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * A {@code pgprop.*} setting has a value pgprop cannot use. The message names the key, the
 * value, where it came from, and what is accepted.
 *
 * <pre>{@code
 * // -Dpgprop.provider=kubernetes
 * PgProp.server(); // throws ConfigurationException: pgprop.provider must be one of auto, external, docker, local
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class ConfigurationException extends PgPropException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}

package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * The root of every exception pgprop throws. It is unchecked; subclasses carry the context of
 * what failed (SQL, SQLSTATE, table, seed) and their messages say how to fix it.
 *
 * <pre>{@code
 * try {
 *     PgProp.server();
 * } catch (PgPropException e) {
 *     System.err.println(e.getMessage()); // names what failed and the fix
 * }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class PgPropException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PgPropException(String message) {
        super(message);
    }

    public PgPropException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * The test environment broke (connection lost, server shutting down): not a property failure.
 *
 * <pre>{@code
 * // a server restarted mid-try surfaces as
 * // FaultException: connection failure [08006] ... (a fault of the environment, not an invariant violation)
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class FaultException extends ScenarioException {
    private static final long serialVersionUID = 1L;

    public FaultException(String message, PgError error, Throwable cause) {
        super(message, error, cause);
    }
}

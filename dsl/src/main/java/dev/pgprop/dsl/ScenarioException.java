package dev.pgprop.dsl;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A scenario could not run as written: an action failed with an error nothing expected, or the
 * scenario asks for something its isolation cannot give. Carries the classified error.
 *
 * <pre>{@code
 * // an unexpected check violation in an action:
 * db.given(data).whenCommitted(tx -> tx.execute("update inventory set on_hand = -1")).then();
 * // -> ScenarioException: ... CHECK_VIOLATION [23514] ... add .allowing(ErrorClass.CHECK_VIOLATION) ...
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class ScenarioException extends PgPropException {
    private static final long serialVersionUID = 1L;
    private final transient @Nullable PgError error;

    public ScenarioException(String message, @Nullable PgError error, @Nullable Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public @Nullable PgError error() {
        return error;
    }
}

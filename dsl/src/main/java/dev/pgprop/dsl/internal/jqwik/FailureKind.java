package dev.pgprop.dsl.internal.jqwik;

import dev.pgprop.dsl.ConfigurationException;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.MigrationException;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.ProvisioningException;

/**
 * The three ways a pgprop property fails, each with its own message, {@code results.jsonl} status
 * and place in the report: the setup is wrong (a configuration error: raised before any try,
 * never shrunk, no sample), the environment broke (a fault: never shrunk, names the server log),
 * or the property does not hold (a counterexample: shrunk, printed as SQL, replayable).
 */
public enum FailureKind {
    CONFIGURATION("configuration-error"),
    FAULT("fault"),
    COUNTEREXAMPLE("failed");

    private final String status;

    FailureKind(String status) {
        this.status = status;
    }

    /** The status of a property that failed this way in {@code results.jsonl}. */
    public String status() {
        return status;
    }

    /** The kind of a failure: a configuration error or a fault anywhere in the cause chain wins. */
    public static FailureKind of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConfigurationException || c instanceof ProvisioningException || c instanceof MigrationException) {
                return CONFIGURATION;
            }
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof FaultException) {
                return FAULT;
            }
        }
        return PgError.classify(t).map(e -> e.errorClass().isFault()).orElse(false) ? FAULT : COUNTEREXAMPLE;
    }
}

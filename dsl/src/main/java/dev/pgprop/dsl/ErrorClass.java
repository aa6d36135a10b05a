package dev.pgprop.dsl;

import org.apiguardian.api.API;

/**
 * What kind of PostgreSQL error happened, by SQLSTATE. Faults ({@link #CONNECTION_FAILURE},
 * {@link #ADMIN_SHUTDOWN}, {@link #RESOURCES_EXHAUSTED}, {@link #SYSTEM_ERROR}) mean the test environment broke, not that an invariant was violated.
 *
 * <pre>{@code
 * db.given(data)
 *   .whenCommitted(tx -> tx.execute("insert into payments ..."))
 *   .then(Invariants.rejectedWith(ErrorClass.UNIQUE_VIOLATION));
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ErrorClass {
    UNIQUE_VIOLATION("23505"),
    FOREIGN_KEY_VIOLATION("23503"),
    CHECK_VIOLATION("23514"),
    NOT_NULL_VIOLATION("23502"),
    EXCLUSION_VIOLATION("23P01"),
    /** Other integrity violations (class 23). */
    INTEGRITY_VIOLATION("23000"),
    SERIALIZATION_FAILURE("40001"),
    DEADLOCK("40P01"),
    LOCK_TIMEOUT("55P03"),
    /** 57014 from {@code statement_timeout}. */
    STATEMENT_TIMEOUT("57014"),
    /** 57014 from a cancel request. */
    QUERY_CANCELED("57014"),
    INSUFFICIENT_PRIVILEGE("42501"),
    /** Raised by user code: {@code RAISE EXCEPTION} (P0001). */
    RAISED("P0001"),
    /** Connection exceptions (class 08): a fault. */
    CONNECTION_FAILURE("08000"),
    /** The server is shutting down (57P01): a fault. */
    ADMIN_SHUTDOWN("57P01"),
    /** The server ran out of a resource (class 53: disk full, out of memory, too many connections): a fault. */
    RESOURCES_EXHAUSTED("53000"),
    /** The server's operating system failed it (class 58: an I/O error, a file it needs is gone): a fault. */
    SYSTEM_ERROR("58000"),
    OTHER("");

    private final String sqlState;

    ErrorClass(String sqlState) {
        this.sqlState = sqlState;
    }

    /** The SQLSTATE of this class (the class's generic code for classes of codes). */
    public String sqlState() {
        return sqlState;
    }

    /** A broken environment rather than a property's failure. */
    public boolean isFault() {
        return this == CONNECTION_FAILURE || this == ADMIN_SHUTDOWN || this == RESOURCES_EXHAUSTED || this == SYSTEM_ERROR;
    }

    /** An integrity constraint violation (class 23). */
    public boolean isConstraintViolation() {
        return sqlState.startsWith("23");
    }

    /** Errors after which retrying the transaction is the expected reaction. */
    public boolean isTransient() {
        return this == SERIALIZATION_FAILURE || this == DEADLOCK || this == LOCK_TIMEOUT;
    }

    /** The class of a SQLSTATE and message (the message tells a timeout from a cancel). */
    public static ErrorClass of(String sqlState, String message) {
        if (sqlState == null) {
            return OTHER;
        }
        switch (sqlState) {
            case "23505": return UNIQUE_VIOLATION;
            case "23503": return FOREIGN_KEY_VIOLATION;
            case "23514": return CHECK_VIOLATION;
            case "23502": return NOT_NULL_VIOLATION;
            case "23P01": return EXCLUSION_VIOLATION;
            case "40001": return SERIALIZATION_FAILURE;
            case "40P01": return DEADLOCK;
            case "55P03": return LOCK_TIMEOUT;
            case "57014":
                return message != null && message.contains("statement timeout") ? STATEMENT_TIMEOUT : QUERY_CANCELED;
            case "42501": return INSUFFICIENT_PRIVILEGE;
            case "P0001": return RAISED;
            case "57P01": case "57P02": case "57P03": return ADMIN_SHUTDOWN;
            default:
                if (sqlState.startsWith("08")) {
                    return CONNECTION_FAILURE;
                }
                if (sqlState.startsWith("23")) {
                    return INTEGRITY_VIOLATION;
                }
                if (sqlState.startsWith("53")) {
                    return RESOURCES_EXHAUSTED;
                }
                if (sqlState.startsWith("58")) {
                    return SYSTEM_ERROR;
                }
                return OTHER;
        }
    }
}

package dev.pgprop.generators.model;

import org.apiguardian.api.API;

/**
 * The values of {@code payments.status} (constraint {@code payments_status_valid}).
 *
 * <pre>{@code
 * PaymentStatus s = PaymentStatus.fromSql("captured");   // CAPTURED
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum PaymentStatus {
    PENDING("pending"),
    CAPTURED("captured"),
    REFUNDED("refunded"),
    FAILED("failed");

    private final String sqlValue;

    PaymentStatus(String sqlValue) {
        this.sqlValue = sqlValue;
    }

    /** The value stored in the column. */
    public String sqlValue() {
        return sqlValue;
    }

    /** The status stored as {@code value}; throws for a value the schema rejects. */
    public static PaymentStatus fromSql(String value) {
        for (PaymentStatus s : values()) {
            if (s.sqlValue.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a payment status; payments_status_valid allows"
                + " pending, captured, refunded and failed");
    }
}

package dev.pgprop.generators.model;

import org.apiguardian.api.API;

/**
 * The values of {@code allocations.status} (constraint {@code allocations_status_valid}). A
 * cancelled allocation does not count towards {@code inventory.allocated}.
 *
 * <pre>{@code
 * AllocationStatus s = AllocationStatus.fromSql("shipped");   // SHIPPED
 * String text = AllocationStatus.CANCELLED.sqlValue();       // "cancelled"
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum AllocationStatus {
    PENDING("pending"),
    ALLOCATED("allocated"),
    SHIPPED("shipped"),
    CANCELLED("cancelled");

    private final String sqlValue;

    AllocationStatus(String sqlValue) {
        this.sqlValue = sqlValue;
    }

    /** The value stored in the column. */
    public String sqlValue() {
        return sqlValue;
    }

    /** Whether an allocation with this status counts towards {@code inventory.allocated}. */
    public boolean holdsStock() {
        return this != CANCELLED;
    }

    /** The status stored as {@code value}; throws for a value the schema rejects. */
    public static AllocationStatus fromSql(String value) {
        for (AllocationStatus s : values()) {
            if (s.sqlValue.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not an allocation status; allocations_status_valid allows"
                + " pending, allocated, shipped and cancelled");
    }
}

package dev.pgprop.generators.internal;

import java.util.UUID;

/**
 * Keys derived from positions, so they stay unique however values shrink. UUIDs are readable: the
 * first digit names the table (a: allocation, b: payment, c: owner), then the positions.
 */
public final class Ids {
    private static final long ALLOCATION = 0xA000_0000_0000_0000L;
    private static final long PAYMENT = 0xB000_0000_0000_0000L;
    private static final long OWNER = 0xC000_0000_0000_0000L;

    private Ids() {}

    /** {@code SKU-000001} for index 0. */
    public static String sku(int index) {
        String digits = Integer.toString(index + 1);
        return "SKU-" + "000000".substring(digits.length()) + digits;
    }

    /** {@code a0000000-0000-0000-0000-000000000000} for item 0, allocation 0. */
    public static UUID allocation(int item, int allocation) {
        return new UUID(ALLOCATION | item, allocation);
    }

    /** {@code b0000000-0000-0000-0000-000000000000} for item 0, allocation 0, payment 0. */
    public static UUID payment(int item, int allocation, int payment) {
        return new UUID(PAYMENT | item, ((long) allocation << 32) | payment);
    }

    /** {@code c0000000-0000-0000-0000-000000000000} for owner 0. */
    public static UUID owner(int index) {
        return new UUID(OWNER, index);
    }

    /** {@code pay-0-0-0} for item 0, allocation 0, payment 0. */
    public static String idempotencyKey(int item, int allocation, int payment) {
        return "pay-" + item + "-" + allocation + "-" + payment;
    }

    /** {@code vec-000001} for index 0. */
    public static String vector(int index) {
        String digits = Integer.toString(index + 1);
        return digits.length() >= 6 ? "vec-" + digits : "vec-" + "000000".substring(digits.length()) + digits;
    }
}

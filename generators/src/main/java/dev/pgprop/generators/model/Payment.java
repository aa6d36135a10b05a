package dev.pgprop.generators.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A row of {@code payments}: a payment by an owner for an allocation.
 *
 * <pre>{@code
 * Payment p = new Payment(UUID.randomUUID(), allocation.id(), ownerId, 1999, "EUR", PaymentStatus.CAPTURED,
 *         "order-42", Instant.parse("2025-01-01T00:00:00Z"));
 * }</pre>
 *
 * @param id the primary key
 * @param allocationId an allocation ({@code payments_allocation_fk})
 * @param ownerId the user who owns the payment (row level security)
 * @param amountCents more than 0 ({@code payments_amount_positive})
 * @param currency three capital letters ({@code payments_currency_format})
 * @param status the status ({@code payments_status_valid})
 * @param idempotencyKey unique over all payments ({@code payments_idempotency_key_unique})
 * @param createdAt when it was created
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Payment(
        UUID id,
        UUID allocationId,
        UUID ownerId,
        long amountCents,
        String currency,
        PaymentStatus status,
        String idempotencyKey,
        Instant createdAt) {
    /** The format {@code payments_currency_format} requires. */
    public static final Pattern CURRENCY_FORMAT = Pattern.compile("^[A-Z]{3}$");

    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(allocationId, "allocationId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(createdAt, "createdAt");
        checkCurrency(currency);
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amount_cents " + amountCents + " of payment " + id
                    + " is not positive (payments_amount_positive)");
        }
    }

    /** Throws unless {@code currency} has the format of {@code payments_currency_format}. */
    public static String checkCurrency(String currency) {
        Objects.requireNonNull(currency, "currency");
        if (!CURRENCY_FORMAT.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency '" + currency
                    + "' does not match ^[A-Z]{3}$ (payments_currency_format); use an ISO code such as EUR");
        }
        return currency;
    }
}

package dev.pgprop.properties.payments;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static dev.pgprop.dsl.Invariants.rejectedWith;
import static dev.pgprop.dsl.Invariants.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Payments: idempotency keys are unique, an allocation with a payment cannot be deleted, and the
 * amount, currency and status rules hold for any input. The meta-tests run {@link
 * #deletingAnAllocationWithAPaymentIsRefused} against a schema without the foreign key.
 */
@PgProperties
public class PaymentProperties {
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final List<String> STATUSES = List.of("pending", "captured", "refunded", "failed");

    /** At least one payment: one inventory row, one allocation, one payment at the least. */
    @Provide
    Arbitrary<Dataset> withPayments() {
        return ReferenceArbitraries.datasets(DatasetSpec.defaults().withInventory(1, 3).withAllocationsPerItem(1, 3)
                .withPaymentsPerAllocation(1, 2));
    }

    static Row firstPayment(Dataset data) {
        return data.rows("payments").get(0);
    }

    /** The error of the actions' only failed step, with its constraint. */
    static Invariant refusedBy(String sqlState, String constraint) {
        return invariant("refused with " + sqlState + " by " + constraint, ctx -> {
            Optional<PgError> error = ctx.outcome().failures().stream().findFirst().flatMap(r -> r.error());
            assertThat(error).as("the write was refused").isPresent();
            assertThat(error.get().sqlState()).isEqualTo(sqlState);
            assertThat(error.get().constraint()).isEqualTo(constraint);
        });
    }

    /** The same idempotency key twice gives one payment; the second insert gets 23505. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void theSameIdempotencyKeyTwiceGivesOnePayment(@ForAll("withPayments") Dataset data, Db db) {
        Row p = firstPayment(data);
        String key = (String) p.get("idempotency_key");
        db.given(data)
                .whenCommitted(tx -> tx.execute("insert into payments (id, allocation_id, owner_id, amount_cents, currency,"
                        + " status, idempotency_key) values (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), p.get("allocation_id"),
                        p.get("owner_id"), p.get("amount_cents"), p.get("currency"), p.get("status"), key))
                .then(rejectedWith("23505"), refusedBy("23505", "payments_idempotency_key_unique"),
                        scalar("select count(*) from payments where idempotency_key = '" + key + "'").isEqualTo(1),
                        scalar("select count(*) from payments").isEqualTo(data.rowCount("payments")),
                        constraintsHold());
    }

    /** Deleting an allocation that has a payment is refused with 23503, and both rows stay. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void deletingAnAllocationWithAPaymentIsRefused(@ForAll("withPayments") Dataset data, Db db) {
        Object allocation = firstPayment(data).get("allocation_id");
        db.given(data)
                .whenCommitted(tx -> tx.execute("delete from allocations where id = ?", allocation))
                .then(rejectedWith("23503").named("deleting a paid allocation is refused with 23503"),
                        scalar("select count(*) from allocations where id = '" + allocation + "'").isEqualTo(1),
                        constraintsHold());
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.oneOf(Arbitraries.of("EUR", "USD", "JPY"),
                Arbitraries.strings().withChars("ABCXYZabcz09-").ofMinLength(0).ofMaxLength(4));
    }

    @Provide
    Arbitrary<String> statuses() {
        return Arbitraries.oneOf(Arbitraries.of(STATUSES), Arbitraries.of("Pending", "paid", "", "captured "),
                Arbitraries.strings().alpha().ofMaxLength(9));
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1_000_000), Arbitraries.longs(),
                Arbitraries.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE));
    }

    /**
     * Any amount, currency and status: the insert is accepted exactly when the model says the row
     * is valid, and otherwise refused by the constraint the model names. A currency longer than
     * char(3) fails before any constraint (22001); of several broken CHECKs PostgreSQL reports the
     * first by name.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void amountCurrencyAndStatusRulesHoldForAnyInput(@ForAll("withPayments") Dataset data, @ForAll("amounts") long amount,
            @ForAll("currencies") String currency, @ForAll("statuses") String status, Db db) {
        Row p = firstPayment(data);
        String padded = currency.length() < 3 ? currency + " ".repeat(3 - currency.length()) : currency;
        String expectedConstraint = null;
        String expectedState = null;
        if (currency.length() > 3) {
            expectedState = "22001";
        } else if (amount <= 0) {
            expectedState = "23514";
            expectedConstraint = "payments_amount_positive";
        } else if (!CURRENCY.matcher(padded).matches()) {
            expectedState = "23514";
            expectedConstraint = "payments_currency_format";
        } else if (!STATUSES.contains(status)) {
            expectedState = "23514";
            expectedConstraint = "payments_status_valid";
        }
        String state = expectedState;
        String constraint = expectedConstraint;
        db.given(data)
                .whenCommitted(tx -> tx.execute("insert into payments (id, allocation_id, owner_id, amount_cents, currency,"
                        + " status, idempotency_key) values (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID(), p.get("allocation_id"),
                        p.get("owner_id"), amount, currency, status, "key-" + UUID.randomUUID()))
                .allowing(ErrorClass.CHECK_VIOLATION, ErrorClass.OTHER)
                .then(invariant("accepted exactly when valid", ctx -> {
                    Optional<PgError> error = ctx.outcome().failures().stream().findFirst().flatMap(r -> r.error());
                    if (state == null) {
                        assertThat(error).as("a valid payment is accepted").isEmpty();
                        assertThat(ctx.scalar("select count(*) from payments")).isEqualTo((long) data.rowCount("payments") + 1);
                    } else {
                        assertThat(error).as("an invalid payment is refused").isPresent();
                        assertThat(error.get().sqlState()).isEqualTo(state);
                        assertThat(error.get().constraint()).isEqualTo(constraint);
                        assertThat(ctx.scalar("select count(*) from payments")).isEqualTo((long) data.rowCount("payments"));
                    }
                }), constraintsHold());
    }
}

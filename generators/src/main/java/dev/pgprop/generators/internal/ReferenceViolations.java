package dev.pgprop.generators.internal;

import static dev.pgprop.generators.ConstraintKind.CHECK;
import static dev.pgprop.generators.ConstraintKind.FOREIGN_KEY;
import static dev.pgprop.generators.ConstraintKind.PRIMARY_KEY;
import static dev.pgprop.generators.ConstraintKind.UNIQUE;
import static dev.pgprop.generators.ReferenceSchema.ALLOCATIONS;
import static dev.pgprop.generators.ReferenceSchema.INVENTORY;
import static dev.pgprop.generators.ReferenceSchema.PAYMENTS;
import static dev.pgprop.generators.ReferenceSchema.VECTORS;
import static dev.pgprop.generators.ViolationCase.forConstraint;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.InvalidRow;
import dev.pgprop.generators.InvalidRowCatalogue;
import dev.pgprop.generators.ReferenceSchema;
import dev.pgprop.generators.VectorSpec;
import dev.pgprop.generators.ViolationCase;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.InventoryItem;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.PaymentStatus;
import dev.pgprop.generators.model.ReferenceData;
import dev.pgprop.generators.model.VectorRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The invalid-row catalogue of the reference schema: one entry per named constraint and per NOT
 * NULL column. Each offending row breaks its constraint and, by construction, no other: parents
 * exist, stock covers what the row would allocate, keys that are not the point are distinct.
 */
public final class ReferenceViolations {
    private static final List<AllocationStatus> HOLDING =
            List.of(AllocationStatus.PENDING, AllocationStatus.ALLOCATED, AllocationStatus.SHIPPED);

    /** An inventory item with one allocation of its SKU, covered by its stock. */
    record Chain(InventoryItem item, Allocation allocation) {
        Dataset dataset() {
            return ReferenceSchema.dataset(new ReferenceData(List.of(item), List.of(allocation), List.of()));
        }
    }

    /** A chain and one payment for its allocation. */
    record PaidChain(Chain chain, Payment payment) {
        Dataset dataset() {
            return ReferenceSchema.dataset(
                    new ReferenceData(List.of(chain.item()), List.of(chain.allocation()), List.of(payment)));
        }
    }

    /** What a payment needs besides its id, allocation and idempotency key. */
    record PaymentValues(UUID owner, long amountCents, String currency, PaymentStatus status, Instant createdAt) {
        Payment toPayment(UUID id, UUID allocationId, String key) {
            return new Payment(id, allocationId, owner, amountCents, currency, status, key, createdAt);
        }
    }

    private ReferenceViolations() {}

    public static InvalidRowCatalogue catalogue(int embeddingDimension) {
        VectorSpec vectorSpec = VectorSpec.of(embeddingDimension);
        List<ViolationCase> e = new ArrayList<>();

        // inventory
        e.add(forConstraint(PRIMARY_KEY, INVENTORY, "inventory_pkey",
                Combinators.combine(items(), stock()).as((item, other) -> new InvalidRow(
                        ReferenceSchema.dataset(new ReferenceData(List.of(item), List.of(), List.of())), INVENTORY,
                        Row.of("sku", item.sku(), "on_hand", other)))));
        e.add(forConstraint(CHECK, INVENTORY, "inventory_sku_format",
                Combinators.combine(badSkus(), stock()).as((sku, n) ->
                        new InvalidRow(Dataset.empty(), INVENTORY, Row.of("sku", sku, "on_hand", n)))));
        e.add(forConstraint(CHECK, INVENTORY, "inventory_on_hand_nonneg",
                Combinators.combine(RowArbitraries.skus(), Arbitraries.integers().between(Integer.MIN_VALUE, -1))
                        .as((sku, n) -> new InvalidRow(Dataset.empty(), INVENTORY, Row.of("sku", sku, "on_hand", n))))
                .withAlsoBroken("inventory_not_oversold"));
        e.add(forConstraint(CHECK, INVENTORY, "inventory_allocated_nonneg",
                Combinators.combine(RowArbitraries.skus(), stock(), Arbitraries.integers().between(Integer.MIN_VALUE, -1))
                        .as((sku, n, allocated) -> new InvalidRow(Dataset.empty(), INVENTORY,
                                Row.of("sku", sku, "on_hand", n, "allocated", allocated)))));
        e.add(forConstraint(CHECK, INVENTORY, "inventory_not_oversold", Arbitraries.oneOf(
                // written directly: allocated above on_hand
                Combinators.combine(RowArbitraries.skus(), Arbitraries.integers().between(0, 1_000_000),
                                Arbitraries.integers().between(1, 1_000_000))
                        .as((sku, n, excess) -> new InvalidRow(Dataset.empty(), INVENTORY,
                                Row.of("sku", sku, "on_hand", n, "allocated", n + excess))),
                // through the trigger: an allocation larger than the free stock
                Combinators.combine(RowArbitraries.skus(), Arbitraries.integers().between(0, 999),
                                Arbitraries.integers().between(1, 1000), RowArbitraries.uuids(), Arbitraries.of(HOLDING),
                                RowArbitraries.allocationTimes())
                        .as((sku, n, extra, id, status, at) -> new InvalidRow(itemOnly(sku, n), ALLOCATIONS,
                                ReferenceSchema.row(new Allocation(id, sku, Math.min(1000, n + extra), status, at)))))));

        // allocations
        e.add(forConstraint(PRIMARY_KEY, ALLOCATIONS, "allocations_pkey",
                Combinators.combine(chains(), RowArbitraries.quantities(), RowArbitraries.allocationStatuses(),
                                RowArbitraries.allocationTimes())
                        .as((chain, q, status, at) -> {
                            Allocation first = chain.allocation();
                            InventoryItem item = new InventoryItem(chain.item().sku(),
                                    chain.item().onHand() + (status.holdsStock() ? q : 0));
                            Dataset setup = new Chain(item, first).dataset();
                            return new InvalidRow(setup, ALLOCATIONS,
                                    ReferenceSchema.row(new Allocation(first.id(), item.sku(), q, status, at)));
                        })));
        e.add(forConstraint(FOREIGN_KEY, ALLOCATIONS, "allocations_sku_fk",
                Combinators.combine(Arbitraries.integers().between(0, 999_997), Arbitraries.integers().between(1, 1000),
                                stock(), RowArbitraries.allocations())
                        .as((index, offset, n, a) -> {
                            InventoryItem other = new InventoryItem(Ids.sku(index), n);
                            String missing = Ids.sku((index + offset) % 999_999);
                            return new InvalidRow(itemOnly(other.sku(), other.onHand()), ALLOCATIONS,
                                    ReferenceSchema.row(a).with("sku", missing));
                        })));
        e.add(forConstraint(CHECK, ALLOCATIONS, "allocations_quantity_range", Arbitraries.oneOf(
                // above 1000, with the stock to cover it
                Combinators.combine(Arbitraries.integers().between(1001, Integer.MAX_VALUE / 2), slack(),
                                RowArbitraries.allocations())
                        .as((q, slack, a) -> new InvalidRow(itemOnly(a.sku(), q + slack), ALLOCATIONS,
                                ReferenceSchema.row(a).with("quantity", q))),
                // 0 or down to -1000: an allocation of 1000 already holds the units it would release
                Combinators.combine(Arbitraries.integers().between(-1000, 0), chains(), RowArbitraries.allocations())
                        .as((q, chain, a) -> {
                            Allocation holder = new Allocation(chain.allocation().id(), chain.item().sku(), 1000,
                                    AllocationStatus.ALLOCATED, chain.allocation().allocatedAt());
                            InventoryItem item = new InventoryItem(chain.item().sku(), 1000 + chain.item().onHand());
                            UUID id = a.id().equals(holder.id()) ? next(a.id()) : a.id();
                            return new InvalidRow(new Chain(item, holder).dataset(), ALLOCATIONS,
                                    ReferenceSchema.row(new Allocation(id, item.sku(), 1, a.status(), a.allocatedAt()))
                                            .with("quantity", q));
                        }),
                // below -1000, cancelled so that it holds nothing
                Combinators.combine(Arbitraries.integers().between(Integer.MIN_VALUE, -1001), stock(),
                                RowArbitraries.allocations())
                        .as((q, n, a) -> new InvalidRow(itemOnly(a.sku(), n), ALLOCATIONS,
                                ReferenceSchema.row(a).with("quantity", q).with("status", "cancelled"))))));
        e.add(forConstraint(CHECK, ALLOCATIONS, "allocations_status_valid",
                Combinators.combine(badStatuses(AllocationStatus.PENDING.sqlValue(), AllocationStatus.ALLOCATED.sqlValue(),
                                AllocationStatus.SHIPPED.sqlValue(), AllocationStatus.CANCELLED.sqlValue()),
                                slack(), RowArbitraries.allocations())
                        .as((status, slack, a) -> new InvalidRow(itemOnly(a.sku(), a.quantity() + slack), ALLOCATIONS,
                                ReferenceSchema.row(a).with("status", status)))));

        // payments
        e.add(forConstraint(PRIMARY_KEY, PAYMENTS, "payments_pkey",
                Combinators.combine(paidChains(), paymentValues(), RowArbitraries.text(64))
                        .as((paid, values, key) -> {
                            String otherKey = key.equals(paid.payment().idempotencyKey()) ? key + "-2" : key;
                            return new InvalidRow(paid.dataset(), PAYMENTS, ReferenceSchema.row(
                                    values.toPayment(paid.payment().id(), paid.chain().allocation().id(), otherKey)));
                        })));
        e.add(forConstraint(FOREIGN_KEY, PAYMENTS, "payments_allocation_fk",
                Combinators.combine(chains(), RowArbitraries.payments())
                        .as((chain, p) -> {
                            UUID missing = p.allocationId().equals(chain.allocation().id())
                                    ? next(p.allocationId()) : p.allocationId();
                            return new InvalidRow(chain.dataset(), PAYMENTS,
                                    ReferenceSchema.row(p).with("allocation_id", missing));
                        })));
        e.add(forConstraint(CHECK, PAYMENTS, "payments_amount_positive",
                Combinators.combine(chains(), RowArbitraries.payments(), Arbitraries.longs().between(Long.MIN_VALUE, 0))
                        .as((chain, p, amount) -> new InvalidRow(chain.dataset(), PAYMENTS,
                                ReferenceSchema.row(p).with("allocation_id", chain.allocation().id())
                                        .with("amount_cents", amount)))));
        e.add(forConstraint(CHECK, PAYMENTS, "payments_currency_format",
                Combinators.combine(chains(), RowArbitraries.payments(), badCurrencies())
                        .as((chain, p, currency) -> new InvalidRow(chain.dataset(), PAYMENTS,
                                ReferenceSchema.row(p).with("allocation_id", chain.allocation().id())
                                        .with("currency", currency)))));
        e.add(forConstraint(CHECK, PAYMENTS, "payments_status_valid",
                Combinators.combine(chains(), RowArbitraries.payments(),
                                badStatuses(PaymentStatus.PENDING.sqlValue(), PaymentStatus.CAPTURED.sqlValue(),
                                        PaymentStatus.REFUNDED.sqlValue(), PaymentStatus.FAILED.sqlValue()))
                        .as((chain, p, status) -> new InvalidRow(chain.dataset(), PAYMENTS,
                                ReferenceSchema.row(p).with("allocation_id", chain.allocation().id())
                                        .with("status", status)))));
        e.add(forConstraint(UNIQUE, PAYMENTS, "payments_idempotency_key_unique",
                Combinators.combine(paidChains(), paymentValues(), RowArbitraries.uuids())
                        .as((paid, values, id) -> {
                            UUID otherId = id.equals(paid.payment().id()) ? next(id) : id;
                            return new InvalidRow(paid.dataset(), PAYMENTS, ReferenceSchema.row(values.toPayment(
                                    otherId, paid.chain().allocation().id(), paid.payment().idempotencyKey())));
                        })));

        // vectors
        Arbitrary<VectorRow> vectorRows = Combinators.combine(RowArbitraries.text(20),
                        VectorArbitraries.vectors(vectorSpec), Arbitraries.of(VectorArbitraries.CATEGORIES))
                .as((id, v, category) -> new VectorRow(id, v, Map.of("category", category)));
        e.add(forConstraint(PRIMARY_KEY, VECTORS, "vectors_pkey",
                Combinators.combine(vectorRows, vectorRows)
                        .as((first, second) -> new InvalidRow(ReferenceSchema.vectorDataset(List.of(first)), VECTORS,
                                ReferenceSchema.row(second).with("id", first.id())))));
        e.add(forConstraint(CHECK, VECTORS, "vectors_metadata_object",
                Combinators.combine(vectorRows, jsonArrays())
                        .as((v, array) -> new InvalidRow(Dataset.empty(), VECTORS,
                                ReferenceSchema.row(v).with("metadata", array)))));

        // NOT NULL columns: a complete valid row with one column set to null
        notNull(e, INVENTORY, List.of("sku", "on_hand", "allocated"), RowArbitraries.inventoryItems()
                .map(item -> new InvalidRow(Dataset.empty(), INVENTORY, ReferenceSchema.row(item).with("allocated", 0))));
        notNull(e, ALLOCATIONS, List.of("id", "sku", "quantity", "status", "allocated_at"),
                Combinators.combine(RowArbitraries.allocations(), slack())
                .as((a, slack) -> new InvalidRow(itemOnly(a.sku(), a.quantity() + slack), ALLOCATIONS, ReferenceSchema.row(a))));
        notNull(e, PAYMENTS, List.of("id", "allocation_id", "owner_id", "amount_cents", "currency", "status",
                        "idempotency_key", "created_at"),
                Combinators.combine(chains(), RowArbitraries.payments())
                .as((chain, p) -> new InvalidRow(chain.dataset(), PAYMENTS,
                        ReferenceSchema.row(p).with("allocation_id", chain.allocation().id()))));
        notNull(e, VECTORS, List.of("id", "embedding", "metadata", "created_at"), vectorRows.map(v ->
                new InvalidRow(Dataset.empty(), VECTORS, ReferenceSchema.row(v).with("created_at", RowArbitraries.EPOCH))));
        return new InvalidRowCatalogue(e, embeddingDimension);
    }

    /** One entry per column, each drawing a base row (which has all the columns) with that column set to null. */
    private static void notNull(List<ViolationCase> entries, String table, List<String> columns, Arbitrary<InvalidRow> base) {
        for (String column : columns) {
            entries.add(ViolationCase.forNotNull(table, column, base.map(r -> {
                if (!r.row().has(column)) {
                    throw new IllegalStateException("the base row of " + table + " has no column " + column);
                }
                return new InvalidRow(r.setup(), r.table(), r.row().with(column, null));
            })));
        }
    }

    /** Another UUID than {@code id}. */
    private static UUID next(UUID id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits() + 1);
    }

    private static Dataset itemOnly(String sku, int onHand) {
        return ReferenceSchema.dataset(new ReferenceData(List.of(new InventoryItem(sku, onHand)), List.of(), List.of()));
    }

    private static Arbitrary<Integer> stock() {
        return Arbitraries.integers().between(0, 1_000_000);
    }

    private static Arbitrary<Integer> slack() {
        return Arbitraries.integers().between(0, 100);
    }

    private static Arbitrary<InventoryItem> items() {
        return Combinators.combine(RowArbitraries.skus(), stock()).as(InventoryItem::new);
    }

    private static Arbitrary<Chain> chains() {
        return Combinators.combine(RowArbitraries.allocations(), slack())
                .as((a, slack) -> new Chain(new InventoryItem(a.sku(), (a.status().holdsStock() ? a.quantity() : 0) + slack), a));
    }

    private static Arbitrary<PaymentValues> paymentValues() {
        return Combinators.combine(RowArbitraries.uuids(), RowArbitraries.amounts(), RowArbitraries.currencies(),
                        RowArbitraries.paymentStatuses(), RowArbitraries.allocationTimes())
                .as(PaymentValues::new);
    }

    private static Arbitrary<PaidChain> paidChains() {
        return Combinators.combine(chains(), RowArbitraries.uuids(), paymentValues(), RowArbitraries.text(64))
                .as((chain, id, values, key) -> new PaidChain(chain, values.toPayment(id, chain.allocation().id(), key)));
    }

    /** Near misses of {@code SKU-} and six digits, and other text. */
    static Arbitrary<String> badSkus() {
        Arbitrary<String> sixDigits = Arbitraries.strings().numeric().ofLength(6);
        return Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMaxLength(12).filter(d -> d.length() != 6).map(d -> "SKU-" + d),
                Combinators.combine(Arbitraries.of("sku-", "Sku-", "SKU_", "SKU", "SK-", "SKU--", " SKU-", "ABC-", ""), sixDigits)
                        .as((prefix, d) -> prefix + d),
                Combinators.combine(sixDigits, Arbitraries.of("\n", " ", "x", "0", "-"))
                        .as((d, suffix) -> "SKU-" + d + suffix),
                // a letter, a blank, a dash, an Arabic-Indic and a full-width digit in place of a digit
                Combinators.combine(sixDigits, Arbitraries.integers().between(0, 5),
                                Arbitraries.of('a', 'O', ' ', '-', '\u0663', '\uff10'))
                        .as((d, at, c) -> "SKU-" + d.substring(0, at) + c + d.substring(at + 1)),
                RowArbitraries.text(12).filter(s -> !InventoryItem.SKU_FORMAT.matcher(s).matches()));
    }

    /** Texts that are none of {@code valid}: other case, other spelling, padding, and other text. */
    static Arbitrary<String> badStatuses(String... valid) {
        List<String> allowed = List.of(valid);
        List<String> nearMisses = new ArrayList<>();
        for (String v : valid) {
            nearMisses.add(v.toUpperCase(java.util.Locale.ROOT));
            nearMisses.add(Character.toUpperCase(v.charAt(0)) + v.substring(1));
            nearMisses.add(v + " ");
            nearMisses.add(" " + v);
            nearMisses.add(v.substring(0, v.length() - 1));
            nearMisses.add(v + "\n");
        }
        nearMisses.add("");
        nearMisses.add("canceled");
        return Arbitraries.oneOf(Arbitraries.of(nearMisses), RowArbitraries.text(16).filter(s -> !allowed.contains(s)));
    }

    /**
     * Texts of at most 3 characters (longer ones fail the char(3) type, 22001, before any check)
     * that are not three capital letters once the trailing blanks char(3) ignores are dropped.
     */
    static Arbitrary<String> badCurrencies() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('Ä', 'é', 'ß').ofMaxLength(3)
                .filter(s -> !Payment.CURRENCY_FORMAT.matcher(s.replaceAll(" +$", "")).matches());
    }

    /** JSON arrays (a JSON value that is not an object): empty, of scalars, of objects. */
    static Arbitrary<List<Object>> jsonArrays() {
        Arbitrary<Object> element = Arbitraries.oneOf(
                Arbitraries.integers().between(-1000, 1000).map(i -> (Object) i),
                RowArbitraries.text(8).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.of("a", "b").map(k -> (Object) Map.of(k, 1)));
        return element.list().ofMaxSize(4).map(l -> List.copyOf(l));
    }
}

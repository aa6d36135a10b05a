package dev.pgprop.properties.queries;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static dev.pgprop.dsl.Invariants.invariant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import dev.pgprop.generators.DatasetSpec;
import dev.pgprop.generators.ReferenceArbitraries;
import dev.pgprop.generators.ReferenceSchema;
import dev.pgprop.generators.model.Allocation;
import dev.pgprop.generators.model.AllocationStatus;
import dev.pgprop.generators.model.Payment;
import dev.pgprop.generators.model.ReferenceData;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Allocation and payment queries against a plain Java model of the dataset: the model predicts
 * what each query returns, and the database must agree (order ignored where the query has none).
 */
@PgProperties
public class QueryProperties {
    @Provide
    Arbitrary<ReferenceData> data() {
        return ReferenceArbitraries.referenceData(DatasetSpec.defaults());
    }

    @Provide
    Arbitrary<AllocationStatus> statuses() {
        return Arbitraries.of(AllocationStatus.class);
    }

    /** Allocations by status: exactly the model's allocations with that status. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void allocationsByStatus(@ForAll("data") ReferenceData model, @ForAll("statuses") AllocationStatus status, Db db) {
        List<Row> expected = new ArrayList<>();
        for (Allocation a : model.allocations()) {
            if (a.status() == status) {
                expected.add(Row.of("id", a.id(), "sku", a.sku(), "quantity", a.quantity()));
            }
        }
        db.given(ReferenceSchema.dataset(model)).then(invariant("allocations by status match the model", ctx ->
                assertThat(ctx.rows("select id, sku, quantity from allocations where status = ?", status.sqlValue()))
                        .containsExactlyInAnyOrderElementsOf(expected)), constraintsHold());
    }

    /**
     * Allocations of one SKU, ordered by quantity then id: the model's, in the same order. The SKU
     * is one of the dataset's or, past its end, one that does not exist.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void allocationsBySku(@ForAll("data") ReferenceData model, @ForAll @IntRange(min = 0, max = 8) int index, Db db) {
        String sku = index < model.inventory().size() ? model.inventory().get(index).sku() : "SKU-999999";
        List<Row> expected = model.allocations().stream().filter(a -> a.sku().equals(sku))
                .sorted((x, y) -> x.quantity() != y.quantity() ? Integer.compare(x.quantity(), y.quantity())
                        : x.id().toString().compareTo(y.id().toString()))
                .map(a -> Row.of("id", a.id(), "quantity", a.quantity(), "status", a.status().sqlValue())).toList();
        db.given(ReferenceSchema.dataset(model)).then(invariant("allocations by SKU match the model", ctx ->
                assertThat(ctx.rows("select id, quantity, status from allocations where sku = ? order by quantity, id::text"
                        + " collate \"C\"", sku)).containsExactlyElementsOf(expected)), constraintsHold());
    }

    /** Totals per SKU: every SKU with the sum of its live allocations (0 without any), and its free stock. */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void totalsPerSku(@ForAll("data") ReferenceData model, Db db) {
        Map<String, Integer> allocated = model.allocatedBySku();
        List<Row> expected = model.inventory().stream().map(i -> Row.of("sku", i.sku(),
                "total", (long) allocated.getOrDefault(i.sku(), 0),
                "free", (long) (i.onHand() - allocated.getOrDefault(i.sku(), 0)))).toList();
        db.given(ReferenceSchema.dataset(model)).then(invariant("totals per SKU match the model", ctx ->
                assertThat(ctx.rows("select i.sku, coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0)::bigint"
                        + " as total, (i.on_hand - coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0))::bigint"
                        + " as free from inventory i left join allocations a on a.sku = i.sku group by i.sku, i.on_hand"))
                        .containsExactlyInAnyOrderElementsOf(expected)), constraintsHold());
    }

    /**
     * Payments per owner: count and total amount per owner (a numeric: amounts go up to the bigint
     * maximum, so totals exceed it), owners without payments absent.
     */
    @Property(tries = 100, generation = GenerationMode.RANDOMIZED)
    void paymentsPerOwner(@ForAll("data") ReferenceData model, Db db) {
        Map<UUID, Long> count = new TreeMap<>();
        Map<UUID, BigInteger> total = new TreeMap<>();
        for (Payment p : model.payments()) {
            count.merge(p.ownerId(), 1L, Long::sum);
            total.merge(p.ownerId(), BigInteger.valueOf(p.amountCents()), BigInteger::add);
        }
        List<Row> expected = new ArrayList<>();
        count.forEach((owner, n) -> expected.add(Row.of("owner_id", owner, "payments", n, "total",
                new BigDecimal(total.get(owner)))));
        db.given(ReferenceSchema.dataset(model)).then(invariant("payments per owner match the model", ctx ->
                assertThat(ctx.rows("select owner_id, count(*) as payments, sum(amount_cents) as total"
                        + " from payments group by owner_id")).containsExactlyInAnyOrderElementsOf(expected)), constraintsHold());
    }
}

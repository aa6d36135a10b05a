package dev.pgprop.properties.inventory;

import static dev.pgprop.dsl.Invariants.constraintsHold;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Stock, stateful: chains of allocate, cancel, ship, change quantity, restock and delete against
 * a plain model of the stock. After every step {@code inventory.allocated} is the sum of the live
 * (not cancelled) quantities, in the database and in the model; {@code allocate} refuses with
 * 'out of stock' exactly when the model says the free stock is short, and no write ever allocates
 * more than is on hand.
 */
@PgProperties
public class StockMachineProperties {
    static final int SKUS = 3;
    static final int INITIAL_ON_HAND = 6;
    private static final ThreadLocal<@Nullable Handle> HANDLE = new ThreadLocal<>();

    static String sku(int i) {
        return String.format("SKU-%06d", i + 1);
    }

    record Alloc(String sku, int quantity, String status) {
        int live() {
            return status.equals("cancelled") ? 0 : quantity;
        }
    }

    /** The model, and the session it drives. */
    static final class Stock {
        final Handle h;
        final Map<String, Integer> onHand = new TreeMap<>();
        final Map<UUID, Alloc> allocations = new LinkedHashMap<>();

        Stock(Handle h) {
            this.h = h;
            for (int i = 0; i < SKUS; i++) {
                onHand.put(sku(i), INITIAL_ON_HAND);
            }
        }

        int allocated(String sku) {
            return allocations.values().stream().filter(a -> a.sku().equals(sku)).mapToInt(Alloc::live).sum();
        }

        List<UUID> ids(boolean includeCancelled) {
            List<UUID> out = new ArrayList<>();
            allocations.forEach((id, a) -> {
                if (includeCancelled || !a.status().equals("cancelled")) {
                    out.add(id);
                }
            });
            return out;
        }

        /**
         * The allocation at position {@code k} (modulo their number) among the live ones, or all of
         * them; empty when there is none. Transformers pick allocations by position, not by id:
         * ids are random per run, and a shrunk chain must still find its allocations.
         */
        Optional<UUID> pick(int k, boolean includeCancelled) {
            List<UUID> ids = ids(includeCancelled);
            return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(k % ids.size()));
        }

        /** Runs a write; empty when it succeeded, else the classified error. */
        Optional<PgError> attempt(String sql, Object... args) {
            try {
                h.execute(sql, args);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(PgError.classify(e).orElseThrow(() -> e));
            }
        }

        void allocate(String sku, int quantity) {
            int free = onHand.get(sku) - allocated(sku);
            UUID id = null;
            PgError error = null;
            try {
                id = h.select("select allocate(?, ?)", sku, quantity).mapTo(UUID.class).one();
            } catch (RuntimeException e) {
                error = PgError.classify(e).orElseThrow(() -> e);
            }
            if (quantity > free) {
                assertThat(error).as("allocate(%s, %d) with %d free must refuse", sku, quantity, free).isNotNull();
                assertThat(error.sqlState()).isEqualTo("P0001");
                assertThat(error.message()).isEqualTo("out of stock");
            } else {
                assertThat(error).as("allocate(%s, %d) with %d free must succeed", sku, quantity, free).isNull();
                allocations.put(id, new Alloc(sku, quantity, "allocated"));
            }
        }

        void setStatus(UUID id, String status) {
            Alloc a = allocations.get(id);
            Alloc changed = new Alloc(a.sku(), a.quantity(), status);
            expectOversoldRefusalOr(attempt("update allocations set status = ? where id = ?", status, id), a, changed);
        }

        void setQuantity(UUID id, int quantity) {
            Alloc a = allocations.get(id);
            Alloc changed = new Alloc(a.sku(), quantity, a.status());
            expectOversoldRefusalOr(attempt("update allocations set quantity = ? where id = ?", quantity, id), a, changed);
        }

        private void expectOversoldRefusalOr(Optional<PgError> error, Alloc before, Alloc after) {
            int wouldBe = allocated(before.sku()) - before.live() + after.live();
            if (wouldBe > onHand.get(before.sku())) {
                assertThat(error).as("a change to %d allocated of %d on hand must be refused", wouldBe, onHand.get(before.sku()))
                        .hasValueSatisfying(e -> assertThat(e.constraint()).isEqualTo("inventory_not_oversold"));
            } else {
                assertThat(error).as("a change to %d allocated of %d on hand", wouldBe, onHand.get(before.sku())).isEmpty();
                allocations.entrySet().stream().filter(e -> e.getValue() == before).findFirst()
                        .ifPresent(e -> e.setValue(after));
            }
        }

        void restock(String sku, int newOnHand) {
            Optional<PgError> error = attempt("update inventory set on_hand = ? where sku = ?", newOnHand, sku);
            if (newOnHand < allocated(sku)) {
                assertThat(error).as("on hand %d below %d allocated must be refused", newOnHand, allocated(sku))
                        .hasValueSatisfying(e -> assertThat(e.constraint()).isEqualTo("inventory_not_oversold"));
            } else {
                assertThat(error).isEmpty();
                onHand.put(sku, newOnHand);
            }
        }

        void delete(UUID id) {
            assertThat(attempt("delete from allocations where id = ?", id)).isEmpty();
            allocations.remove(id);
        }

        /** The database agrees with the model, and with itself. */
        void check() {
            List<Row> expected = new ArrayList<>();
            onHand.forEach((sku, n) -> expected.add(Row.of("sku", sku, "on_hand", n, "allocated", allocated(sku),
                    "live", (long) allocated(sku))));
            List<Row> actual = h.select("select i.sku, i.on_hand, i.allocated,"
                    + " coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0) as live"
                    + " from inventory i left join allocations a on a.sku = i.sku group by i.sku order by i.sku")
                    .mapTo(Row.class).list();
            assertThat(actual).as("inventory: on_hand, allocated, and the live sum").containsExactlyElementsOf(expected);
            assertThat(h.select("select count(*) from allocations").mapTo(Long.class).one()).isEqualTo((long) allocations.size());
        }
    }

    /** A position among allocations, resolved when the step runs. */
    static Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 20);
    }

    @Provide
    Arbitrary<ActionChain<Stock>> chains() {
        Action.Independent<Stock> allocate = () -> Combinators.combine(Arbitraries.integers().between(0, SKUS - 1),
                        Arbitraries.integers().between(1, 8))
                .as((i, q) -> Transformer.mutate("allocate(" + sku(i) + ", " + q + ")", s -> s.allocate(sku(i), q)));
        Action.Independent<Stock> restock = () -> Combinators.combine(Arbitraries.integers().between(0, SKUS - 1),
                        Arbitraries.integers().between(0, 12))
                .as((i, n) -> Transformer.mutate("restock " + sku(i) + " to " + n, s -> s.restock(sku(i), n)));
        Action.Dependent<Stock> cancel = new Action.Dependent<>() {
            @Override
            public boolean precondition(Stock s) {
                return !s.ids(false).isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Stock>> transformer(Stock s) {
                return positions().map(k -> Transformer.mutate("cancel #" + k, m -> m.pick(k, false).ifPresent(id -> m.setStatus(id, "cancelled"))));
            }
        };
        Action.Dependent<Stock> ship = new Action.Dependent<>() {
            @Override
            public boolean precondition(Stock s) {
                return !s.ids(false).isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Stock>> transformer(Stock s) {
                return positions().map(k -> Transformer.mutate("ship #" + k, m -> m.pick(k, false).ifPresent(id -> m.setStatus(id, "shipped"))));
            }
        };
        Action.Dependent<Stock> reinstate = new Action.Dependent<>() {
            @Override
            public boolean precondition(Stock s) {
                return s.ids(true).size() > s.ids(false).size();
            }

            @Override
            public Arbitrary<Transformer<Stock>> transformer(Stock s) {
return positions().map(k -> Transformer.mutate("reinstate #" + k, m -> {
                    List<UUID> cancelled = new ArrayList<>(m.ids(true));
                    cancelled.removeAll(m.ids(false));
                    if (!cancelled.isEmpty()) {
                        m.setStatus(cancelled.get(k % cancelled.size()), "allocated");
                    }
                }));
            }
        };
        Action.Dependent<Stock> changeQuantity = new Action.Dependent<>() {
            @Override
            public boolean precondition(Stock s) {
                return !s.allocations.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Stock>> transformer(Stock s) {
                return Combinators.combine(positions(), Arbitraries.integers().between(1, 8))
                        .as((k, q) -> Transformer.mutate("quantity of #" + k + " to " + q,
                                m -> m.pick(k, true).ifPresent(id -> m.setQuantity(id, q))));
            }
        };
        Action.Dependent<Stock> delete = new Action.Dependent<>() {
            @Override
            public boolean precondition(Stock s) {
                return !s.allocations.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Stock>> transformer(Stock s) {
                return positions().map(k -> Transformer.mutate("delete #" + k, m -> m.pick(k, true).ifPresent(m::delete)));
            }
        };
        return ActionChain.<Stock>startWith(() -> new Stock(java.util.Objects.requireNonNull(HANDLE.get())))
                .withAction(4, allocate)
                .withAction(1, cancel)
                .withAction(1, ship)
                .withAction(1, reinstate)
                .withAction(2, changeQuantity)
                .withAction(1, restock)
                .withAction(1, delete)
                .withMaxTransformations(30);
    }

    /** Any chain of stock operations keeps the database and the model in step, after every step. */
    @Property(tries = 100)
    void stockFollowsTheModelAfterEveryStep(@ForAll("chains") ActionChain<Stock> chain, Db db) {
        Dataset stock = Dataset.empty();
        for (int i = 0; i < SKUS; i++) {
            stock = stock.plus("inventory", Row.of("sku", sku(i), "on_hand", INITIAL_ON_HAND));
        }
        db.given(stock)
                .whenHandle(h -> {
                    HANDLE.set(h);
                    try {
                        chain.withInvariant("database agrees with the model", Stock::check).run();
                    } finally {
                        HANDLE.remove();
                    }
                })
                .then(constraintsHold(), InventoryProperties.ALLOCATED_IS_LIVE_SUM, InventoryProperties.NEVER_OVERSOLD);
    }
}

package dev.pgprop.migrations;

import static dev.pgprop.migrations.Jdbc.column;
import static dev.pgprop.migrations.Jdbc.execute;
import static dev.pgprop.migrations.Jdbc.rows;
import static dev.pgprop.migrations.Jdbc.update;
import static dev.pgprop.migrations.Jdbc.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.dsl.PgProp;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * allocate(), the allocations trigger and the payments row level security, on a real database,
 * with several connections where concurrency matters.
 */
class AllocationTest {
    private static final String A = "SKU-000001";
    private static final String B = "SKU-000002";

    /** Rows where inventory.allocated differs from the sum it must equal. */
    private static final String DRIFT = """
            select i.sku, i.allocated, coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0) as expected
              from inventory i left join allocations a on a.sku = i.sku
             group by i.sku, i.allocated
            having i.allocated <> coalesce(sum(a.quantity) filter (where a.status <> 'cancelled'), 0)
            """;

    private static TestDatabase db;
    private static Connection c;

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = PgProp.server()
                .createDatabase(
                        MigrationSet.of(Migrations.LOCATION).withPlaceholders(Migrations.placeholders(8)),
                        "AllocationTest");
        c = db.openConnection();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        c.setAutoCommit(true);
        execute(c, "truncate payments, allocations, inventory");
        update(c, "insert into inventory (sku, on_hand) values (?, 10), (?, 5)", A, B);
    }

    @Test
    void allocatedFollowsEveryKindOfChange() throws SQLException {
        UUID first = allocate(c, A, 4);
        assertAllocated(4, 0);

        UUID second = UUID.randomUUID();
        update(c, "insert into allocations (id, sku, quantity, status) values (?, ?, 3, 'pending')", second, A);
        assertAllocated(7, 0);

        setStatus(first, "cancelled");
        assertAllocated(3, 0);
        setStatus(first, "allocated"); // un-cancel
        assertAllocated(7, 0);
        setStatus(first, "shipped"); // a status change that does not involve 'cancelled'
        assertAllocated(7, 0);

        update(c, "update allocations set quantity = 1 where id = ?", second);
        assertAllocated(5, 0);
        update(c, "update allocations set sku = ? where id = ?", B, second);
        assertAllocated(4, 1);
        // sku, quantity and status at once: the row leaves B and arrives cancelled on A
        update(c, "update allocations set sku = ?, quantity = 2, status = 'cancelled' where id = ?", A, second);
        assertAllocated(4, 0);
        // quantity change of a cancelled allocation counts for nothing
        update(c, "update allocations set quantity = 9 where id = ?", second);
        assertAllocated(4, 0);
        update(c, "update allocations set quantity = 2, status = 'pending' where id = ?", second);
        assertAllocated(6, 0);

        // several rows in one statement
        UUID third = allocate(c, B, 5);
        assertAllocated(6, 5);
        update(c, "update allocations set status = 'cancelled' where sku = ?", A);
        assertAllocated(0, 5);
        update(c, "update allocations set status = 'pending'");
        assertAllocated(6, 5);

        update(c, "delete from allocations where id = ?", first);
        assertAllocated(2, 5);
        setStatus(second, "cancelled");
        update(c, "delete from allocations where id = ?", second); // deleting a cancelled one changes nothing
        assertAllocated(0, 5);
        update(c, "delete from allocations where id = ?", third);
        assertAllocated(0, 0);
    }

    @Test
    void changesThatWouldOversellAreRefused() throws SQLException {
        UUID id = allocate(c, A, 4);
        allocate(c, B, 3);

        assertThatThrownBy(() -> update(c, "update allocations set quantity = 11 where id = ?", id))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("23514");
                    assertThat(e.getMessage()).contains("inventory_not_oversold");
                });
        // B has 2 free units: moving 4 there must fail and leave both SKUs as they were
        assertThatThrownBy(() -> update(c, "update allocations set sku = ? where id = ?", B, id))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
        UUID cancelled = UUID.randomUUID();
        update(c, "insert into allocations (id, sku, quantity, status) values (?, ?, 3, 'cancelled')", cancelled, B);
        assertThatThrownBy(() -> setStatus(cancelled, "allocated"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
        assertAllocated(4, 3);
    }

    @Test
    void allocateRaisesOutOfStockWhenShort() throws SQLException {
        allocate(c, B, 3);

        assertOutOfStock(() -> allocate(c, B, 3), "2 free units, 3 requested");
        assertOutOfStock(() -> allocate(c, "SKU-999999", 1), "does not exist");
        assertAllocated(0, 3);

        UUID last = allocate(c, B, 2); // exactly the free units
        assertThat(value(c, "select status from allocations where id = ?", last)).isEqualTo("allocated");
        assertOutOfStock(() -> allocate(c, B, 1), "0 free units, 1 requested");
        assertAllocated(0, 5);

        // the quantity range is the table's to enforce
        assertThatThrownBy(() -> allocate(c, A, 0))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("23514");
                    assertThat(e.getMessage()).contains("allocations_quantity_range");
                });
        assertThat(value(c, "select count(*) from allocations")).isEqualTo(2L);
    }

    /**
     * Two sessions ask for the last free units at the same time. The first to lock the inventory
     * row holds its transaction open until the other is seen waiting for that lock; then it
     * commits. The waiter must then see the stock as taken and raise 'out of stock' (P0001). An
     * allocate() that read the stock without locking would pass its check and fail later on
     * inventory_not_oversold (23514) instead.
     */
    @Test
    void concurrentAllocationsOfTheLastUnitsHaveExactlyOneWinner() throws Exception {
        allocate(c, B, 3); // 2 of 5 free

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection s1 = db.openConnection();
                Connection s2 = db.openConnection()) {
            List<Integer> pids = List.of(pid(s1), pid(s2));
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger returned = new AtomicInteger();
            CountDownLatch finish = new CountDownLatch(1);

            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (Connection session : List.of(s1, s2)) {
                Callable<Outcome> task = () -> {
                    session.setAutoCommit(false);
                    start.await(10, TimeUnit.SECONDS);
                    Outcome outcome;
                    try {
                        outcome = Outcome.won(allocate(session, B, 2));
                    } catch (SQLException e) {
                        outcome = Outcome.lost(e);
                    }
                    returned.incrementAndGet();
                    if (!finish.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("never told to finish");
                    }
                    if (outcome.id() != null) {
                        session.commit();
                    } else {
                        session.rollback();
                    }
                    return outcome;
                };
                outcomes.add(pool.submit(task));
            }

            // Both sessions are inside allocate() at once: one has returned, the other waits for its lock.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(returned.get() == 1 && waitingForLock(pids) == 1)) {
                if (returned.get() == 2) {
                    fail("both allocate() calls returned while both transactions were open: "
                            + outcomes.get(0).get() + ", " + outcomes.get(1).get());
                }
                if (System.nanoTime() > deadline) {
                    fail("the two sessions never overlapped: returned=" + returned.get()
                            + ", waiting for a lock=" + waitingForLock(pids));
                }
                Thread.sleep(10);
            }
            finish.countDown();

            List<Outcome> results = List.of(
                    outcomes.get(0).get(30, TimeUnit.SECONDS), outcomes.get(1).get(30, TimeUnit.SECONDS));
            assertThat(results).filteredOn(o -> o.id() != null).hasSize(1);
            assertThat(results).filteredOn(o -> o.id() == null).singleElement().satisfies(o -> {
                assertThat(o.sqlState()).as(o.toString()).isEqualTo("P0001");
                assertThat(o.message()).contains("out of stock");
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(c, "select on_hand, allocated from inventory where sku = ?", B))
                .containsExactly(List.of(5, 5));
        assertThat(value(c, "select count(*) from allocations where sku = ?", B)).isEqualTo(2L);
        assertThat(rows(c, DRIFT)).isEmpty();
    }

    /**
     * Many sessions allocate, cancel, un-cancel and move allocations between two SKUs at once, each
     * statement committing on its own. Afterwards allocated must equal the sum it tracks (no delta
     * lost) and never exceed on_hand; allocate() must have failed only with 'out of stock', the
     * other writes only on inventory_not_oversold, and nothing may have deadlocked.
     */
    @Test
    void concurrentWritersKeepAllocatedExact() throws Exception {
        int threads = 8;
        int opsPerThread = 150;
        AtomicInteger outOfStock = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<String>>> unexpected = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(1000 + t);
                unexpected.add(pool.submit(() -> {
                    List<String> errors = new ArrayList<>();
                    List<UUID> mine = new ArrayList<>();
                    try (Connection s = db.openConnection()) {
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < opsPerThread; i++) {
                            int op = random.nextInt(100);
                            String sku = random.nextBoolean() ? A : B;
                            boolean isAllocate = op < 50 || mine.isEmpty();
                            try {
                                if (isAllocate) {
                                    mine.add(allocate(s, sku, 1 + random.nextInt(4)));
                                } else {
                                    UUID id = mine.get(random.nextInt(mine.size()));
                                    if (op < 70) {
                                        update(s, "update allocations set status = 'cancelled' where id = ?", id);
                                    } else if (op < 85) {
                                        update(s, "update allocations set status = 'pending' where id = ?", id);
                                    } else {
                                        update(s, "update allocations set sku = ? where id = ?", sku, id);
                                    }
                                }
                            } catch (SQLException e) {
                                if (isAllocate && "P0001".equals(e.getSQLState())) {
                                    outOfStock.incrementAndGet();
                                } else if (isAllocate || !"23514".equals(e.getSQLState())) {
                                    errors.add(e.getSQLState() + " " + e.getMessage());
                                }
                            }
                        }
                    }
                    return errors;
                }));
            }
            List<String> errors = new ArrayList<>();
            for (Future<List<String>> f : unexpected) {
                errors.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(errors).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        // 15 units on hand against far more requested: the limit was reached
        assertThat(outOfStock.get()).isPositive();
        assertThat(rows(c, DRIFT)).isEmpty();
        assertThat(rows(c, "select sku from inventory where allocated > on_hand")).isEmpty();
        assertThat(value(c, "select count(*) from allocations")).isNotEqualTo(0L);
    }

    @Test
    void authenticatedSeesOnlyItsOwnPayments() throws SQLException {
        UUID owner1 = UUID.fromString("00000000-0000-4000-8000-000000000001");
        UUID owner2 = UUID.fromString("00000000-0000-4000-8000-000000000002");
        UUID allocation = allocate(c, A, 1);
        for (int i = 0; i < 5; i++) {
            update(c, """
                    insert into payments (id, allocation_id, owner_id, amount_cents, currency, status, idempotency_key)
                    values (?, ?, ?, 100, 'EUR', 'captured', ?)
                    """, UUID.randomUUID(), allocation, i < 3 ? owner1 : owner2, "key-" + i);
        }

        assertThat(visiblePaymentOwners("authenticated", owner1)).hasSize(3).containsOnly(owner1);
        assertThat(visiblePaymentOwners("authenticated", owner2)).hasSize(2).containsOnly(owner2);
        assertThat(visiblePaymentOwners("authenticated", null)).isEmpty(); // no claim: auth.uid() is null
        assertThat(visiblePaymentOwners("service_role", null)).hasSize(5); // BYPASSRLS

        assertThatThrownBy(() -> visiblePaymentOwners("anon", owner1))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        // INSERT is granted but no policy admits a new row for authenticated: RLS refuses it.
        assertThatThrownBy(() -> asRole("authenticated", owner1, () -> update(c, """
                        insert into payments (id, allocation_id, owner_id, amount_cents, currency, status, idempotency_key)
                        values (?, ?, ?, 100, 'EUR', 'pending', 'key-new')
                        """, UUID.randomUUID(), allocation, owner1)))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("row-level security");
                });
        assertThat(value(c, "select count(*) from payments")).isEqualTo(5L);
    }

    private List<Object> visiblePaymentOwners(String role, @Nullable UUID sub) throws SQLException {
        List<Object> owners = new ArrayList<>();
        asRole(role, sub, () -> owners.addAll(column(c, "select owner_id from payments")));
        return owners;
    }

    /** Runs body in a transaction as role, with the JWT sub claim set when sub is given; rolls back. */
    private static void asRole(String role, @Nullable UUID sub, SqlBody body) throws SQLException {
        c.setAutoCommit(false);
        try {
            execute(c, "set local role " + role);
            if (sub != null) {
                execute(c, "select set_config('request.jwt.claim.sub', ?, true)", sub.toString());
            }
            body.run();
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    private interface SqlBody {
        void run() throws SQLException;
    }

    private static UUID allocate(Connection session, String sku, int quantity) throws SQLException {
        return (UUID) value(session, "select allocate(?, ?)", sku, quantity);
    }

    private static void setStatus(UUID id, String status) throws SQLException {
        assertThat(update(c, "update allocations set status = ? where id = ?", status, id)).isEqualTo(1);
    }

    private static void assertAllocated(int a, int b) throws SQLException {
        Map<Object, Object> allocated = new TreeMap<>();
        for (List<Object> row : rows(c, "select sku, allocated from inventory")) {
            allocated.put(row.get(0), row.get(1));
        }
        assertThat(allocated).containsExactlyEntriesOf(new TreeMap<>(Map.of(A, a, B, b)));
        assertThat(rows(c, DRIFT)).isEmpty();
    }

    private static void assertOutOfStock(SqlBody body, String detail) {
        assertThatThrownBy(body::run).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("P0001");
            assertThat(e.getMessage()).contains("out of stock").contains(detail);
        });
    }

    private static int pid(Connection session) throws SQLException {
        return (Integer) value(session, "select pg_backend_pid()");
    }

    private static long waitingForLock(List<Integer> pids) throws SQLException {
        return (Long) value(c, """
                select count(*) from pg_stat_activity
                 where pid in (?, ?) and wait_event_type = 'Lock'
                """, pids.get(0), pids.get(1));
    }

    private record Outcome(@Nullable UUID id, @Nullable String sqlState, @Nullable String message) {
        static Outcome won(UUID id) {
            return new Outcome(id, null, null);
        }

        static Outcome lost(SQLException e) {
            return new Outcome(null, e.getSQLState(), e.getMessage());
        }
    }
}

package dev.pgprop.properties.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.TestDatabase;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Connection management through a real pool, HikariCP: an exhausted pool gives the caller a
 * classified error once the configured timeout has passed, never a hang; and a thousand tries whose
 * actions fail at random (constraint violations, cancellations, exceptions of the caller's own)
 * leak no connection, counted by the pool and in {@code pg_stat_activity}.
 */
@PgProperties
public class ConnectionProperties {
    private static final Pattern TIMED_OUT = Pattern.compile("request timed out after (\\d+)ms");
    static final int LEAK_POOL_SIZE = 4;

    private @Nullable HikariDataSource leakPool;

    static HikariDataSource pool(TestDatabase database, String name, int size, long timeoutMillis) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(database.jdbcUrl());
        database.user().ifPresent(c::setUsername);
        database.password().ifPresent(c::setPassword);
        c.setPoolName(name);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(timeoutMillis);
        c.addDataSourceProperty("ApplicationName", name);
        return new HikariDataSource(c);
    }

    /**
     * Borrows a connection the pool still has to open: on a loaded machine opening a backend can take
     * longer than the short timeout under test, so the borrowing is retried for up to {@code seconds}.
     */
    static Connection takeWithin(HikariDataSource ds, int seconds) throws java.sql.SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return ds.getConnection();
            } catch (SQLTransientConnectionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    static long sessions(Db db, String applicationName) {
        return (Long) db.rows("select count(*) as n from pg_stat_activity where application_name = ?", applicationName)
                .get(0).get("n");
    }

    /**
     * With every connection of the pool taken, the next caller gets Hikari's
     * SQLTransientConnectionException ("request timed out after N ms", N at least the configured
     * timeout) instead of waiting forever, and the pool serves again once a connection is back.
     * 25 tries, not 100: each one waits out a timeout of at least 250 ms (Hikari's floor), and the
     * sizes and timeouts drawn are few.
     */
    @Property(tries = 25, generation = GenerationMode.RANDOMIZED)
    void anExhaustedPoolFailsWithAClassifiedErrorAfterItsTimeout(@ForAll @IntRange(min = 1, max = 3) int size,
            @ForAll @IntRange(min = 250, max = 400) int timeoutMillis, Db db) throws Exception {
        String name = "pgprop-exhaust-" + System.nanoTime();
        try (HikariDataSource ds = pool(db.database(), name, size, timeoutMillis)) {
            List<Connection> taken = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                taken.add(takeWithin(ds, 30));
            }
            // bounded: a hang fails this try after 30 s instead of blocking the build
            CompletableFuture<Connection> extra = CompletableFuture.supplyAsync(() -> {
                try {
                    return ds.getConnection();
                } catch (java.sql.SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            assertThatThrownBy(() -> extra.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SQLTransientConnectionException.class)
                    .satisfies(e -> {
                        Matcher m = TIMED_OUT.matcher(e.getCause().getMessage());
                        assertThat(m.find()).as(e.getCause().getMessage()).isTrue();
                        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(timeoutMillis);
                    });
            assertThat(ds.getHikariPoolMXBean().getActiveConnections()).isEqualTo(size);
            taken.remove(0).close();
            try (Connection again = ds.getConnection()) {
                assertThat(again.isValid(1)).isTrue();
            }
            for (Connection c : taken) {
                c.close();
            }
            assertThat(ds.getHikariPoolMXBean().getActiveConnections()).isZero();
            assertThat(sessions(db, name)).isLessThanOrEqualTo(size);
        }
    }

    enum Outcome { SUCCEEDS, CONSTRAINT_VIOLATION, CANCELLED, CALLER_THROWS, CALLER_THROWS_OUTSIDE_A_TRANSACTION }

    /**
     * A thousand tries, each borrowing from one pool of four and failing at random: a constraint
     * violation, a statement cancelled by its timeout, an exception thrown by the caller inside a
     * transaction or outside one. After each, every connection is back in the pool, and
     * PostgreSQL sees no more sessions of the pool than its size.
     */
    @Property(tries = 1000, generation = GenerationMode.RANDOMIZED)
    void randomFailuresLeakNoConnection(@ForAll Outcome outcome, @ForAll @IntRange(min = 1, max = 3) int borrowers, Db db) {
        if (leakPool == null) {
            leakPool = pool(db.database(), "pgprop-leak-" + System.nanoTime(), LEAK_POOL_SIZE, 5_000);
        }
        HikariDataSource ds = leakPool;
        Jdbi jdbi = Jdbi.create(ds);
        for (int b = 0; b < borrowers; b++) {
            try {
                switch (outcome) {
                    case SUCCEEDS -> jdbi.useTransaction(h -> h.select("select count(*) from inventory").mapTo(Long.class).one());
                    case CONSTRAINT_VIOLATION -> jdbi.useTransaction(h -> h.execute(
                            "insert into inventory (sku, on_hand) values ('not a sku', 1)"));
                    case CANCELLED -> jdbi.useTransaction(h -> {
                        h.execute("set local statement_timeout = '1ms'");
                        h.execute("select pg_sleep(0.05)");
                    });
                    case CALLER_THROWS -> jdbi.useTransaction(h -> {
                        h.execute("insert into inventory (sku, on_hand) values ('SKU-000001', 1)");
                        throw new IllegalStateException("the caller's own failure");
                    });
                    case CALLER_THROWS_OUTSIDE_A_TRANSACTION -> jdbi.useHandle(h -> {
                        h.select("select 1").mapTo(Integer.class).one();
                        throw new IllegalStateException("the caller's own failure");
                    });
                }
            } catch (RuntimeException e) {
                ErrorClass expected = switch (outcome) {
                    case CONSTRAINT_VIOLATION -> ErrorClass.CHECK_VIOLATION;
                    case CANCELLED -> ErrorClass.STATEMENT_TIMEOUT;
                    default -> null;
                };
                if (expected != null) {
                    assertThat(PgError.classify(e).map(PgError::errorClass)).as(outcome + ": " + e).contains(expected);
                } else {
                    assertThat(e).as(outcome.toString()).hasMessageContaining("the caller's own failure");
                }
            }
        }
        assertThat(ds.getHikariPoolMXBean().getActiveConnections()).as("connections still borrowed").isZero();
        assertThat(sessions(db, ds.getPoolName())).as("sessions of the pool in pg_stat_activity")
                .isLessThanOrEqualTo(LEAK_POOL_SIZE);
        assertThat((Long) db.rows("select count(*) as n from inventory").get(0).get("n")).as("nothing committed").isZero();
    }

    @AfterProperty
    void closeThePool() {
        if (leakPool != null) {
            leakPool.close();
            leakPool = null;
        }
    }
}

package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each error class, provoked for real, classified with the names PostgreSQL reports. */
class PgErrorTest {
    private static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = PgProp.server().createDatabase(TryHarness.TINY, "PgErrorTest");
        run("insert into widget (id, label) values (1, 'one')");
        run("create table booking (id int primary key, during int4range, exclude using gist (during with &&))");
        run("insert into booking values (1, '[1,10)')");
        run("do $$ begin if not exists (select from pg_roles where rolname = 'pgprop_nobody') then"
                + " create role pgprop_nobody nologin; end if; end $$");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static void run(String sql) throws SQLException {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static PgError error(String sql) {
        try {
            run(sql);
        } catch (SQLException e) {
            return PgError.classify(new RuntimeException("wrapped", e)).orElseThrow();
        }
        throw new AssertionError("expected an error from: " + sql);
    }

    @Test
    void integrityViolationsKeepConstraintTableAndColumn() {
        PgError unique = error("insert into widget (id, label) values (1, 'dup')");
        assertThat(unique.errorClass()).isEqualTo(ErrorClass.UNIQUE_VIOLATION);
        assertThat(unique.constraint()).isEqualTo("widget_pkey");
        assertThat(unique.table()).isEqualTo("widget");
        assertThat(unique.detail()).contains("(id)=(1)");

        PgError fk = error("insert into part (id, widget_id, weight) values (1, 42, 1)");
        assertThat(fk.errorClass()).isEqualTo(ErrorClass.FOREIGN_KEY_VIOLATION);
        assertThat(fk.constraint()).isEqualTo("part_widget_id_fkey");

        PgError check = error("insert into part (id, widget_id, weight) values (1, 1, 0)");
        assertThat(check.errorClass()).isEqualTo(ErrorClass.CHECK_VIOLATION);
        assertThat(check.constraint()).isEqualTo("part_weight_check");
        assertThat(check.sqlState()).isEqualTo("23514");

        PgError notNull = error("insert into widget (id, label) values (2, null)");
        assertThat(notNull.errorClass()).isEqualTo(ErrorClass.NOT_NULL_VIOLATION);
        assertThat(notNull.table()).isEqualTo("widget");
        assertThat(notNull.column()).isEqualTo("label");
        assertThat(notNull.constraint()).isNull();

        PgError exclusion = error("insert into booking values (2, '[5,20)')");
        assertThat(exclusion.errorClass()).isEqualTo(ErrorClass.EXCLUSION_VIOLATION);
        assertThat(exclusion.constraint()).isEqualTo("booking_during_excl");
        assertThat(exclusion.errorClass().isConstraintViolation()).isTrue();
    }

    @Test
    void raisedPrivilegeStatementTimeoutAndLockTimeout() throws Exception {
        PgError raised = error("do $$ begin raise exception 'out of stock'; end $$");
        assertThat(raised.errorClass()).isEqualTo(ErrorClass.RAISED);
        assertThat(raised.message()).isEqualTo("out of stock");

        PgError denied = error("set role pgprop_nobody; select * from widget");
        assertThat(denied.errorClass()).isEqualTo(ErrorClass.INSUFFICIENT_PRIVILEGE);

        PgError timeout = error("set statement_timeout = '50ms'; select pg_sleep(5)");
        assertThat(timeout.errorClass()).isEqualTo(ErrorClass.STATEMENT_TIMEOUT);
        assertThat(timeout.sqlState()).isEqualTo("57014");

        try (Connection holder = db.openConnection()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select * from widget where id = 1 for update");
            PgError lock = error("set lock_timeout = '50ms'; update widget set label = 'x' where id = 1");
            assertThat(lock.errorClass()).isEqualTo(ErrorClass.LOCK_TIMEOUT);
            assertThat(lock.errorClass().isTransient()).isTrue();
            holder.rollback();
        }
    }

    @Test
    void aCancelledQueryIsNotATimeout() throws Exception {
        try (Connection c = db.openConnection(); Statement s = c.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(200);
                    s.cancel();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                s.execute("select pg_sleep(10)");
                throw new AssertionError("not cancelled");
            } catch (SQLException e) {
                assertThat(PgError.of(e).errorClass()).isEqualTo(ErrorClass.QUERY_CANCELED);
            }
            cancel.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void deadlockAndSerializationFailure() throws Exception {
        run("insert into widget (id, label) values (10, 'a'), (11, 'b') on conflict do nothing");
        try (Connection a = db.openConnection(); Connection b = db.openConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().execute("update widget set label = 'a1' where id = 10");
            b.createStatement().execute("update widget set label = 'b1' where id = 11");
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<PgError> first = CompletableFuture.supplyAsync(() -> {
                try {
                    started.countDown();
                    a.createStatement().execute("update widget set label = 'a2' where id = 11");
                    return null;
                } catch (SQLException e) {
                    return PgError.of(e);
                }
            });
            started.await();
            Thread.sleep(100);
            PgError second = null;
            try {
                b.createStatement().execute("update widget set label = 'b2' where id = 10");
            } catch (SQLException e) {
                second = PgError.of(e);
            }
            PgError firstError = first.get(10, TimeUnit.SECONDS);
            PgError deadlock = second != null ? second : firstError;
            assertThat(deadlock).isNotNull();
            assertThat(deadlock.errorClass()).isEqualTo(ErrorClass.DEADLOCK);
            a.rollback();
            b.rollback();
        }
        try (Connection a = db.openConnection(); Connection b = db.openConnection()) {
            for (Connection c : new Connection[] {a, b}) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            a.createStatement().execute("select count(*) from widget where id >= 10");
            b.createStatement().execute("select count(*) from widget where id >= 10");
            a.createStatement().execute("update widget set label = 's1' where id = 10");
            b.createStatement().execute("update widget set label = 's2' where id = 11");
            a.commit();
            PgError serialization = null;
            try {
                b.createStatement().execute("insert into widget (id, label) values (12, 'c')");
                b.commit();
            } catch (SQLException e) {
                serialization = PgError.of(e);
            }
            assertThat(serialization).isNotNull();
            assertThat(serialization.errorClass()).isEqualTo(ErrorClass.SERIALIZATION_FAILURE);
            b.rollback();
        }
    }

    @Test
    void aTerminatedSessionIsAFaultNotAViolation() throws Exception {
        try (Connection victim = db.openConnection(); Connection killer = db.openConnection()) {
            long pid;
            try (var rs = victim.createStatement().executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            killer.createStatement().execute("select pg_terminate_backend(" + pid + ")");
            PgError first = null;
            try {
                victim.createStatement().execute("select 1");
            } catch (SQLException e) {
                first = PgError.of(e);
            }
            assertThat(first).isNotNull();
            assertThat(first.errorClass()).isIn(ErrorClass.ADMIN_SHUTDOWN, ErrorClass.CONNECTION_FAILURE);
            assertThat(first.errorClass().isFault()).isTrue();
            try {
                victim.createStatement().execute("select 1");
            } catch (SQLException e) {
                assertThat(PgError.of(e).errorClass()).isEqualTo(ErrorClass.CONNECTION_FAILURE);
            }
        }
        assertThat(ErrorClass.of("08006", "")).isEqualTo(ErrorClass.CONNECTION_FAILURE);
        assertThat(ErrorClass.of("57P01", "")).isEqualTo(ErrorClass.ADMIN_SHUTDOWN);
        assertThat(ErrorClass.of("23000", "")).isEqualTo(ErrorClass.INTEGRITY_VIOLATION);
        assertThat(ErrorClass.of("42P01", "")).isEqualTo(ErrorClass.OTHER);
    }
}

package dev.pgprop.generators.internal.mutate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgprop.dsl.MigrationSet;
import dev.pgprop.generators.mutate.Equivalence;
import dev.pgprop.generators.mutate.Mutant;
import dev.pgprop.generators.mutate.MutantStatus;
import dev.pgprop.generators.mutate.MutationAnalysis;
import dev.pgprop.generators.mutate.MutationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutants in a rolled-back transaction on one clone per worker: each sees its DDL as if on a
 * database of its own, its checks' transactions and errors stay inside it, and nothing of it is
 * left for the next one; a mutant that leaves a trace (its DDL commits) is caught and the clone
 * replaced, so that the next mutant is judged as on a fresh clone.
 */
class MutantHostTest {
    @TempDir
    static Path dir;
    static MigrationSet tiny;

    @BeforeAll
    static void schema() throws Exception {
        Files.writeString(dir.resolve("V1__tiny.sql"), """
                CREATE TABLE items (
                    id   serial PRIMARY KEY,
                    name text NOT NULL CONSTRAINT items_name_present CHECK (length(name) > 0)
                );
                """);
        tiny = MigrationSet.of("filesystem:" + dir.toAbsolutePath());
    }

    static Mutant mutant(String id, String ddl) {
        return new Mutant(id, "planted", "items", "name", "planted: " + ddl, ddl, Equivalence.notEquivalent("planted"));
    }

    static final String DROP_NOT_NULL = "ALTER TABLE public.items ALTER COLUMN name DROP NOT NULL";

    static boolean notNull(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'name'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static long next(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT nextval('public.items_id_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void eachMutantSeesItsDdlAndTheNextOneAFreshCloneSequencesIncluded() throws Exception {
        try (MutantHost host = MutantHost.transactional(tiny, Duration.ofMinutes(1))) {
            Connection c = host.apply(mutant("planted/drop-not-null", DROP_NOT_NULL));
            assertThat(notNull(c)).isFalse();
            long first = next(c);
            next(c);
            assertThat(host.release()).isNull();
            Connection d = host.apply(mutant("planted/nothing", "SELECT 1"));
            assertThat(notNull(d)).isTrue();
            assertThat(next(d)).as("the sequence is where a fresh clone has it").isEqualTo(first);
            assertThat(host.release()).isNull();
        }
    }

    @Test
    void aCheckSeesTheMutantInItsOwnTransactionsAndItsErrorsStayThere() throws Exception {
        try (MutantHost host = MutantHost.transactional(tiny, Duration.ofMinutes(1))) {
            Connection c = host.apply(mutant("planted/drop-not-null", DROP_NOT_NULL));
            assertThat(c.getAutoCommit()).isTrue();
            // a check's transaction, rolled back: its rows go, the mutant stays
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO public.items (name) VALUES (NULL)");
            }
            c.rollback();
            c.setAutoCommit(true);
            assertThat(notNull(c)).isFalse();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM public.items")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // an error in autocommit mode undoes that statement only
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO public.items (name) VALUES ('')")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("items_name_present");
            }
            assertThat(notNull(c)).isFalse();
            // an error inside a check's transaction aborts it until its rollback, as on a connection of its own
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("SELECT 1 / 0")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.execute("SELECT 1")).hasMessageContaining("aborted");
            }
            c.rollback();
            c.setAutoCommit(true);
            assertThat(notNull(c)).isFalse();
            assertThatThrownBy(c::rollback).as("no rollback in autocommit mode").isInstanceOf(SQLException.class);
            assertThat(host.release()).isNull();
        }
    }

    @Test
    void aMutantThatCommitsIsCaughtAndItsCloneReplaced() throws Exception {
        try (MutantHost host = MutantHost.transactional(tiny, Duration.ofMinutes(1))) {
            host.apply(mutant("planted/leak", DROP_NOT_NULL + "; COMMIT; BEGIN"));
            String trace = host.release();
            assertThat(trace).as("the committed DDL is seen").isNotNull().contains("pg_attribute");
            Connection c = host.apply(mutant("planted/nothing", "SELECT 1"));
            assertThat(notNull(c)).as("a fresh clone").isTrue();
            assertThat(host.release()).isNull();
        }
    }

    @Test
    void aLeakingMutantDoesNotDecideTheNextOnesStatus() {
        MutationAnalysis a = MutationAnalysis.of(tiny).withTries(2).withSamples(1).withWorkers(1)
                .withOutputDir(dir.resolve("out"));
        // run alone, the mutant that changes nothing survives; after the leak it would be killed by the NULL its clone now takes
        MutationRun run = new MutationRun(a, MutantHost.Isolation.TRANSACTION);
        MutationResult r = run.run(List.of(mutant("planted/leak", DROP_NOT_NULL + "; COMMIT; BEGIN"), mutant("planted/nothing", "SELECT 1")));
        assertThat(run.leaks).containsExactly("planted/leak");
        assertThat(r.outcome("planted/leak").status()).isEqualTo(MutantStatus.KILLED);
        assertThat(r.outcome("planted/nothing").status()).as(r.outcome("planted/nothing").note()).isEqualTo(MutantStatus.SURVIVED);
    }

    @Test
    void theTwoIsolationsJudgeAlike() {
        MutationAnalysis a = MutationAnalysis.of(tiny).withTries(2).withSamples(1).withWorkers(1).withOutputDir(dir.resolve("both"));
        List<Mutant> planted = List.of(mutant("planted/drop-not-null", DROP_NOT_NULL), mutant("planted/nothing", "SELECT 1"),
                mutant("planted/broken", "ALTER TABLE public.items DROP CONSTRAINT no_such_constraint"),
                mutant("planted/drop-check", "ALTER TABLE public.items DROP CONSTRAINT items_name_present"));
        MutationResult clones = new MutationRun(a, MutantHost.Isolation.CLONE).run(planted);
        MutationResult transactions = new MutationRun(a, MutantHost.Isolation.TRANSACTION).run(planted);
        assertThat(transactions.mutants().stream().map(MutationResult.Outcome::status).toList())
                .isEqualTo(clones.mutants().stream().map(MutationResult.Outcome::status).toList())
                .containsExactly(MutantStatus.KILLED, MutantStatus.SURVIVED, MutantStatus.BROKEN, MutantStatus.KILLED);
    }
}

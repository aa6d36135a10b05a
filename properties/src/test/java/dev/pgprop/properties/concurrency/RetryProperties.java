package dev.pgprop.properties.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.Action;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Db;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.Invariants;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.PgProperties;
import dev.pgprop.dsl.Retry;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Sessions that read stock, meet, and then write what they computed from their reads, each
 * touching SKUs in its own order: at REPEATABLE READ and SERIALIZABLE they fail with 40001 and
 * 40P01, and the scenario's {@link Retry} policy runs them again until all commit. The final
 * stock must then be what some serial order of the sessions gives.
 */
@PgProperties
class RetryProperties {
    static final List<String> SKUS = List.of("SKU-000001", "SKU-000002", "SKU-000003");

    /** A session's work: the SKUs it updates, in order; each becomes on_hand * 2 + (session + 1). */
    record Work(List<Integer> skus) {}

    record Plan(List<Integer> stock, List<Work> sessions, Level level) {
        Dataset dataset() {
            Dataset d = Dataset.empty();
            for (int i = 0; i < stock.size(); i++) {
                d = d.plus("inventory", Row.of("sku", SKUS.get(i), "on_hand", stock.get(i)));
            }
            return d;
        }

        /** The stock after the sessions ran one after another in this order. */
        List<Integer> serially(List<Integer> order) {
            List<Integer> s = new ArrayList<>(stock);
            for (int session : order) {
                for (int sku : sessions.get(session).skus()) {
                    s.set(sku, s.get(sku) * 2 + session + 1);
                }
            }
            return s;
        }
    }

    @Provide
    public Arbitrary<Plan> plans() {
        // every session updates the same SKUs (so they always collide), in ascending or descending
        // order (so that two in opposite orders deadlock)
        Arbitrary<List<Work>> sessions = Arbitraries.integers().between(1, 3).flatMap(shared ->
                Arbitraries.of(true, false).list().ofMinSize(2).ofMaxSize(4).map(descending -> {
                    List<Work> w = new ArrayList<>();
                    for (boolean d : descending) {
                        List<Integer> skus = new ArrayList<>();
                        for (int i = 0; i < shared; i++) {
                            skus.add(d ? shared - 1 - i : i);
                        }
                        w.add(new Work(skus));
                    }
                    return w;
                }));
        return Combinators.combine(Arbitraries.integers().between(0, 50).list().ofSize(3), sessions,
                Arbitraries.of(Level.REPEATABLE_READ, Level.SERIALIZABLE)).as(Plan::new);
    }

    /**
     * Every session reads its SKUs, waits for the others (first attempt only, so that all read
     * before any writes), then writes. Retries skip the meeting.
     */
    static Action work(Plan plan, CyclicBarrier meet, boolean fastDeadlocks) {
        return tx -> {
            if (fastDeadlocks) {
                tx.execute("set local deadlock_timeout = '" + Sessions.DEADLOCK_TIMEOUT.toMillis() + "ms'");
            }
            List<Integer> skus = plan.sessions().get(tx.session()).skus();
            int[] read = new int[skus.size()];
            for (int i = 0; i < skus.size(); i++) {
                read[i] = ((Number) tx.scalar("select on_hand from inventory where sku = ?", SKUS.get(skus.get(i)))).intValue();
            }
            if (tx.attempt() == 1) {
                meet.await(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < skus.size(); i++) {
                tx.execute("update inventory set on_hand = ? where sku = ?", read[i] * 2 + tx.session() + 1, SKUS.get(skus.get(i)));
            }
        };
    }

    /** The final stock is that of some serial order of the sessions that committed. */
    static Invariant someSerialOrder(Plan plan) {
        return Invariants.invariant("the final stock is that of some serial order of the committed sessions", ctx -> {
            List<Integer> committed = new ArrayList<>();
            for (StepResult r : ctx.outcome().results()) {
                if (r.committed()) {
                    committed.add(r.session());
                }
            }
            List<Integer> actual = new ArrayList<>();
            for (int i = 0; i < plan.stock().size(); i++) {
                actual.add(((Number) ctx.scalar("select on_hand from inventory where sku = ?", SKUS.get(i))).intValue());
            }
            List<List<Integer>> finals = new ArrayList<>();
            for (List<Integer> order : Permutations.of(committed)) {
                List<Integer> expected = plan.serially(order);
                if (expected.equals(actual)) {
                    return;
                }
                finals.add(expected);
            }
            ctx.fail("stock " + actual + " is no serial order's result; those are " + finals,
                    List.of(Row.of("actual", actual.toString(), "serial results", finals.toString())));
        });
    }

    @Property(tries = 100)
    void afterRetriesTheStockIsThatOfASerialOrder(@ForAll("plans") Plan plan, Db db) {
        CyclicBarrier meet = new CyclicBarrier(plan.sessions().size());
        Outcome out = db.given(plan.dataset())
                .withRetry(Retry.onTransientErrors().withMaxAttempts(25).withBackoff(Duration.ofMillis(1), Duration.ofMillis(50)))
                .whenConcurrently(plan.sessions().size(), work(plan, meet, Sessions.superuser(db))).atLevel(plan.level().jdbi())
                .then(someSerialOrder(plan));
        assertThat(out.committed()).as("every session commits in the end: %s", out.results()).isEqualTo(plan.sessions().size());
        int retries = out.results().stream().mapToInt(StepResult::retries).sum();
        // all read SKU-000001 before any of them writes it: all but one must fail at least once
        assertThat(retries).as("retries in %s", out.results()).isGreaterThanOrEqualTo(plan.sessions().size() - 1);
        Statistics.label("sessions").collect(plan.sessions().size());
        List<ErrorClass> retried = out.results().stream().flatMap(r -> r.retriedErrors().stream())
                .map(PgError::errorClass).toList();
        Statistics.label("40001 retried").collect(retried.contains(ErrorClass.SERIALIZATION_FAILURE));
        Statistics.label("40P01 retried").collect(retried.contains(ErrorClass.DEADLOCK));
        // both kinds of transient error must be met and retried across the tries
        Statistics.label("40001 retried").coverage(c -> c.check(true).count(n -> n > 0));
        Statistics.label("40P01 retried").coverage(c -> c.check(true).count(n -> n > 0));
    }
}

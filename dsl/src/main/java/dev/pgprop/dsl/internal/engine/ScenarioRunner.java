package dev.pgprop.dsl.internal.engine;

import dev.pgprop.dsl.CheckContext;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.ErrorClass;
import dev.pgprop.dsl.FaultException;
import dev.pgprop.dsl.InterleavingOutcome;
import dev.pgprop.dsl.Invariant;
import dev.pgprop.dsl.InvariantViolationException;
import dev.pgprop.dsl.Outcome;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Scenario;
import dev.pgprop.dsl.ScenarioException;
import dev.pgprop.dsl.StepResult;
import dev.pgprop.dsl.Tx;
import dev.pgprop.dsl.Violation;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link Scenario.Spec} in one try: picks the try's isolation from what the steps do,
 * loads the dataset, captures the invariants' "before", runs each step with its runner
 * ({@link TransactionRunner}, {@link ConcurrentRunner}, {@link InterleavingRunner}), fails on
 * errors nothing expects, and checks the invariants.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {}

    /** Runs {@code spec} in the try {@code st} and checks {@code invariants}; see {@link Scenario#then}. */
    public static Outcome run(TryState st, Scenario.Spec spec, List<Invariant> invariants) {
        st.startScenario();
        Dataset given = spec.given();
        List<Scenario.Step> steps = spec.steps();
        boolean commits = steps.stream().anyMatch(s -> !(s instanceof Scenario.Transaction t) || t.commit());
        TransactionIsolationLevel rollbackLevel = null;
        for (Scenario.Step s : steps) {
            if (s instanceof Scenario.Transaction t && !t.commit()) {
                if (rollbackLevel != null && rollbackLevel != t.level()) {
                    commits = true; // two levels: each step needs its own transaction
                }
                rollbackLevel = t.level();
            }
        }
        st.require(commits, rollbackLevel);
        Catalog catalog = st.classDatabase().catalog();
        String pendingCleanup = st.takePendingCleanup(); // the previous try's, sent with this load
        Connection main = st.main();
        boolean inTryTx = st.mode() == TryState.Mode.ROLLBACK;
        Loader.loadForTry(main, catalog, given, inTryTx, st.classDatabase().migrations().placeholders(), pendingCleanup,
                () -> st.classDatabase().cleanByDelete(st.classDatabase().pool(), main));

        Tx checkTx = Views.tx(st.pool().handle(main), 0);
        CheckContext before = Views.checkContext(checkTx, null, given, st);
        List<@Nullable Object> captured = new ArrayList<>();
        for (Invariant inv : invariants) {
            try {
                captured.add(inv.capture(before));
            } catch (Exception e) {
                throw invariantBroke(inv, e);
            }
        }

        List<StepResult> results = new ArrayList<>();
        List<InterleavingOutcome> interleavings = new ArrayList<>();
        for (Scenario.Step s : steps) {
            if (s instanceof Scenario.Transaction t) {
                results.add(inTryTx ? TransactionRunner.inSavepoint(st, main, t) : TransactionRunner.inTransaction(st, main, t, spec.retry()));
            } else if (s instanceof Scenario.Concurrent c) {
                results.addAll(ConcurrentRunner.run(st, c, spec.retry()));
            } else if (s instanceof Scenario.OnHandle h) {
                results.add(TransactionRunner.onHandle(st, main, h));
            } else if (s instanceof Scenario.Interleaved i) {
                InterleavingOutcome io = InterleavingRunner.run(st, i.interleaving());
                interleavings.add(io);
                for (InterleavingOutcome.SessionOutcome so : io.sessions()) {
                    Duration d = io.stepsOf(so.name()).stream().map(InterleavingOutcome.StepOutcome::endedAt)
                            .max(Duration::compareTo).orElse(Duration.ZERO);
                    results.add(new StepResult(i.name() + "(" + so.name() + ")", so.number(), so.committed(), so.pgError(),
                            so.failure(), d));
                }
            }
        }
        Outcome outcome = new Outcome(given, results, interleavings);

        Set<ErrorClass> expected = EnumSet.noneOf(ErrorClass.class);
        expected.addAll(spec.allowed());
        invariants.forEach(i -> expected.addAll(i.expectedErrors()));
        for (StepResult r : results) {
            if (!r.failed()) {
                continue;
            }
            PgError e = r.pgError();
            if (e != null && e.errorClass().isFault()) {
                throw new FaultException(r.step() + " hit a fault of the environment, not an invariant violation: " + e, e,
                        Objects.requireNonNull(r.failure()));
            }
            if (e == null) {
                Throwable f = Objects.requireNonNull(r.failure());
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                throw new ScenarioException(r.step() + " failed: " + f, null, f);
            }
            if (!expected.contains(e.errorClass())) {
                String trace = interleavings.isEmpty() ? "" : "\n" + interleavings.get(interleavings.size() - 1);
                throw new ScenarioException(r.step() + (r.session() > 0 && !r.step().startsWith("whenInterleaved")
                        ? " session " + r.session() : "") + " failed with "
                        + e + (e.errorClass() == ErrorClass.STATEMENT_TIMEOUT ? ". The statement ran longer than"
                                + " statement_timeout (pgprop.statementTimeout, 30s unless set): a query that never ends, a lock"
                                + " it waited for, or a budget too small for this machine (-Dpgprop.statementTimeout=2min)" : "")
                        + ". If this error is an expected outcome, add .allowing(ErrorClass." + e.errorClass()
                        + ") or the invariant rejectedWith(ErrorClass." + e.errorClass() + ")." + trace, e, r.failure());
            }
        }

        CheckContext after = Views.checkContext(checkTx, outcome, given, st);
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < invariants.size(); i++) {
            Invariant inv = invariants.get(i);
            try {
                violations.addAll(inv.check(after, captured.get(i)));
            } catch (CustomViolation v) {
                violations.add(new Violation(inv.name(), v.getMessage(), v.rows()));
            } catch (AssertionError a) {
                violations.add(new Violation(inv.name(), String.valueOf(a.getMessage()).strip(), List.of()));
            } catch (Exception e) {
                throw invariantBroke(inv, e);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvariantViolationException(violations, outcome);
        }
        return outcome;
    }

    private static ScenarioException invariantBroke(Invariant inv, Exception e) {
        PgError err = PgError.classify(e).orElse(null);
        return new ScenarioException("invariant '" + inv.name() + "' could not be checked: "
                + (err != null ? err.toString() : e.toString()) + ". Fix its SQL or its code.", err, e);
    }

}

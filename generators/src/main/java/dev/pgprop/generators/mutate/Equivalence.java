package dev.pgprop.generators.mutate;

import java.util.Objects;

/**
 * What is known, before running, about whether a mutant can be told apart from the original
 * schema: {@link Verdict#EQUIVALENT} (no write or read can tell them apart; the mutant is set
 * apart and not run), {@link Verdict#NOT_EQUIVALENT} (a witness exists, named in the reason) or
 * {@link Verdict#UNDECIDED} (run, but never counted as killed unless a test does kill it).
 *
 * <pre>{@code
 * Equivalence e = mutant.equivalence();
 * if (e.verdict() == Equivalence.Verdict.EQUIVALENT) {
 *     System.out.println(mutant.id() + " is equivalent: " + e.reason() + " (" + e.rule() + ")");
 * }
 * }</pre>
 *
 * @param verdict the verdict
 * @param rule the rule that decided it ({@code pk-implies-not-null}, …; {@code default} when none did)
 * @param reason why, in words
 */
public record Equivalence(Verdict verdict, String rule, String reason) {
    /** The three outcomes of an equivalence rule. */
    public enum Verdict { EQUIVALENT, NOT_EQUIVALENT, UNDECIDED }

    public Equivalence {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    /** Equivalent by {@code rule}, for {@code reason}. */
    public static Equivalence equivalent(String rule, String reason) {
        return new Equivalence(Verdict.EQUIVALENT, rule, reason);
    }

    /** Not equivalent: {@code witness} says which write tells them apart. */
    public static Equivalence notEquivalent(String witness) {
        return new Equivalence(Verdict.NOT_EQUIVALENT, "default", witness);
    }

    /** Cannot be decided before running, for {@code reason}. */
    public static Equivalence undecided(String rule, String reason) {
        return new Equivalence(Verdict.UNDECIDED, rule, reason);
    }

    public boolean equivalent() {
        return verdict == Verdict.EQUIVALENT;
    }
}

package dev.pgprop.generators.mutate;

import java.util.Locale;

/**
 * How a mutant ended: killed (a test told it apart from the original), survived (none did),
 * equivalent (set apart before running: nothing can tell it apart), broken (its DDL fails on the
 * migrated database) or timeout (its run took longer than the limit).
 *
 * <pre>{@code
 * long survivors = result.mutants().stream().filter(m -> m.status() == MutantStatus.SURVIVED).count();
 * }</pre>
 */
public enum MutantStatus {
    KILLED, SURVIVED, EQUIVALENT, BROKEN, TIMEOUT;

    /** The word {@code mutants.csv} uses: {@code killed}, {@code survived}, … */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

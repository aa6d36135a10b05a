package dev.pgprop.dsl.jqwik;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.internal.jqwik.SeedHook;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fixed seeds: the same suite seed draws the same samples; each property gets its own seed. The
 * classes here are plain jqwik properties, so {@code pgprop.seedScope=all} brings them in scope.
 */
class SeedTest {
    static final List<String> DRAWN = new ArrayList<>();
    static final List<String> DRAWN_OTHER = new ArrayList<>();
    static final List<String> DRAWN_FIXED = new ArrayList<>();

    static class Draws {
        @Property(tries = 20)
        void draw(@ForAll String s, @ForAll int i) {
            DRAWN.add(s + "|" + i);
        }

        @Property(tries = 20)
        void drawToo(@ForAll String s, @ForAll int i) {
            DRAWN_OTHER.add(s + "|" + i);
        }

        @Property(tries = 20, seed = "12345")
        void fixedByAnnotation(@ForAll String s, @ForAll int i) {
            DRAWN_FIXED.add(s + "|" + i);
        }
    }

    @AfterEach
    void clearSeed() {
        System.clearProperty("pgprop.seed");
        System.clearProperty("pgprop.seedScope");
    }

    private static List<List<String>> run(String suiteSeed) {
        System.setProperty("pgprop.seedScope", "all");
        return runInScope(suiteSeed);
    }

    private static List<List<String>> runInScope(String suiteSeed) {
        if (suiteSeed == null) {
            System.clearProperty("pgprop.seed");
        } else {
            System.setProperty("pgprop.seed", suiteSeed);
        }
        DRAWN.clear();
        DRAWN_OTHER.clear();
        DRAWN_FIXED.clear();
        Jqwik.run(Draws.class)
                .testEvents().assertStatistics(s -> s.succeeded(3));
        return List.of(List.copyOf(DRAWN), List.copyOf(DRAWN_OTHER), List.copyOf(DRAWN_FIXED));
    }

    @Test
    void theSameSuiteSeedDrawsTheSameSamples() {
        List<List<String>> first = run(null);
        List<List<String>> second = run(null);
        assertThat(first.get(0)).hasSize(20).isEqualTo(second.get(0));
        assertThat(first.get(1)).isEqualTo(second.get(1));
        assertThat(first.get(0)).as("two properties get different seeds").isNotEqualTo(first.get(1));
        assertThat(run(SeedHook.DEFAULT_SUITE_SEED).get(0)).as("the default suite seed, given explicitly").isEqualTo(first.get(0));
    }

    @Test
    void anotherSuiteSeedOrRandomDrawsOtherSamplesButAnnotationSeedsWin() {
        List<List<String>> base = run("1");
        List<List<String>> other = run("2");
        assertThat(base.get(0)).isNotEqualTo(other.get(0));
        assertThat(base.get(2)).as("@Property(seed) wins over the suite seed").isEqualTo(other.get(2));
        List<List<String>> random1 = run("random");
        List<List<String>> random2 = run("random");
        assertThat(random1.get(0)).isNotEqualTo(random2.get(0));
    }

    @Test
    void derivedSeedsAreStableAndDependOnSuiteSeedAndName() {
        assertThat(SeedHook.derive("1", "a#b[]")).isEqualTo(SeedHook.derive("1", "a#b[]")).isNotNegative();
        assertThat(SeedHook.derive("1", "a#b[]")).isNotEqualTo(SeedHook.derive("2", "a#b[]"));
        assertThat(SeedHook.derive("1", "a#b[]")).isNotEqualTo(SeedHook.derive("1", "a#c[]"));
        // pinned: a change of the derivation would silently change every property's data
        assertThat(SeedHook.derive("20261124", "x.Y#p[]")).isEqualTo(4624112578537259592L);
    }

    @Test
    void withoutSeedScopeAllPlainJqwikPropertiesKeepJqwiksRandomSeeds() {
        System.clearProperty("pgprop.seedScope");
        List<List<String>> first = runInScope(null);
        List<List<String>> second = runInScope(null);
        assertThat(first.get(0)).as("not a pgprop property: the suite seed leaves it alone").isNotEqualTo(second.get(0));
        assertThat(first.get(2)).as("@Property(seed) still applies").isEqualTo(second.get(2));
    }
}
